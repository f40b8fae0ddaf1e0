// RFC 7591 §2 (client metadata), §3.2.1 (response), §3.2.2 (invalid_redirect_uri, invalid_client_metadata);
// RFC 7592 §2.2 (update: the whole metadata again, with client_id). Pure: reads JSON, returns app settings.

import type { AppSettings } from '../services/apps.ts';
import type { ApplicationType, ClientRow } from '../storage/store.ts';
import { OAuthError } from './errors.ts';

/**
 * `full`: an admin's initial access token came with the request (any app type). `open`: no token; only native
 * public clients whose redirect URIs return to the user's own device (loopback or a private-use scheme), so
 * a self-registered app cannot receive codes on a web origin it picked (RFC 7591 §5, RFC 8252 §8.6).
 */
export type RegistrationPolicy = 'full' | 'open';

const APPLICATION_TYPES: readonly ApplicationType[] = ['native', 'browser', 'web'];
const AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
const OPEN_REDIRECT =
  /^(http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d{1,5})?[/?]|[a-z][a-z0-9-]*(\.[a-z0-9-]+)+:)/;
/** RFC 7591 §2 fields a client may send that Latchkey does not keep; accepted and left out of the response. */
const FIXED_RESPONSE_TYPES = ['code'];

const metadataError = (description: string): OAuthError =>
  new OAuthError('invalid_client_metadata', description);

/** The app settings a registration (or an RFC 7592 update) asks for, or the RFC 7591 §3.2.2 error. */
export function parseClientMetadata(body: unknown, policy: RegistrationPolicy): AppSettings {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw metadataError('The request body must be a JSON object of client metadata (RFC 7591 §2).');
  }
  const doc = body as Record<string, unknown>;
  const redirectUris = stringList(doc, 'redirect_uris', 'invalid_redirect_uri');
  if (redirectUris === undefined || redirectUris.length === 0) {
    throw new OAuthError(
      'invalid_redirect_uri',
      'redirect_uris is required: at least one sign-in redirect URI.',
    );
  }
  const method = doc['token_endpoint_auth_method'] ?? (policy === 'open' ? 'none' : undefined);
  if (method !== undefined && !(AUTH_METHODS as readonly unknown[]).includes(method)) {
    throw metadataError(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}.`);
  }
  const jwks = registeredKeys(doc, method);
  const type = doc['application_type'] ?? (method === 'none' ? 'native' : 'web');
  if (typeof type !== 'string' || !(APPLICATION_TYPES as readonly string[]).includes(type)) {
    throw metadataError(`application_type must be one of ${APPLICATION_TYPES.join(', ')}.`);
  }
  const authMethod = (method ??
    (type === 'web' ? 'client_secret_basic' : 'none')) as AppSettings['tokenEndpointAuthMethod'];
  if (policy === 'open') {
    // RFC 7591 §5: an open endpoint must limit what anonymous callers can register.
    if (type !== 'native' || authMethod !== 'none') {
      throw metadataError(
        'Registration without an initial access token accepts only native public clients (application_type native, token_endpoint_auth_method none).',
      );
    }
    const outside = redirectUris.find((uri) => !OPEN_REDIRECT.test(uri));
    if (outside !== undefined) {
      throw new OAuthError(
        'invalid_redirect_uri',
        `Redirect URI "${outside.slice(0, 200)}" is not allowed without an initial access token: use a loopback URI (http://127.0.0.1/…) or a private-use scheme (com.example.app:/callback).`,
      );
    }
  }
  const grantTypes = stringList(doc, 'grant_types', 'invalid_client_metadata') ?? ['authorization_code'];
  const responseTypes = stringList(doc, 'response_types', 'invalid_client_metadata') ?? FIXED_RESPONSE_TYPES;
  const unsupported = grantTypes.find((grant) => grant !== 'authorization_code' && grant !== 'refresh_token');
  if (unsupported !== undefined) {
    throw metadataError(
      `Grant type "${unsupported.slice(0, 50)}" is not supported; use authorization_code and refresh_token (implicit and password are unsafe, RFC 9700 §2.1.2, §2.4).`,
    );
  }
  // RFC 7591 §2.1: grant and response types must agree; only the code flow is served.
  if (responseTypes.some((t) => t !== 'code') || !grantTypes.includes('authorization_code')) {
    throw metadataError(
      'Only the authorization code flow is served: response_types [code], grant_types with authorization_code.',
    );
  }
  const name = doc['client_name'] ?? 'Dynamically registered app';
  if (typeof name !== 'string') throw metadataError('client_name must be a string.');
  return {
    name,
    applicationType: type as ApplicationType,
    redirectUris,
    postLogoutRedirectUris: stringList(doc, 'post_logout_redirect_uris', 'invalid_redirect_uri') ?? [],
    grantTypes: grantTypes.filter((grant) => grant !== 'authorization_code'),
    tokenEndpointAuthMethod: authMethod,
    jwks,
    // Okta's default for dynamically registered apps (OKTA-COMPAT §7.1): the user is asked.
    consentMethod: 'REQUIRED',
  };
}

/**
 * RFC 7591 §2: a private_key_jwt client registers its public keys (RFC 7523 §2.2). Inline `jwks` only: a
 * `jwks_uri` would make Latchkey fetch a URL that the registrant picks, later and from inside its network
 * (an admin may still set one, on an app they made). The key set itself is checked by services/apps.ts.
 */
function registeredKeys(doc: Record<string, unknown>, method: unknown): string | null {
  if (doc['jwks_uri'] !== undefined) {
    throw metadataError(
      'jwks_uri is not accepted at registration: send the public keys inline as jwks ({"keys": [ … ]}).',
    );
  }
  const jwks = doc['jwks'];
  if (method !== 'private_key_jwt') {
    if (jwks !== undefined) {
      throw metadataError('jwks is only for token_endpoint_auth_method private_key_jwt.');
    }
    return null;
  }
  if (typeof jwks !== 'object' || jwks === null || Array.isArray(jwks)) {
    throw metadataError(
      'private_key_jwt clients register their public keys as jwks: a JWK Set object, {"keys": [ … ]}.',
    );
  }
  return JSON.stringify(jwks);
}

function stringList(
  doc: Record<string, unknown>,
  field: string,
  code: 'invalid_redirect_uri' | 'invalid_client_metadata',
): string[] | undefined {
  const value = doc[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new OAuthError(code, `${field} must be an array of strings.`);
  }
  return value as string[];
}

/** The registered metadata (RFC 7591 §3.2.1), without the one-time values. */
export function clientInformation(client: ClientRow, registrationClientUri: string): Record<string, unknown> {
  return {
    client_id: client.clientId,
    client_id_issued_at: client.createdAt,
    client_name: client.name,
    application_type: client.applicationType,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: client.grantTypes,
    response_types: FIXED_RESPONSE_TYPES,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    ...(client.jwks === null ? {} : { jwks: JSON.parse(client.jwks) as unknown }),
    registration_client_uri: registrationClientUri,
  };
}
