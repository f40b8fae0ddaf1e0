// Issue 8 §6-7. The retention sweeper deletes expired rows in bounded batches by these indexes, so a
// sweep never scans a table. On PostgreSQL, rate-limit windows are UNLOGGED: a hit then costs no WAL
// fsync, and a crash that empties the table only resets counters that last a minute.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

const EXPIRING: [table: string, column: string][] = [
  ['authorization_codes', 'expires_at'],
  ['authorization_requests', 'expires_at'],
  ['access_tokens', 'expires_at'],
  ['refresh_tokens', 'idle_expires_at'],
  ['refresh_tokens', 'expires_at'],
  ['sessions', 'expires_at'],
  ['admin_sessions', 'expires_at'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of EXPIRING) {
    await db.schema.createIndex(`${table}_${column}`).on(table).column(column).execute();
  }
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table rate_limits set unlogged`.execute(db);
  }
}
