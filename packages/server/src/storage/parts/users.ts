import { sql } from 'kysely';
import { affected, decode, encode, type Kinds } from '../codec.ts';
import type { Executor, UsersTable } from '../schema.ts';
import type { UserRow, UserStore } from '../store.ts';

const USER: Kinds<UserRow> = { isAdmin: 'bool' };

function toUser({ login_lower: _loginLower, ...columns }: UsersTable): UserRow {
  return decode<UserRow>(columns, USER);
}

// LIKE treats % and _ as wildcards; a search for "a_b" means the literal text.
const likePattern = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function userPart(db: Executor): UserStore {
  const get = async (id: string): Promise<UserRow | undefined> => {
    const row = await db().selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  };
  return {
    async create(row) {
      await db()
        .insertInto('users')
        .values({ ...encode(row), login_lower: row.login.toLowerCase() })
        .execute();
    },
    get,
    async getByLogin(login) {
      const row = await db()
        .selectFrom('users')
        .selectAll()
        .where('login_lower', '=', login.toLowerCase())
        .executeTakeFirst();
      return row && toUser(row);
    },
    /** Ordered by login (case-insensitively); `after` is the last login of the previous page. */
    async list({ limit, after, search, admin }) {
      let query = db().selectFrom('users').selectAll().orderBy('login_lower').limit(Math.max(0, limit));
      if (after !== undefined) query = query.where('login_lower', '>', after.toLowerCase());
      if (admin !== undefined) query = query.where('is_admin', '=', Number(admin));
      if (search !== undefined && search !== '') {
        const pattern = likePattern(search);
        query = query.where((eb) =>
          eb.or([
            sql<boolean>`${eb.ref('login_lower')} like ${pattern} escape '\\'`,
            sql<boolean>`lower(${eb.ref('email')}) like ${pattern} escape '\\'`,
            sql<boolean>`lower(${eb.ref('name')}) like ${pattern} escape '\\'`,
          ]),
        );
      }
      return (await query.execute()).map(toUser);
    },
    async update(id, patch) {
      const values = encode(patch);
      if (Object.keys(values).length === 0) return (await get(id)) !== undefined;
      const set = patch.login === undefined ? values : { ...values, login_lower: patch.login.toLowerCase() };
      return affected(await db().updateTable('users').set(set).where('id', '=', id).executeTakeFirst()) > 0;
    },
    async recordFailedLogin(id, { now, threshold, lockSeconds }) {
      // One statement, so concurrent failures each count once and exactly one of them locks: every
      // right-hand side sees the row as it was before this UPDATE.
      const row = await db()
        .updateTable('users')
        .set({
          failed_logins: sql<number>`case when failed_logins + 1 >= ${threshold} then 0 else failed_logins + 1 end`,
          locked_until: sql<
            number | null
          >`case when failed_logins + 1 >= ${threshold} then ${now + lockSeconds} else locked_until end`,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toUser(row);
    },
    async resetFailedLogins(id) {
      await db()
        .updateTable('users')
        .set({ failed_logins: 0, locked_until: null })
        .where('id', '=', id)
        .execute();
    },
    async delete(id) {
      return affected(await db().deleteFrom('users').where('id', '=', id).executeTakeFirst()) > 0;
    },
  };
}
