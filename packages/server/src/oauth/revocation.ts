// RFC 7009 §2.1 (revocation request), §2.2 (200 whether or not the token was known), OKTA-COMPAT §1.6:
// a client revokes only its own tokens; revoking a refresh token revokes its whole grant.

import type { Deps } from '../deps.ts';
import type { ClientRow } from '../storage/store.ts';
import { type TokenServer, verifyAccessTokenJwt } from './access-token-validation.ts';
import { revokeGrant } from './grant-revocation.ts';
import { sha256Hex } from './random.ts';

export type RevocationOutcome =
  | { kind: 'access_token'; userId: string | null; revoked: number }
  | { kind: 'refresh_token'; userId: string; revoked: number }
  /** RFC 7009 §2.1: another client's token is left untouched, and the caller cannot tell (RV-02). */
  | { kind: 'other_client'; ownerClientId: string; userId: string | null }
  | { kind: 'unknown' };

type RevocationDeps = Pick<Deps, 'keys' | 'clock' | 'store'>;
type Revoker = (
  deps: RevocationDeps,
  target: TokenServer,
  client: ClientRow,
  token: string,
) => Promise<RevocationOutcome>;

/**
 * `token_type_hint` only orders the search (RFC 7009 §2.1: "MAY ignore"), so an unknown hint is harmless.
 * Returns only after the revocation is stored; a store failure throws (503, never 200: RL-05).
 */
export async function revokeToken(
  deps: RevocationDeps,
  target: TokenServer,
  client: ClientRow,
  token: string,
  hint: string | undefined,
): Promise<RevocationOutcome> {
  const order: Revoker[] =
    hint === 'access_token'
      ? [revokeAccessToken, revokeRefreshToken]
      : [revokeRefreshToken, revokeAccessToken];
  for (const revoke of order) {
    const outcome = await revoke(deps, target, client, token);
    if (outcome.kind !== 'unknown') return outcome;
  }
  return { kind: 'unknown' };
}

async function revokeRefreshToken(
  deps: RevocationDeps,
  target: TokenServer,
  client: ClientRow,
  token: string,
): Promise<RevocationOutcome> {
  const row = await deps.store.refreshTokens.get(sha256Hex(token));
  if (row === undefined || row.serverId !== target.server.id) return { kind: 'unknown' };
  if (row.clientId !== client.clientId) {
    return { kind: 'other_client', ownerClientId: row.clientId, userId: row.userId };
  }
  const now = deps.clock.now();
  // OKTA-COMPAT §1.6: the rotation family and every access token minted from it, in one transaction.
  const revoked = await revokeGrant(deps.store, row.grantId, now);
  return { kind: 'refresh_token', userId: row.userId, revoked };
}

async function revokeAccessToken(
  deps: RevocationDeps,
  target: TokenServer,
  client: ClientRow,
  token: string,
): Promise<RevocationOutcome> {
  if (token.split('.').length !== 3) return { kind: 'unknown' };
  // The signature must be ours before its `jti` means anything; an expired token needs no revocation.
  const verified = await verifyAccessTokenJwt(deps, target, token);
  if (!('claims' in verified)) return { kind: 'unknown' };
  const row = await deps.store.accessTokens.get(verified.claims.jti);
  if (row === undefined || row.serverId !== target.server.id) return { kind: 'unknown' };
  if (row.clientId !== client.clientId) {
    return { kind: 'other_client', ownerClientId: row.clientId, userId: row.userId };
  }
  // Only this token: its refresh token and siblings stay valid (OKTA-COMPAT §1.6).
  const revoked = (await deps.store.accessTokens.revoke(row.jti, deps.clock.now())) ? 1 : 0;
  return { kind: 'access_token', userId: row.userId, revoked };
}
