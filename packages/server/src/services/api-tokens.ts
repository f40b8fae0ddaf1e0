// Admin API tokens, sent as `Authorization: SSWS <token>` (Okta's scheme) or `Bearer <token>`. A token is
// `lk_` and 40 random alphanumerics (about 238 bits, RFC 6749 §10.10), shown once and stored only as its
// SHA-256 (like client secrets, AC-06); it is compared in constant time (ASVS 11.2.4, LG-13). Revocation
// is a database write, so every instance refuses the token at once.

import type { Clock } from '../deps.ts';
import { generateId, matchesHash, sha256Hex } from '../oauth/random.ts';
import type { ApiTokenRow, Store } from '../storage/store.ts';
import { NotFoundError, ValidationError } from './errors.ts';

const TOKEN_FORMAT = /^lk_[A-Za-z0-9]{40}$/;
/** `lastUsedAt` is a convenience for operators, so it is written at most once a minute per token. */
const TOUCH_INTERVAL_SECONDS = 60;

type TokenDeps = { store: Store; clock: Clock };

export interface CreatedApiToken {
  row: ApiTokenRow;
  /** The token itself: shown once, never stored. */
  token: string;
}

export async function createApiToken(
  deps: TokenDeps,
  input: { name: string; createdBy?: string | null | undefined },
): Promise<CreatedApiToken> {
  const name = input.name.trim();
  if (name === '' || name.length > 100)
    throw new ValidationError('invalid_token', 'name', 'Name must be 1-100 characters.');
  const token = generateId('lk_', 40);
  const row: ApiTokenRow = {
    id: generateId('00T'),
    name,
    tokenHash: sha256Hex(token),
    createdBy: input.createdBy ?? null,
    createdAt: deps.clock.now(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await deps.store.apiTokens.create(row);
  return { row, token };
}

export async function requireApiToken(store: Store, id: string): Promise<ApiTokenRow> {
  const row = await store.apiTokens.get(id);
  if (row === undefined) throw new NotFoundError('ApiToken', id);
  return row;
}

/** Revokes a token; revoking it again changes nothing (`changed: false`). */
export async function revokeApiToken(
  deps: TokenDeps,
  id: string,
): Promise<{ token: ApiTokenRow; changed: boolean }> {
  const row = await requireApiToken(deps.store, id);
  const now = deps.clock.now();
  if (row.revokedAt !== null || !(await deps.store.apiTokens.revoke(id, now))) {
    return { token: (await deps.store.apiTokens.get(id)) ?? row, changed: false };
  }
  return { token: { ...row, revokedAt: now }, changed: true };
}

/** The live token matching `presented`, or undefined for anything else (unknown, malformed, revoked). */
export async function authenticateApiToken(
  deps: TokenDeps,
  presented: string,
): Promise<ApiTokenRow | undefined> {
  if (!TOKEN_FORMAT.test(presented)) return undefined;
  const row = await deps.store.apiTokens.getByHash(sha256Hex(presented));
  // The lookup is by hash, so nothing about the stored value leaks through timing; the constant-time
  // comparison keeps the check itself independent of the index.
  if (row === undefined || row.revokedAt !== null || !matchesHash(presented, row.tokenHash)) return undefined;
  const now = deps.clock.now();
  if (row.lastUsedAt === null || now - row.lastUsedAt >= TOUCH_INTERVAL_SECONDS) {
    await deps.store.apiTokens.touch(row.id, now);
  }
  return row;
}
