import { sql } from 'kysely';
import { affected, decode, encode, type Kinds } from '../codec.ts';
import { queryTemplate } from '../query-template.ts';
import type { Executor, UsersTable } from '../schema.ts';
import type { UserRow, UserStore } from '../store.ts';

const USER: Kinds<UserRow> = { isAdmin: 'bool' };

function toUser({
  login_lower: _loginLower,
  pending_logins: _pending,
  pending_since: _pendingSince,
  ...columns
}: UsersTable): UserRow {
  return decode<UserRow>(columns, USER);
}

// LIKE treats % and _ as wildcards; a search for "a_b" means the literal text.
const likePattern = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Nothing checks a password for a minute: a count left by a process that died mid-check lapses then. */
const IN_FLIGHT_LAPSE_SECONDS = 60;
const inFlight = (now: number) =>
  sql<number>`(case when pending_since > ${now - IN_FLIGHT_LAPSE_SECONDS} then coalesce(pending_logins, 0) else 0 end)`;
/** The in-flight count once this attempt has finished. */
const released = (now: number) =>
  sql<number>`(case when ${inFlight(now)} > 0 then ${inFlight(now)} - 1 else 0 end)`;
/** A lock that has run out (`orNone`: or no lock at all). */
const lockEnded = (now: number, orNone = false) =>
  orNone
    ? sql<boolean>`(locked_until is null or locked_until <= ${now})`
    : sql<boolean>`(locked_until is not null and locked_until <= ${now})`;

export function userPart(db: Executor): UserStore {
  // Issue 8: every token request reads its user, compiled once (query-template.ts).
  const select = queryTemplate(db, 1, (kysely, id: string) =>
    kysely.selectFrom('users').selectAll().where('id', '=', id),
  );
  const get = async (id: string): Promise<UserRow | undefined> => {
    const row = (await select<UsersTable>(id)).rows[0];
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
    async beginLogin(id, { now, threshold }) {
      // One statement, so concurrent attempts on any number of instances are ordered by the row lock and
      // every right-hand side sees the row as it was before this UPDATE: no attempt starts while locked, and
      // failures plus attempts in flight never exceed the threshold, so no burst gets more passwords checked.
      const ended = lockEnded(now);
      const failures = sql<number>`(case when ${ended} then 0 else failed_logins end)`;
      const row = await db()
        .updateTable('users')
        .set({
          pending_logins: sql<number>`${inFlight(now)} + 1`,
          pending_since: now,
          failed_logins: failures,
          locked_until: sql<number | null>`case when ${ended} then null else locked_until end`,
        })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .where(sql<boolean>`${failures} + ${inFlight(now)} < ${threshold}`)
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },
    async failLogin(id, { now, threshold, lockSeconds }) {
      const row = await db()
        .updateTable('users')
        .set({
          pending_logins: released(now),
          failed_logins: sql<number>`failed_logins + 1`,
          locked_until: sql<number | null>`case when failed_logins + 1 >= ${threshold} and
            (locked_until is null or locked_until <= ${now}) then ${now + lockSeconds} else locked_until end`,
        })
        .where('id', '=', id)
        .returning(['failed_logins', 'locked_until'])
        .executeTakeFirst();
      return row !== undefined && Number(row.failed_logins) === threshold && row.locked_until !== null;
    },
    async completeLogin(id, { now }) {
      // A lock set while this password was checked (by failures in flight beside it) refuses the success.
      const unlocked = lockEnded(now, true);
      const row = await db()
        .updateTable('users')
        .set({
          pending_logins: released(now),
          failed_logins: sql<number>`case when ${unlocked} then 0 else failed_logins end`,
          locked_until: sql<number | null>`case when ${unlocked} then null else locked_until end`,
        })
        .where('id', '=', id)
        .returning('locked_until')
        .executeTakeFirst();
      return row !== undefined && row.locked_until === null;
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
