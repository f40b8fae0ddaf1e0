// Ends a grant: every refresh token of its family and every access token minted from it (RFC 6749 §4.1.2
// on code replay, RFC 9700 §4.14.2 on refresh-token reuse, RFC 7009 §2.1 on revocation).

import type { Store } from '../storage/store.ts';

/** Returns how many tokens were revoked; one transaction, safe to race a concurrent rotation. */
export async function revokeGrant(store: Store, grantId: string, now: number): Promise<number> {
  return store.transaction(
    async (tx) =>
      (await tx.refreshTokens.revokeGrant(grantId, now)) +
      (await tx.accessTokens.revokeGrant(grantId, now)) +
      // RL-02 (keycloak#51312): on PostgreSQL (READ COMMITTED) the first statement waits for a rotation
      // that holds the newest token's row, but cannot see the successor that rotation inserts; this later
      // statement, with a fresh snapshot, can. (The access-token statement above already sees its token.)
      (await tx.refreshTokens.revokeGrant(grantId, now)),
  );
}
