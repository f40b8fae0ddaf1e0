// SQLite wiring: a writer and a reader connection in WAL mode behind the group-commit driver
// (sqlite-driver.ts), checkpoints in a worker thread (sqlite-checkpointer.ts).
import { resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { secureSqliteFiles, sqliteCompanionFiles, tightenFile } from './file-permissions.ts';
import { guardDialect } from './guarded-driver.ts';
import { kyselyLog, type QueryObserver } from './query-observer.ts';
import type { Database } from './schema.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { GroupCommitSqliteDriver } from './sqlite-driver.ts';
import { WalSync } from './wal-sync.ts';

export interface SqliteOptions {
  /** How long a write waits for another process's lock before StoreUnavailableError (default 5000). */
  busyTimeoutMs?: number;
  /** Tests pass their own to count fsyncs; by default one is made for `<filename>-wal`. */
  walSync?: WalSync;
  /** Receives each query's duration (the metrics). */
  observer?: QueryObserver;
}

const WRITER_CACHE_MIB = 16;
const READER_CACHE_MIB = 8;

function connect(filename: string, busyTimeoutMs: number, cacheMiB: number): BetterSqlite3.Database {
  const database = new BetterSqlite3(filename, { timeout: busyTimeoutMs });
  database.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  database.pragma('foreign_keys = ON');
  // Issue 8: codes, tokens and events are keyed by random hashes, so each insert lands on a random page of
  // every index; with SQLite's default 2 MiB cache those pages are read again from the file on most
  // writes. A larger cache (a ceiling: only pages read are kept) holds the hot pages; it counts towards
  // the process's RSS, which must stay under 150 MB under load (bench/RESULTS.md).
  database.pragma(`cache_size = -${cacheMiB * 1024}`);
  return database;
}

export function openSqlite(filename: string, options: SqliteOptions = {}): Kysely<Database> {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const memory = filename === ':memory:';
  // FP-01: the folder 0700 and the database 0600 before SQLite opens (and would create) the file.
  if (!memory) secureSqliteFiles(filename);
  // The writer does every write and, while idle, most reads (sqlite-driver.ts); the reader serves reads
  // while a write is in progress.
  const writer = connect(filename, busyTimeoutMs, WRITER_CACHE_MIB);
  let reader = writer;
  let walSync: WalSync | undefined;
  let onDestroy: (() => Promise<void>) | undefined;
  if (!memory) {
    writer.pragma('journal_mode = WAL');
    // NORMAL: a commit appends to the WAL without an fsync; the driver fsyncs the WAL (shared by concurrent
    // commits, off the event loop) before the commit is reported, which keeps RL-08: an answered commit
    // survives power loss. See wal-sync.ts.
    writer.pragma('synchronous = NORMAL');
    // Checkpoints (and their fsyncs) run in a worker, not inside a request's commit.
    writer.pragma('wal_autocheckpoint = 0');
    reader = connect(filename, busyTimeoutMs, READER_CACHE_MIB);
    reader.pragma('wal_autocheckpoint = 0');
    // FP-01: the -wal and -shm files exist now; SQLite gives new ones the database's mode, this catches
    // ones that were there before with a wider mode.
    for (const companion of sqliteCompanionFiles(resolve(filename))) tightenFile(companion);
    walSync = options.walSync ?? new WalSync(`${resolve(filename)}-wal`);
    const checkpointer = startCheckpointer(resolve(filename));
    const sync = walSync;
    onDestroy = async () => {
      await sync.close();
      await checkpointer.stop();
    };
  }
  const driver = new GroupCommitSqliteDriver({
    writer,
    reader,
    walSync,
    ...(onDestroy === undefined ? {} : { onDestroy }),
  });
  return new Kysely<Database>({
    dialect: guardDialect({
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    }),
    ...(options.observer === undefined ? {} : { log: kyselyLog(options.observer) }),
  });
}
