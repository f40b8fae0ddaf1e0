import { affected, decode, encode, type Kinds } from '../codec.ts';
import { queryTemplate } from '../query-template.ts';
import type { Executor, SessionsTable } from '../schema.ts';
import type { SessionRow, SessionStore } from '../store.ts';

const SESSION: Kinds<SessionRow> = { amr: 'json' };

export function sessionPart(db: Executor): SessionStore {
  // Issue 8: every /authorize with an SSO cookie looks its session up, compiled once (query-template.ts).
  const select = queryTemplate(db, 2, (kysely, idHash: string, now: number) =>
    kysely
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now),
  );
  return {
    async create(row) {
      await db().insertInto('sessions').values(encode(row)).execute();
    },
    async get(idHash, now) {
      const row = (await select<SessionsTable>(idHash, now)).rows[0];
      return row && decode<SessionRow>(row, SESSION);
    },
    async touch(idHash, now) {
      await db().updateTable('sessions').set({ last_active_at: now }).where('id_hash', '=', idHash).execute();
    },
    async revoke(idHash, now) {
      await db()
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('id_hash', '=', idHash)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async revokeForUser(userId, now) {
      const result = await db()
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result);
    },
  };
}
