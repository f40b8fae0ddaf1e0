// Dynamic client registration (RFC 7591 §3) and its management (RFC 7592 §2): registered clients are normal
// apps (console, CLI, system log). Initial access tokens and registration access tokens are stored as
// SHA-256 only and compared in constant time.

import type { Clock } from '../deps.ts';
import {
  clientInformation,
  parseClientMetadata,
  type RegistrationPolicy,
} from '../oauth/client-registration.ts';
import { OAuthError } from '../oauth/errors.ts';
import { generateId, generateOpaqueToken, matchesHash, sha256Hex } from '../oauth/random.ts';
import type { ClientRow, RegistrationTokenRow, Store } from '../storage/store.ts';
import { createApp, deleteApp, updateApp } from './apps.ts';
import { ValidationError } from './errors.ts';

type RegistrationDeps = { store: Store; clock: Clock };

const BEARER = /^Bearer\s+([\x21-\x7e]+)$/i;
const INVALID_TOKEN = 'The registration access token is invalid.';

export interface Registration {
  /** RFC 7591 §3.2.1 response body (with the one-time secret and registration access token). */
  body: Record<string, unknown>;
  client: ClientRow;
  /** The initial access token that allowed it, if any. */
  initialToken: RegistrationTokenRow | undefined;
}

/** The policy for a registration request, or invalid_token when a required initial access token is missing. */
export async function registrationPolicy(
  deps: RegistrationDeps,
  mode: 'token' | 'open',
  authorization: string | undefined,
): Promise<{ policy: RegistrationPolicy; initialToken: RegistrationTokenRow | undefined }> {
  const presented = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (presented === undefined) {
    if (authorization === undefined && mode === 'open') return { policy: 'open', initialToken: undefined };
    throw new OAuthError(
      'invalid_token',
      'Registration requires an initial access token from an administrator (Authorization: Bearer …).',
    );
  }
  const row = await deps.store.registrationTokens.getByHash(sha256Hex(presented));
  const now = deps.clock.now();
  if (row === undefined || row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now)) {
    throw new OAuthError('invalid_token', 'The initial access token is invalid, expired or revoked.');
  }
  return { policy: 'full', initialToken: row };
}

export async function registerClient(
  deps: RegistrationDeps,
  body: unknown,
  access: { policy: RegistrationPolicy; initialToken: RegistrationTokenRow | undefined },
  clientUri: (clientId: string) => string,
): Promise<Registration> {
  const settings = parseClientMetadata(body, access.policy);
  const registrationAccessToken = generateOpaqueToken();
  const { client, clientSecret } = await deps.store.transaction(async (store) => {
    const created = await asRegistrationError(createApp({ store, clock: deps.clock }, settings));
    await store.clientRegistrations.create({
      clientId: created.client.clientId,
      accessTokenHash: sha256Hex(registrationAccessToken),
      createdAt: deps.clock.now(),
    });
    return created;
  });
  return {
    client,
    initialToken: access.initialToken,
    body: {
      ...clientInformation(client, clientUri(client.clientId)),
      ...(clientSecret === undefined ? {} : { client_secret: clientSecret, client_secret_expires_at: 0 }),
      registration_access_token: registrationAccessToken,
    },
  };
}

/** RFC 7592 §2: the client named by the path, if the bearer token is its registration access token. */
export async function authorizeManagement(
  deps: RegistrationDeps,
  clientId: string,
  authorization: string | undefined,
): Promise<ClientRow> {
  const presented = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (presented === undefined)
    throw new OAuthError('invalid_token', 'Send the registration access token (Authorization: Bearer …).');
  const registration = await deps.store.clientRegistrations.get(clientId);
  // RFC 7592 §2: an unknown client and a wrong token are answered alike, 401.
  if (registration === undefined || !matchesHash(presented, registration.accessTokenHash)) {
    throw new OAuthError('invalid_token', INVALID_TOKEN);
  }
  const client = await deps.store.clients.get(clientId);
  if (client === undefined) throw new OAuthError('invalid_token', INVALID_TOKEN);
  return client;
}

/** RFC 7592 §2.2: the request carries the whole metadata again; what it leaves out is reset. */
export async function updateRegistration(
  deps: RegistrationDeps,
  client: ClientRow,
  body: unknown,
  policy: RegistrationPolicy,
): Promise<ClientRow> {
  const doc = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (doc['client_id'] !== client.clientId) {
    throw new OAuthError(
      'invalid_request',
      `The body's client_id must be ${client.clientId} (RFC 7592 §2.2).`,
    );
  }
  for (const field of [
    'registration_access_token',
    'registration_client_uri',
    'client_id_issued_at',
    'client_secret_expires_at',
  ]) {
    if (field in doc)
      throw new OAuthError('invalid_request', `${field} must not be sent in an update (RFC 7592 §2.2).`);
  }
  if (
    'client_secret' in doc &&
    (client.clientSecretHash === null ||
      typeof doc['client_secret'] !== 'string' ||
      !matchesHash(doc['client_secret'], client.clientSecretHash))
  ) {
    throw new OAuthError(
      'invalid_request',
      'client_secret, when sent, must be the current secret (RFC 7592 §2.2).',
    );
  }
  const { client_secret: _secret, client_id: _id, ...metadata } = doc;
  const settings = parseClientMetadata({ application_type: client.applicationType, ...metadata }, policy);
  return asRegistrationError(
    updateApp(deps, client.clientId, { ...settings, loopbackAnyPort: client.loopbackAnyPort }),
  );
}

export async function deleteRegistration(deps: RegistrationDeps, clientId: string): Promise<void> {
  await deleteApp(deps, clientId);
  await deps.store.clientRegistrations.delete(clientId);
}

/** An initial access token for `LATCHKEY_CLIENT_REGISTRATION=token|open`; shown once, stored hashed. */
export async function createRegistrationToken(
  deps: RegistrationDeps,
  input: { name: string; createdBy: string | null; expiresAt: number | null },
): Promise<{ row: RegistrationTokenRow; token: string }> {
  const name = input.name.trim();
  if (name === '' || name.length > 100)
    throw new ValidationError('invalid_token', 'name', 'Name must be 1-100 characters.');
  const token = generateId('lkr_', 40);
  const row: RegistrationTokenRow = {
    id: generateId('00R'),
    name,
    tokenHash: sha256Hex(token),
    createdBy: input.createdBy,
    createdAt: deps.clock.now(),
    expiresAt: input.expiresAt,
    revokedAt: null,
  };
  await deps.store.registrationTokens.create(row);
  return { row, token };
}

/** The app services speak ValidationError with an RFC 7591 code; registration answers with that code. */
async function asRegistrationError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const code = error.code === 'invalid_redirect_uri' ? 'invalid_redirect_uri' : 'invalid_client_metadata';
    throw new OAuthError(code, `${error.field}: ${error.message}`);
  }
}
