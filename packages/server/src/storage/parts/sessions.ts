import { affected, decode, encode, type Kinds } from '../codec.ts';
import type { Executor } from '../schema.ts';
import type { SessionRow, SessionStore } from '../store.ts';

const SESSION: Kinds<SessionRow> = { amr: 'json' };

export function sessionPart(db: Executor): SessionStore {
  return {
    async create(row) {
      await db().insertInto('sessions').values(encode(row)).execute();
    },
    async get(idHash, now) {
      const row = await db()
        .selectFrom('sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
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
