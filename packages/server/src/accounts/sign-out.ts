// Ending everything a user is signed in with (ASVS 7.4.2, 7.4.3, 7.4.5; SECURITY-MATRIX RT-07): their
// browser sessions (the console's too), refresh tokens and access tokens. Used when a user is deactivated, when their
// password changes and by `latchkey users sign-out`. Revocation is in the database, so every instance
// refuses the tokens at once.

import type { Store } from '../storage/store.ts';

export interface EndedSessions {
  sessions: number;
  refreshTokens: number;
  accessTokens: number;
}

/** Revokes the user's sessions and tokens in one transaction (nested in the caller's, if any). */
export async function endUserSessions(store: Store, userId: string, now: number): Promise<EndedSessions> {
  return store.transaction(async (tx) => ({
    sessions:
      (await tx.sessions.revokeForUser(userId, now)) + (await tx.adminSessions.revokeForUser(userId, now)),
    refreshTokens: await tx.refreshTokens.revokeForUser(userId, now),
    accessTokens: await tx.accessTokens.revokeForUser(userId, now),
  }));
}
