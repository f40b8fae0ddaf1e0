// Changing an authorization server after creation (Okta's `PUT /api/v1/authorizationServers/{id}`) and
// its custom scopes. Lifetimes follow Okta's bounds (OKTA-COMPAT §7.2): access and ID tokens 5 min-1 day,
// the refresh idle window 10 min-5 years, the refresh lifetime 0 (unlimited) or at least the other two.

import type { Clock } from '../deps.ts';
import type { KeyRing } from '../oauth/keys/key-ring.ts';
import { checkDeclaredResources } from '../oauth/resource-indicator.ts';
import { RESERVED_SCOPES } from '../oauth/scope.ts';
import type { AuthorizationServerRow, ScopeRow, Store } from '../storage/store.ts';
import {
  checkCodeLifetime,
  createAuthorizationServer,
  type NewAuthorizationServer,
  requireAuthorizationServer,
  SERVER_DEFAULTS,
} from './authorization-servers.ts';
import { NotFoundError, ValidationError } from './errors.ts';

const MINUTE = 60;
const DAY = 24 * 3600;
const FIVE_YEARS = 5 * 365 * DAY;

export type ServerLifetimes = Pick<
  AuthorizationServerRow,
  | 'codeLifetimeSeconds'
  | 'accessTokenLifetimeSeconds'
  | 'idTokenLifetimeSeconds'
  | 'refreshTokenIdleSeconds'
  | 'refreshTokenAbsoluteSeconds'
>;

export interface ServerChanges extends Partial<Record<keyof ServerLifetimes, number | undefined>> {
  name?: string | undefined;
  description?: string | undefined;
  audience?: string | undefined;
  /** RFC 8707 resources besides the audience; replaces the whole list. */
  resources?: string[] | undefined;
}

type ServerDeps = { store: Store; clock: Clock; keys: KeyRing };

/** Creates a server with all its settings, in one transaction (no half-configured server on failure). */
export async function createConfiguredServer(
  deps: ServerDeps,
  input: NewAuthorizationServer &
    Partial<Record<keyof ServerLifetimes, number | undefined>> & { resources?: string[] | undefined },
): Promise<AuthorizationServerRow> {
  const declared = checkDeclaredResources(input.resources ?? []);
  if ('problem' in declared) throw new ValidationError('invalid_server', 'resources', declared.problem);
  const lifetimes = checkLifetimes({
    codeLifetimeSeconds: input.codeLifetimeSeconds ?? SERVER_DEFAULTS.codeLifetimeSeconds,
    accessTokenLifetimeSeconds:
      input.accessTokenLifetimeSeconds ?? SERVER_DEFAULTS.accessTokenLifetimeSeconds,
    idTokenLifetimeSeconds: input.idTokenLifetimeSeconds ?? SERVER_DEFAULTS.idTokenLifetimeSeconds,
    refreshTokenIdleSeconds: input.refreshTokenIdleSeconds ?? SERVER_DEFAULTS.refreshTokenIdleSeconds,
    refreshTokenAbsoluteSeconds:
      input.refreshTokenAbsoluteSeconds ?? SERVER_DEFAULTS.refreshTokenAbsoluteSeconds,
  });
  return deps.store.transaction(async (tx) => {
    const created = await createAuthorizationServer({ ...deps, store: tx }, input);
    const resources = declared.resources.filter((resource) => resource !== created.audience);
    await tx.authorizationServers.update(created.id, { ...lifetimes, resources });
    return { ...created, ...lifetimes, resources };
  });
}

/** Changes the settings given; those left out keep their values. */
export async function updateAuthorizationServer(
  deps: Pick<ServerDeps, 'store' | 'clock'>,
  serverId: string,
  changes: ServerChanges,
): Promise<AuthorizationServerRow> {
  const current = await requireAuthorizationServer(deps.store, serverId);
  const merged: AuthorizationServerRow = { ...current, ...defined(changes), updatedAt: deps.clock.now() };
  // The same rules as createAuthorizationServer.
  merged.name = merged.name.trim();
  if (merged.name === '' || merged.name.length > 100)
    throw new ValidationError('invalid_server', 'name', 'Name must be 1-100 characters.');
  merged.audience = merged.audience.trim();
  if (merged.audience === '' || merged.audience.length > 1024 || /\s/.test(merged.audience)) {
    throw new ValidationError(
      'invalid_server',
      'audience',
      'Audience must be 1-1024 characters without spaces, e.g. api://my-api.',
    );
  }
  if (merged.description.length > 1000)
    throw new ValidationError(
      'invalid_server',
      'description',
      'Description must be at most 1000 characters.',
    );
  const declared = checkDeclaredResources(merged.resources.map((resource) => resource.trim()));
  if ('problem' in declared) throw new ValidationError('invalid_server', 'resources', declared.problem);
  merged.resources = declared.resources.filter((resource) => resource !== merged.audience);
  checkLifetimes(merged);
  const { id: _id, createdAt: _createdAt, ...patch } = merged;
  await deps.store.authorizationServers.update(serverId, patch);
  return merged;
}

export function checkLifetimes<T extends ServerLifetimes>(lifetimes: T): T {
  checkCodeLifetime(lifetimes.codeLifetimeSeconds);
  const range = (field: keyof ServerLifetimes, min: number, max: number, what: string): void => {
    const value = lifetimes[field];
    if (!Number.isInteger(value) || value < min || value > max)
      throw new ValidationError('invalid_server', field, `${what} must be ${min}-${max} seconds.`);
  };
  range('accessTokenLifetimeSeconds', 5 * MINUTE, DAY, 'The access token lifetime');
  range('idTokenLifetimeSeconds', 5 * MINUTE, DAY, 'The ID token lifetime');
  range('refreshTokenIdleSeconds', 10 * MINUTE, FIVE_YEARS, 'The refresh token idle window');
  const absolute = lifetimes.refreshTokenAbsoluteSeconds;
  const floor = Math.max(lifetimes.accessTokenLifetimeSeconds, lifetimes.refreshTokenIdleSeconds);
  if (!Number.isInteger(absolute) || (absolute !== 0 && (absolute < floor || absolute > FIVE_YEARS))) {
    throw new ValidationError(
      'invalid_server',
      'refreshTokenAbsoluteSeconds',
      `The refresh token lifetime must be 0 (unlimited) or ${floor}-${FIVE_YEARS} seconds (at least the access token lifetime and the idle window).`,
    );
  }
  return lifetimes;
}

export interface ScopeChanges {
  displayName?: string | undefined;
  description?: string | undefined;
  metadataPublish?: ScopeRow['metadataPublish'] | undefined;
}

/** Changes a custom scope; its name is its id and stays. One transaction replaces the row. */
export async function updateCustomScope(
  deps: { store: Store },
  serverId: string,
  name: string,
  changes: ScopeChanges,
): Promise<ScopeRow> {
  const current = await requireCustomScope(deps.store, serverId, name);
  const row: ScopeRow = { ...current, ...defined(changes) };
  row.displayName = row.displayName.trim();
  if (row.displayName === '' || row.displayName.length > 100)
    throw new ValidationError('invalid_scope', 'displayName', 'Display name must be 1-100 characters.');
  row.description = row.description.trim();
  if (row.description.length > 1000)
    throw new ValidationError('invalid_scope', 'description', 'Description must be at most 1000 characters.');
  await deps.store.transaction(async (tx) => {
    await tx.authorizationServers.deleteScope(serverId, name);
    await tx.authorizationServers.addScope(row);
  });
  return row;
}

export async function deleteCustomScope(
  deps: { store: Store },
  serverId: string,
  name: string,
): Promise<void> {
  await requireCustomScope(deps.store, serverId, name);
  await deps.store.authorizationServers.deleteScope(serverId, name);
}

/** A custom scope of the server; the reserved scopes (openid, profile, …) cannot be changed. */
export async function requireCustomScope(store: Store, serverId: string, name: string): Promise<ScopeRow> {
  await requireAuthorizationServer(store, serverId);
  if ((RESERVED_SCOPES as readonly string[]).includes(name)) {
    throw new ValidationError(
      'invalid_scope',
      'name',
      `"${name}" is a reserved scope and cannot be changed.`,
    );
  }
  const scope = (await store.authorizationServers.listScopes(serverId)).find((row) => row.name === name);
  if (scope === undefined) throw new NotFoundError('OAuth2Scope', name);
  return scope;
}

/** The members that are set: `{ a: undefined }` must not overwrite a stored value. */
export function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
