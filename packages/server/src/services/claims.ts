// Custom claims of an authorization server (Okta's `/api/v1/authorizationServers/{id}/claims`,
// OKTA-COMPAT §7.2). Every value is checked here, so a token is never minted from a claim that could
// shadow a registered claim or run anything but the small expression language of custom-claims.ts.

import type { Clock } from '../deps.ts';
import { generateId } from '../oauth/random.ts';
import { GRANTABLE_RESERVED_SCOPES } from '../oauth/scope.ts';
import { CLAIM_PATHS, parseClaimExpression, REGISTERED_CLAIMS } from '../oauth/tokens/custom-claims.ts';
import { type ClaimRow, type ClaimType, DuplicateError, type Store } from '../storage/store.ts';
import { requireAuthorizationServer } from './authorization-servers.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { defined } from './server-settings.ts';

type ClaimDeps = { store: Store; clock: Clock };

export interface ClaimSettings {
  name: string;
  claimType: ClaimType;
  valueType?: string | undefined;
  value: string;
  scopes?: string[] | undefined;
  alwaysIncludeInToken?: boolean | undefined;
  status?: ClaimRow['status'] | undefined;
}

export type ClaimChanges = { [K in keyof ClaimSettings]?: ClaimSettings[K] | undefined };

// RFC 7519 §4: any string; we keep to printable ASCII without spaces, quotes or backslashes.
const CLAIM_NAME = /^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/;

export async function createClaim(
  deps: ClaimDeps,
  serverId: string,
  input: ClaimSettings,
): Promise<ClaimRow> {
  const now = deps.clock.now();
  const row = await checkClaim(
    deps.store,
    {
      id: generateId('ocl'),
      serverId,
      name: input.name,
      claimType: input.claimType,
      valueType: 'EXPRESSION',
      value: input.value,
      scopes: input.scopes ?? [],
      alwaysIncludeInToken: input.alwaysIncludeInToken ?? true,
      status: input.status ?? 'ACTIVE',
      createdAt: now,
      updatedAt: now,
    },
    input.valueType,
  );
  await saveClaim(() => deps.store.claims.create(row), row);
  return row;
}

/** Replaces the settings given; those left out keep their values. */
export async function updateClaim(
  deps: ClaimDeps,
  serverId: string,
  claimId: string,
  patch: ClaimChanges,
): Promise<ClaimRow> {
  const current = await requireClaim(deps.store, serverId, claimId);
  const { valueType, ...settings } = defined(patch);
  const row = await checkClaim(
    deps.store,
    { ...current, ...settings, updatedAt: deps.clock.now() },
    valueType,
  );
  const { id: _id, serverId: _serverId, createdAt: _createdAt, ...changes } = row;
  await saveClaim(() => deps.store.claims.update(serverId, claimId, changes), row);
  return row;
}

export async function deleteClaim(deps: ClaimDeps, serverId: string, claimId: string): Promise<void> {
  await requireAuthorizationServer(deps.store, serverId);
  if (!(await deps.store.claims.delete(serverId, claimId))) throw new NotFoundError('Claim', claimId);
}

export async function requireClaim(store: Store, serverId: string, claimId: string): Promise<ClaimRow> {
  await requireAuthorizationServer(store, serverId);
  const claim = await store.claims.get(serverId, claimId);
  if (claim === undefined) throw new NotFoundError('Claim', claimId);
  return claim;
}

async function checkClaim(store: Store, row: ClaimRow, valueType: string | undefined): Promise<ClaimRow> {
  const invalid = (field: string, message: string) => new ValidationError('invalid_claim', field, message);
  const name = row.name.trim();
  if (!CLAIM_NAME.test(name) || name === '__proto__') {
    throw invalid('name', "A claim name is 1-100 printable ASCII characters without spaces, '\"' or '\\'.");
  }
  // A custom claim must never stand in for one the token defines itself (iss, sub, aud, exp, …).
  if (REGISTERED_CLAIMS.has(name)) throw invalid('name', `"${name}" is a reserved claim name.`);
  if (row.claimType !== 'RESOURCE' && row.claimType !== 'IDENTITY') {
    throw invalid('claimType', 'Use RESOURCE (access tokens) or IDENTITY (ID tokens).');
  }
  if (valueType !== undefined && valueType !== 'EXPRESSION') {
    throw invalid('valueType', 'Only EXPRESSION claims are supported (GROUPS and SYSTEM are not).');
  }
  if (parseClaimExpression(row.value) === undefined) {
    throw invalid(
      'value',
      `Use one of ${CLAIM_PATHS.join(', ')} or a quoted string such as "engineering" (no backslashes).`,
    );
  }
  if (row.status !== 'ACTIVE' && row.status !== 'INACTIVE')
    throw invalid('status', 'Use ACTIVE or INACTIVE.');
  const server = await requireAuthorizationServer(store, row.serverId);
  const known = new Set([
    ...GRANTABLE_RESERVED_SCOPES,
    ...(await store.authorizationServers.listScopes(server.id)).map((scope) => scope.name),
  ]);
  const unknown = row.scopes.filter((scope) => !known.has(scope));
  if (unknown.length > 0) {
    throw invalid('conditions.scopes', `Unknown scopes on server ${server.id}: ${unknown.join(', ')}.`);
  }
  return { ...row, name, value: row.value.trim(), scopes: [...new Set(row.scopes)] };
}

async function saveClaim(write: () => Promise<unknown>, row: ClaimRow): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof DuplicateError) {
      throw new ValidationError(
        'invalid_claim',
        'name',
        `Server ${row.serverId} already has a ${row.claimType} claim named "${row.name}".`,
      );
    }
    throw error;
  }
}
