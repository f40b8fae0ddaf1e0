// Authorization servers: `default` is made at first start; others get an Okta-style `aus…` id and are
// served at /oauth2/{id} with their own issuer, keys and discovery (OKTA-COMPAT §0, §7.2).

import type { Clock } from '../deps.ts';
import type { KeyRing } from '../oauth/keys/key-ring.ts';
import { generateId } from '../oauth/random.ts';
import { RESERVED_SCOPES } from '../oauth/scope.ts';
import { type AuthorizationServerRow, DuplicateError, type ScopeRow, type Store } from '../storage/store.ts';
import { NotFoundError, ValidationError } from './errors.ts';

export const DEFAULT_SERVER_ID = 'default';

/** Okta's defaults, except the code lifetime: 60 s, as the PKCE guide our users follow states. */
export const SERVER_DEFAULTS = {
  codeLifetimeSeconds: 60,
  accessTokenLifetimeSeconds: 3600,
  idTokenLifetimeSeconds: 3600,
  refreshTokenIdleSeconds: 7 * 24 * 3600,
  refreshTokenAbsoluteSeconds: 0,
} as const;

type ServerDeps = { store: Store; clock: Clock; keys: KeyRing };

export interface NewAuthorizationServer {
  id?: string | undefined;
  name: string;
  audience: string;
  description?: string | undefined;
  codeLifetimeSeconds?: number | undefined;
}

export async function createAuthorizationServer(
  deps: ServerDeps,
  input: NewAuthorizationServer,
): Promise<AuthorizationServerRow> {
  const name = input.name.trim();
  if (name === '' || name.length > 100)
    throw new ValidationError('invalid_server', 'name', 'Name must be 1-100 characters.');
  const audience = input.audience.trim();
  if (audience === '' || audience.length > 1024 || /\s/.test(audience)) {
    throw new ValidationError(
      'invalid_server',
      'audience',
      'Audience must be 1-1024 characters without spaces, e.g. api://my-api.',
    );
  }
  const codeLifetimeSeconds = input.codeLifetimeSeconds ?? SERVER_DEFAULTS.codeLifetimeSeconds;
  checkCodeLifetime(codeLifetimeSeconds);
  const now = deps.clock.now();
  const row: AuthorizationServerRow = {
    ...SERVER_DEFAULTS,
    id: input.id ?? generateId('aus'),
    name,
    description: input.description ?? '',
    audience,
    resources: [],
    codeLifetimeSeconds,
    status: 'ACTIVE',
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.authorizationServers.create(row);
  await deps.keys.ensureSigningKey(row.id);
  return row;
}

/** Makes the `default` server and its key on first start; later starts find them in place. */
export async function ensureDefaultServer(deps: ServerDeps): Promise<AuthorizationServerRow> {
  const existing = await deps.store.authorizationServers.get(DEFAULT_SERVER_ID);
  if (existing !== undefined) {
    await deps.keys.ensureSigningKey(existing.id);
    return existing;
  }
  try {
    return await createAuthorizationServer(deps, {
      id: DEFAULT_SERVER_ID,
      name: 'default',
      audience: 'api://default',
      description: 'Default Authorization Server',
    });
  } catch (error) {
    // Another instance starting at the same moment made it first.
    if (!(error instanceof DuplicateError)) throw error;
    return requireAuthorizationServer(deps.store, DEFAULT_SERVER_ID);
  }
}

export async function requireAuthorizationServer(store: Store, id: string): Promise<AuthorizationServerRow> {
  const server = await store.authorizationServers.get(id);
  if (server === undefined) throw new NotFoundError('AuthorizationServer', id);
  return server;
}

/** OKTA-COMPAT §2.1: 10-600 s (ASVS 10.4.3 caps codes at 10 minutes). */
export function checkCodeLifetime(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 10 || seconds > 600) {
    throw new ValidationError(
      'invalid_server',
      'codeLifetimeSeconds',
      'The authorization code lifetime must be 10-600 seconds.',
    );
  }
}

export interface NewCustomScope {
  name: string;
  displayName?: string | undefined;
  description?: string | undefined;
}

// RFC 6749 §3.3 scope-token: printable ASCII without space, `"` or `\` (OKTA-COMPAT §2.5).
const CUSTOM_SCOPE_NAME = /^[\x21\x23-\x5b\x5d-\x7e]{1,1024}$/;

/**
 * Adds a custom scope to a server (Okta's `POST /api/v1/authorizationServers/{id}/scopes`), published in
 * discovery (`metadataPublish: ALL_CLIENTS`). Names follow OKTA-COMPAT §2.5.
 */
export async function addCustomScope(
  deps: { store: Store; clock: Clock },
  serverId: string,
  input: NewCustomScope,
): Promise<ScopeRow> {
  const { name } = input;
  const invalid = (message: string) => new ValidationError('invalid_scope', 'name', message);
  if (!CUSTOM_SCOPE_NAME.test(name)) {
    throw invalid("A scope name is 1-1024 printable ASCII characters without spaces, '\"' or '\\'.");
  }
  if (name === 'okta' || name === '*' || name.startsWith('okta.') || name.startsWith('okta:')) {
    throw invalid(`The scope name '${name}' is reserved by Okta: no 'okta', '*', 'okta.…' or 'okta:…'.`);
  }
  if ((RESERVED_SCOPES as readonly string[]).includes(name)) {
    throw invalid(`'${name}' is a reserved scope that every authorization server already has.`);
  }
  const displayName = (input.displayName ?? name).trim();
  if (displayName === '' || displayName.length > 100) {
    throw new ValidationError('invalid_scope', 'displayName', 'Display name must be 1-100 characters.');
  }
  const description = (input.description ?? '').trim();
  if (description.length > 1000) {
    throw new ValidationError('invalid_scope', 'description', 'Description must be at most 1000 characters.');
  }
  await requireAuthorizationServer(deps.store, serverId);
  const row: ScopeRow = {
    serverId,
    name,
    displayName,
    description,
    metadataPublish: 'ALL_CLIENTS',
    createdAt: deps.clock.now(),
  };
  try {
    await deps.store.authorizationServers.addScope(row);
  } catch (error) {
    if (error instanceof DuplicateError) {
      throw invalid(`Authorization server ${serverId} already has a scope named '${name}'.`);
    }
    throw error;
  }
  return row;
}
