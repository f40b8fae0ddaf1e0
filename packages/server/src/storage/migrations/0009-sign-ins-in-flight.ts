// Sign-in attempts in flight are counted apart from failed ones (LG-03). Before, an attempt counted as a
// failure from its start, so ten right passwords checked at once locked their own account. Now the lock
// counts only failures, and at most `threshold - failures` passwords are checked at any moment, so a burst
// of guesses still cannot get more than the threshold checked before the lock. `pending_since` lets a count
// left by a process that died mid-check lapse (nothing checks a password for a minute).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('pending_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('pending_since', 'bigint').execute();
}
