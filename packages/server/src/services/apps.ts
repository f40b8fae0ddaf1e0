// Registering and managing apps (OAuth clients), with RFC 7591 §2 / §3.2.2 checks (AD-02): redirect URIs
// per RFC 8252 / RFC 9700 §2.6, PKCE always on for public clients (SECURITY-MATRIX rule 2), grants limited
// to what Latchkey serves, rotation grace within 0-60 s (rule 3). `service` apps (Okta's API Services) have
// no users and no redirect URIs and use client credentials only (RFC 6749 §4.4); private_key_jwt apps
// register their keys (RFC 7591 §2 `jwks` / `jwks_uri`, RFC 7523 §2.2) and get no secret.

import type { Clock } from '../deps.ts';
import { jwksProblem, jwksUriProblem } from '../oauth/client-key-sets.ts';
import { GRANT_TYPES } from '../oauth/grants/index.ts';
import { generateId, generateOpaqueToken, sha256Hex } from '../oauth/random.ts';
import { checkRedirectUriRegistration } from '../oauth/redirect-uri.ts';
import { type ApplicationType, type ClientRow, DuplicateError, type Store } from '../storage/store.ts';
import { NotFoundError, ValidationError } from './errors.ts';

export const APPLICATION_TYPES: readonly ApplicationType[] = ['native', 'browser', 'web', 'service'];
/** Confidential app types: they authenticate at the token endpoint (RFC 6749 §2.1). */
export const CONFIDENTIAL_TYPES: ReadonlySet<ApplicationType> = new Set(['web', 'service']);
const SUPPORTED_GRANTS = new Set(GRANT_TYPES);

export interface AppSettings {
  name: string;
  applicationType: ApplicationType;
  redirectUris: string[];
  postLogoutRedirectUris?: string[] | undefined;
  /** Grants beyond authorization_code, e.g. refresh_token. */
  grantTypes?: string[] | undefined;
  tokenEndpointAuthMethod?: ClientRow['tokenEndpointAuthMethod'] | undefined;
  pkceRequired?: boolean | undefined;
  consentMethod?: ClientRow['consentMethod'] | undefined;
  refreshRotation?: ClientRow['refreshRotation'] | undefined;
  refreshLeewaySeconds?: number | undefined;
  loopbackAnyPort?: boolean | undefined;
  /** An https image for the sign-in page; null or '' removes it. */
  logoUri?: string | null | undefined;
  /** private_key_jwt: the public JWK Set as JSON text, or null to clear it. */
  jwks?: string | null | undefined;
  /** private_key_jwt: the URL of the JWK Set, or null to clear it. */
  jwksUri?: string | null | undefined;
}

export interface CreatedApp {
  client: ClientRow;
  /** Shown once, for apps that authenticate with a secret; only its hash is stored. */
  clientSecret: string | undefined;
}

type AppDeps = { store: Store; clock: Clock };

export async function createApp(deps: AppDeps, settings: AppSettings): Promise<CreatedApp> {
  const now = deps.clock.now();
  const confidential = CONFIDENTIAL_TYPES.has(settings.applicationType);
  const withSecret = confidential && settings.tokenEndpointAuthMethod !== 'private_key_jwt';
  const clientSecret = withSecret ? generateOpaqueToken() : undefined;
  const client = buildClient(settings, {
    clientId: generateId('0oa'),
    clientSecretHash: clientSecret === undefined ? null : sha256Hex(clientSecret),
    status: 'ACTIVE',
    createdAt: now,
    updatedAt: now,
  });
  try {
    await deps.store.clients.create(client);
  } catch (error) {
    if (error instanceof DuplicateError)
      throw new Error('Generated client id collided; try again.', { cause: error });
    throw error;
  }
  return { client, clientSecret };
}

/** Replaces the settings given; those left out keep their values. */
export async function updateApp(
  deps: AppDeps,
  clientId: string,
  patch: Partial<AppSettings>,
): Promise<ClientRow> {
  const current = await requireApp(deps.store, clientId);
  if (patch.applicationType !== undefined && patch.applicationType !== current.applicationType) {
    throw new ValidationError(
      'invalid_client_metadata',
      'application_type',
      'The type of an app cannot change; create a new app.',
    );
  }
  const merged = buildClient(
    { ...current, ...withoutUndefined(patch) },
    { ...current, updatedAt: deps.clock.now() },
  );
  await deps.store.clients.update(clientId, merged);
  return merged;
}

export async function deleteApp(deps: AppDeps, clientId: string): Promise<void> {
  await deps.store.transaction(async (store) => {
    // RT-08: token rows outlive the app row, so they are revoked first, in the same transaction.
    await revokeAppTokens(store, clientId, deps.clock.now());
    if (!(await store.clients.delete(clientId))) throw new NotFoundError('App', clientId);
  });
}

/** Every live access and refresh token of the app (RT-08); codes need the app to authenticate anyway. */
export async function revokeAppTokens(
  store: Pick<Store, 'accessTokens' | 'refreshTokens'>,
  clientId: string,
  now: number,
): Promise<void> {
  await store.refreshTokens.revokeForClient(clientId, now);
  await store.accessTokens.revokeForClient(clientId, now);
}

export async function requireApp(store: Store, clientId: string): Promise<ClientRow> {
  const client = await store.clients.get(clientId);
  if (client === undefined) throw new NotFoundError('App', clientId);
  return client;
}

function buildClient(
  settings: AppSettings,
  fixed: Pick<ClientRow, 'clientId' | 'clientSecretHash' | 'status' | 'createdAt' | 'updatedAt'>,
): ClientRow {
  const type = settings.applicationType;
  if (!APPLICATION_TYPES.includes(type)) {
    throw new ValidationError(
      'invalid_client_metadata',
      'application_type',
      `Use one of: ${APPLICATION_TYPES.join(', ')}.`,
    );
  }
  const name = settings.name.trim();
  if (name === '' || name.length > 100)
    throw new ValidationError('invalid_client_metadata', 'name', 'Name must be 1-100 characters.');
  const confidential = CONFIDENTIAL_TYPES.has(type);
  const authMethod = settings.tokenEndpointAuthMethod ?? (confidential ? 'client_secret_basic' : 'none');
  if (confidential === (authMethod === 'none')) {
    throw new ValidationError(
      'invalid_client_metadata',
      'token_endpoint_auth_method',
      confidential
        ? `${type === 'web' ? 'Web' : 'API Services'} apps authenticate with client_secret_basic, client_secret_post or private_key_jwt.`
        : `${type} apps are public clients: the method must be none.`,
    );
  }
  const keys = checkKeys(settings, authMethod);
  if (authMethod !== 'private_key_jwt' && fixed.clientSecretHash === null && confidential) {
    throw new ValidationError(
      'invalid_client_metadata',
      'token_endpoint_auth_method',
      'This app has no client secret; generate one (rotate the secret) before switching it to a secret method.',
    );
  }
  if (!confidential && settings.pkceRequired === false) {
    throw new ValidationError(
      'invalid_client_metadata',
      'pkce_required',
      'PKCE cannot be turned off for a public client (native or browser app).',
    );
  }
  const grantTypes =
    type === 'service'
      ? ['client_credentials']
      : [...new Set(['authorization_code', ...(settings.grantTypes ?? [])])];
  for (const grant of grantTypes) {
    if (!SUPPORTED_GRANTS.has(grant)) {
      throw new ValidationError(
        'invalid_client_metadata',
        'grant_types',
        `Grant type "${grant}" is not supported; use ${GRANT_TYPES.join(', ')} (implicit and password are unsafe, RFC 9700 §2.1.2, §2.4).`,
      );
    }
  }
  checkServiceGrants(type, settings.grantTypes ?? [], grantTypes);
  // SECURITY-MATRIX rule 3: public clients get a new refresh token on every refresh.
  if (!confidential && settings.refreshRotation === 'STATIC') {
    throw new ValidationError(
      'invalid_client_metadata',
      'refresh_token.rotation_type',
      `${type} apps are public clients: their refresh tokens always rotate (ROTATE).`,
    );
  }
  const leeway = settings.refreshLeewaySeconds ?? (confidential ? 0 : 30);
  if (!Number.isInteger(leeway) || leeway < 0 || leeway > 60) {
    throw new ValidationError(
      'invalid_client_metadata',
      'refresh_token.leeway',
      'The refresh-token grace period must be 0-60 seconds.',
    );
  }
  if (
    type === 'service' &&
    (settings.redirectUris.length > 0 || (settings.postLogoutRedirectUris ?? []).length > 0)
  ) {
    throw new ValidationError(
      'invalid_redirect_uri',
      'redirect_uris',
      'API Services apps sign no users in: leave the redirect URIs empty.',
    );
  }
  if (type !== 'service' && settings.redirectUris.length === 0) {
    throw new ValidationError(
      'invalid_redirect_uri',
      'redirect_uris',
      'Register at least one sign-in redirect URI.',
    );
  }
  return {
    clientId: fixed.clientId,
    name,
    applicationType: type,
    tokenEndpointAuthMethod: authMethod,
    // A private_key_jwt app keeps no secret that could still be used (SECURITY-MATRIX: one method per app).
    clientSecretHash: authMethod === 'private_key_jwt' ? null : fixed.clientSecretHash,
    jwks: keys.jwks,
    jwksUri: keys.jwksUri,
    redirectUris: checkUris(settings.redirectUris, type, 'redirect_uris'),
    postLogoutRedirectUris: checkUris(
      settings.postLogoutRedirectUris ?? [],
      type,
      'post_logout_redirect_uris',
    ),
    grantTypes,
    pkceRequired: confidential ? type === 'web' && (settings.pkceRequired ?? false) : true,
    loopbackAnyPort: type !== 'service' && (settings.loopbackAnyPort ?? type === 'native'),
    consentMethod: settings.consentMethod ?? 'TRUSTED',
    refreshRotation: settings.refreshRotation ?? (confidential ? 'STATIC' : 'ROTATE'),
    refreshLeewaySeconds: leeway,
    logoUri: checkLogoUri(settings.logoUri ?? null),
    status: fixed.status,
    createdAt: fixed.createdAt,
    updatedAt: fixed.updatedAt,
  };
}

/**
 * RFC 7591 §2 `logo_uri`. Only https: the sign-in page loads it, and a plain-http image on an https page
 * is mixed content that a network attacker could replace (RFC 7591 §5 warns about logo URIs).
 */
function checkLogoUri(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.username !== '' || url.password !== '' || trimmed.length > 1024) {
    throw new ValidationError(
      'invalid_client_metadata',
      'logo_uri',
      `Logo URI "${trimmed.slice(0, 100)}" must be an https:// URL (at most 1024 characters), e.g. https://app.example.com/logo.png.`,
    );
  }
  return url.href;
}

/** RFC 6749 §4.4: client credentials only for confidential clients; a service app uses nothing else. */
function checkServiceGrants(
  type: ApplicationType,
  asked: readonly string[],
  grants: readonly string[],
): void {
  if (type === 'service' && asked.some((grant) => grant !== 'client_credentials')) {
    throw new ValidationError(
      'invalid_client_metadata',
      'grant_types',
      'API Services apps use client_credentials only; create a web app to sign users in.',
    );
  }
  if (grants.includes('client_credentials') && !CONFIDENTIAL_TYPES.has(type)) {
    throw new ValidationError(
      'invalid_client_metadata',
      'grant_types',
      `client_credentials is for confidential clients (web or service apps), not ${type} apps (RFC 6749 §4.4).`,
    );
  }
}

/** private_key_jwt needs exactly one of `jwks` and `jwks_uri` (RFC 7591 §2); other methods neither. */
function checkKeys(
  settings: AppSettings,
  authMethod: ClientRow['tokenEndpointAuthMethod'],
): Pick<ClientRow, 'jwks' | 'jwksUri'> {
  const jwks = settings.jwks?.trim() || null;
  const jwksUri = settings.jwksUri?.trim() || null;
  if (authMethod !== 'private_key_jwt') return { jwks: null, jwksUri: null };
  if ((jwks === null) === (jwksUri === null)) {
    throw new ValidationError(
      'invalid_client_metadata',
      jwks === null ? 'jwks_uri' : 'jwks',
      'private_key_jwt apps register their public keys: give either a JWK Set (jwks) or its URL (jwks_uri), not both.',
    );
  }
  const problem = jwks !== null ? jwksProblem(jwks) : jwksUriProblem(jwksUri ?? '');
  if (problem !== undefined) {
    throw new ValidationError(
      'invalid_client_metadata',
      jwks !== null ? 'jwks' : 'jwks_uri',
      jwks !== null ? `The JWK Set ${problem}.` : `The jwks_uri ${problem}.`,
    );
  }
  return { jwks: jwks === null ? null : JSON.stringify(JSON.parse(jwks)), jwksUri };
}

function checkUris(uris: readonly string[], type: ApplicationType, field: string): string[] {
  for (const uri of uris) {
    const problem = checkRedirectUriRegistration(uri, type);
    if (problem !== undefined)
      throw new ValidationError('invalid_redirect_uri', field, `Redirect URI "${uri}" ${problem}`);
  }
  return [...new Set(uris)];
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
