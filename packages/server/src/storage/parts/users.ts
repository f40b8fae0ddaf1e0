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
    async beginLogin(id, { now, threshold, lockSeconds }) {
      // One statement, so concurrent attempts each count once, exactly one of them locks, and none
      // starts while the lock holds: every right-hand side sees the row as it was before this UPDATE,
      // and the row lock orders concurrent UPDATEs on any number of instances.
      const ended = sql<boolean>`(locked_until is not null and locked_until <= ${now})`;
      const attempt = sql<number>`(case when ${ended} then 0 else failed_logins end) + 1`;
      const row = await db()
        .updateTable('users')
        .set({
          failed_logins: attempt,
          locked_until: sql<number | null>`case when ${attempt} >= ${threshold} then ${now + lockSeconds}
            when ${ended} then null else locked_until end`,
        })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .returning('failed_logins')
        .executeTakeFirst();
      return row === undefined ? undefined : Number(row.failed_logins);
    },
    async completeLogin(id, { now, threshold, attempt }) {
      // While locked nobody else can begin, so a lock with the count at our attempt number is our own.
      const ours = attempt >= threshold;
      const result = await db()
        .updateTable('users')
        .set({ failed_logins: 0, locked_until: null })
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb('locked_until', 'is', null),
            eb('locked_until', '<=', now),
            ...(ours ? [eb('failed_logins', '=', attempt)] : []),
          ]),
        )
        .executeTakeFirst();
      return affected(result) > 0;
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
