import { affected, decode, encode, type Kinds } from '../codec.ts';
import type { Executor } from '../schema.ts';
import type { AdminSessionRow, AdminSessionStore } from '../store.ts';

const ADMIN_SESSION: Kinds<AdminSessionRow> = {};

export function adminSessionPart(db: Executor): AdminSessionStore {
  return {
    async create(row) {
      await db().insertInto('admin_sessions').values(encode(row)).execute();
    },
    async get(idHash, now) {
      const row = await db()
        .selectFrom('admin_sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row && decode<AdminSessionRow>(row, ADMIN_SESSION);
    },
    async touch(idHash, now) {
      await db()
        .updateTable('admin_sessions')
        .set({ last_active_at: now })
        .where('id_hash', '=', idHash)
        .execute();
    },
    async revoke(idHash, now) {
      await db()
        .updateTable('admin_sessions')
        .set({ revoked_at: now })
        .where('id_hash', '=', idHash)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async revokeForUser(userId, now) {
      const result = await db()
        .updateTable('admin_sessions')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result);
    },
  };
}
