// Admin API tokens, sent as `Authorization: SSWS <token>` (Okta's scheme) or `Bearer <token>`. A token is
// `lk_` and 40 random alphanumerics (about 238 bits, RFC 6749 §10.10), shown once and stored only as its
// SHA-256 (like client secrets, AC-06); it is compared in constant time (ASVS 11.2.4, LG-13). Revocation
// is a database write, so every instance refuses the token at once. A token may expire (AD-04), and records
// who made it; a token made with another token never outlives it, so an expiring token cannot mint itself
// a permanent successor.

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

/** The longest expiry a token may be given: ten years. */
export const MAX_API_TOKEN_DAYS = 3650;

export interface NewApiToken {
  name: string;
  /** `cli:<os user>`, or the user id of the console admin (or of the admin behind the creating token). */
  createdBy?: string | null | undefined;
  /** Epoch seconds; null or absent: never expires (unless `parent` does). */
  expiresAt?: number | null | undefined;
  /** The API token making this one, through the admin API. */
  parent?: ApiTokenRow | undefined;
}

export async function createApiToken(deps: TokenDeps, input: NewApiToken): Promise<CreatedApiToken> {
  const name = input.name.trim();
  if (name === '' || name.length > 100)
    throw new ValidationError('invalid_token', 'name', 'Name must be 1-100 characters.');
  const now = deps.clock.now();
  const expiresAt = checkExpiry(now, input.expiresAt ?? null, input.parent);
  const token = generateId('lk_', 40);
  const row: ApiTokenRow = {
    id: generateId('00T'),
    name,
    tokenHash: sha256Hex(token),
    createdBy: input.createdBy ?? null,
    createdAt: now,
    expiresAt,
    lastUsedAt: null,
    revokedAt: null,
  };
  await deps.store.apiTokens.create(row);
  return { row, token };
}

function checkExpiry(now: number, expiresAt: number | null, parent: ApiTokenRow | undefined): number | null {
  if (expiresAt !== null) {
    if (!Number.isInteger(expiresAt) || expiresAt <= now)
      throw new ValidationError('invalid_token', 'expiresAt', 'The expiry must be a time in the future.');
    if (expiresAt > now + MAX_API_TOKEN_DAYS * 86400)
      throw new ValidationError(
        'invalid_token',
        'expiresAt',
        `The expiry must be within ${MAX_API_TOKEN_DAYS} days.`,
      );
  }
  const limit = parent?.expiresAt ?? null;
  if (limit === null) return expiresAt;
  if (expiresAt === null) return limit;
  if (expiresAt > limit) {
    throw new ValidationError(
      'invalid_token',
      'expiresAt',
      `A token made with API token "${parent?.name}" cannot outlive it: choose an expiry before ${new Date(limit * 1000).toISOString()}.`,
    );
  }
  return expiresAt;
}

/** Days from now as an expiry in epoch seconds (`--expires-in`, the console form); refuses anything else. */
export function expiryInDays(now: number, days: string, field: string): number {
  const value = Number(days.trim());
  if (!/^\d+$/.test(days.trim()) || value < 1 || value > MAX_API_TOKEN_DAYS) {
    throw new ValidationError(
      'invalid_token',
      field,
      `"${days}" is not a number of days; use a whole number from 1 to ${MAX_API_TOKEN_DAYS}.`,
    );
  }
  return now + value * 86400;
}

/**
 * Who made a token, in words: the admin's login (and id) for a console or admin-API token, `cli:<os user>`
 * as recorded, or "an unrecorded creator" for tokens made before creators were recorded.
 */
export async function describeCreator(store: Store, createdBy: string | null): Promise<string> {
  if (createdBy === null) return 'an unrecorded creator';
  if (createdBy.startsWith('cli')) return createdBy;
  const user = await store.users.get(createdBy);
  return user === undefined ? `user ${createdBy} (deleted)` : `${user.login} (${user.id})`;
}

/** For system log reasons: `it expires at 2026-01-01T00:00:00.000Z` or `it never expires`. */
export function describeExpiry(token: Pick<ApiTokenRow, 'expiresAt'>): string {
  return token.expiresAt === null
    ? 'it never expires'
    : `it expires at ${new Date(token.expiresAt * 1000).toISOString()}`;
}

export function isExpired(token: ApiTokenRow, now: number): boolean {
  return token.expiresAt !== null && token.expiresAt <= now;
}

/** `ACTIVE`, `EXPIRED` or `REVOKED`, as the CLI, the admin API and the console show it. */
export function apiTokenStatus(token: ApiTokenRow, now: number): 'ACTIVE' | 'EXPIRED' | 'REVOKED' {
  if (token.revokedAt !== null) return 'REVOKED';
  return isExpired(token, now) ? 'EXPIRED' : 'ACTIVE';
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

/** The live token matching `presented`, or undefined for anything else (unknown, malformed, revoked, expired). */
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
  // AD-04: an expired token is refused like a revoked one.
  if (isExpired(row, now)) return undefined;
  if (row.lastUsedAt === null || now - row.lastUsedAt >= TOUCH_INTERVAL_SECONDS) {
    await deps.store.apiTokens.touch(row.id, now);
  }
  return row;
}
