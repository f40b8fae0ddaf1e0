import { affected, decode, encode, type Kinds } from '../codec.ts';
import { changed, insertTemplate, queryTemplate } from '../query-template.ts';
import type { Executor, RefreshTokensTable } from '../schema.ts';
import type { AccessTokenRow, AccessTokenStore, RefreshTokenRow, RefreshTokenStore } from '../store.ts';

const ACCESS: Kinds<AccessTokenRow> = {};
const REFRESH: Kinds<RefreshTokenRow> = { amr: 'json' };

export function accessTokenPart(db: Executor): AccessTokenStore {
  // Issue 8: every token request stores one access token.
  const insert = insertTemplate(db, 'access_tokens');
  return {
    async create(row) {
      await insert(encode(row));
    },
    async get(jti) {
      const row = await db()
        .selectFrom('access_tokens')
        .selectAll()
        .where('jti', '=', jti)
        .executeTakeFirst();
      return row && decode<AccessTokenRow>(row, ACCESS);
    },
    async revoke(jti, now) {
      const result = await db()
        .updateTable('access_tokens')
        .set({ revoked_at: now })
        .where('jti', '=', jti)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result) > 0;
    },
    async revokeGrant(grantId, now) {
      const result = await db()
        .updateTable('access_tokens')
        .set({ revoked_at: now })
        .where('grant_id', '=', grantId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result);
    },
    async revokeForUser(userId, now) {
      const result = await db()
        .updateTable('access_tokens')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result);
    },
    async revokeForClient(clientId, now) {
      const result = await db()
        .updateTable('access_tokens')
        .set({ revoked_at: now })
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result);
    },
  };
}

export function refreshTokenPart(db: Executor): RefreshTokenStore {
  // Issue 8: the refresh grant's queries, compiled once (query-template.ts).
  const insert = insertTemplate(db, 'refresh_tokens');
  const select = queryTemplate(db, 1, (kysely, tokenHash: string) =>
    kysely.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash),
  );
  const rotate = queryTemplate(db, 3, (kysely, now: number, sealed: string, tokenHash: string) =>
    kysely
      .updateTable('refresh_tokens')
      .set({ rotated_at: now, successor_sealed: sealed })
      .where('token_hash', '=', tokenHash)
      .where('rotated_at', 'is', null)
      .where('revoked_at', 'is', null),
  );
  return {
    async create(row) {
      await insert(encode(row));
    },
    async get(tokenHash) {
      const row = (await select<RefreshTokensTable>(tokenHash)).rows[0];
      return row && decode<RefreshTokenRow>(row, REFRESH);
    },
    async rotate(tokenHash, { now, successorSealed }) {
      // SECURITY-MATRIX rule 5: the WHERE clause is the whole race; a second caller updates no row.
      return changed(await rotate(now, successorSealed, tokenHash)) === 1;
    },
    async touch(tokenHash, idleExpiresAt) {
      const result = await db()
        .updateTable('refresh_tokens')
        .set({ idle_expires_at: idleExpiresAt })
        .where('token_hash', '=', tokenHash)
        .where('rotated_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result) === 1;
    },
    async revokeGrant(grantId, now) {
      const result = await db()
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('grant_id', '=', grantId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result);
    },
    async revokeForUser(userId, now) {
      const result = await db()
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result);
    },
    async revokeForClient(clientId, now) {
      const result = await db()
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result);
    },
  };
}
