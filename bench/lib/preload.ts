// Fills a Latchkey database with `rows` users, access tokens, refresh tokens and events before the server
// starts (BENCH_PRELOAD_ROWS), through the store itself, so the benchmark can compare a full database with an
// empty one. Rows are written in transactions of 10,000; expiries lie in the future, so the sweeper keeps them.

import { randomBytes } from 'node:crypto';
import { openStore } from '../../packages/server/src/storage/open-store.ts';

const BATCH = 10_000;

export async function preload(databaseUrl: string, rows: number, clientId: string): Promise<void> {
  const store = await openStore(databaseUrl);
  const now = Math.floor(Date.now() / 1000);
  const id = (prefix: string, i: number): string => `${prefix}${i.toString(36).padStart(8, '0')}`;
  try {
    for (let start = 0; start < rows; start += BATCH) {
      const end = Math.min(rows, start + BATCH);
      await store.transaction(async (tx) => {
        for (let i = start; i < end; i++) {
          const userId = id('00ubench', i);
          await tx.users.create({
            id: userId,
            login: `user${i}@bench.example`,
            email: `user${i}@bench.example`,
            name: `User ${i}`,
            givenName: null,
            familyName: null,
            passwordHash: null,
            status: 'ACTIVE',
            isAdmin: false,
            failedLogins: 0,
            lockedUntil: null,
            passwordChangedAt: null,
            createdAt: now,
            updatedAt: now,
          });
          const grantId = id('grant', i);
          await tx.accessTokens.create({
            jti: id('AT.bench', i),
            serverId: 'default',
            clientId,
            userId,
            grantId,
            scope: 'openid offline_access',
            issuedAt: now,
            expiresAt: now + 3600,
            revokedAt: null,
          });
          await tx.refreshTokens.create({
            tokenHash: randomBytes(32).toString('hex'),
            familyId: id('fam', i),
            generation: 0,
            serverId: 'default',
            clientId,
            userId,
            grantId,
            scope: 'openid offline_access',
            authTime: now,
            amr: ['pwd'],
            issuedAt: now,
            expiresAt: null,
            idleExpiresAt: now + 7 * 86_400,
            rotatedAt: null,
            successorSealed: null,
            revokedAt: null,
          });
          await tx.events.append({
            id: id('evbench', i),
            time: now,
            type: 'app.oauth2.token.grant',
            outcome: 'SUCCESS',
            serverId: 'default',
            clientId,
            userId,
            actor: null,
            ip: '127.0.0.1',
            error: null,
            reason: `Tokens issued to Bench for grant authorization_code (scopes: openid offline_access).`,
          });
        }
      });
    }
  } finally {
    await store.close();
  }
}
