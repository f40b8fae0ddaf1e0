// SQLite wiring: one better-sqlite3 connection (Kysely serialises access to it) in WAL mode.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { guardDialect } from './guarded-driver.ts';
import type { Database } from './schema.ts';

export interface SqliteOptions {
  /** How long a write waits for another process's lock before StoreUnavailableError (default 5000). */
  busyTimeoutMs?: number;
}

export function openSqlite(filename: string, options: SqliteOptions = {}): Kysely<Database> {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const memory = filename === ':memory:';
  if (!memory) mkdirSync(dirname(resolve(filename)), { recursive: true });
  const database = new BetterSqlite3(filename, { timeout: busyTimeoutMs });
  database.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  if (!memory) database.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL can lose the last commits on power loss; an issued refresh token must
  // survive (SECURITY-MATRIX RL-08).
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  return new Kysely<Database>({
    dialect: guardDialect(new SqliteDialect({ database }), 'begin immediate'),
  });
}
