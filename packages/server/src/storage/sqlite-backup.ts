// Backups of a SQLite database (issue 11). `backupSqlite` uses SQLite's online backup API (better-sqlite3's
// db.backup), which copies a consistent snapshot while a server keeps reading and writing in WAL mode.
// `restoreSqlite` checks that a file is a Latchkey database and swaps it in atomically: copied next to the
// database, checked there, then renamed over it, so the database path holds either the old file or the
// whole new one, never a part.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { secureFile, secureFolder, sqliteCompanionFiles, tightenFile } from './file-permissions.ts';
import { runningServer } from './server-marker.ts';

/** Kysely's bookkeeping table (Migrator's default name): every Latchkey database has it. */
const MIGRATION_TABLE = 'kysely_migration';
const FIRST_MIGRATION = '0001-initial';

export interface BackupResult {
  file: string;
  bytes: number;
}

export async function backupSqlite(filename: string, target: string): Promise<BackupResult> {
  if (!existsSync(filename)) throw new Error(`There is no database at ${filename} (DATABASE_URL).`);
  if (existsSync(target)) throw new Error(`${target} exists; remove it first or name another file.`);
  // FP-01: a backup holds what the database holds (password hashes, sealed keys): owner-only from the start.
  secureFolder(dirname(target));
  secureFile(target);
  const source = new BetterSqlite3(filename, { fileMustExist: true, timeout: 5000 });
  try {
    // Steps through the pages between event-loop turns; a write by the server restarts it, so the copy is
    // always one consistent snapshot.
    await source.backup(target);
  } catch (error) {
    rmSync(target, { force: true });
    throw error;
  } finally {
    source.close();
  }
  tightenFile(target);
  checkLatchkeyDatabase(target);
  return { file: target, bytes: statSync(target).size };
}

/**
 * Refuses unless `file` is a sound SQLite database (integrity_check) with Latchkey's migrations table.
 * Also leaves it in rollback-journal mode, so that it is one self-contained file; the server turns WAL
 * on again when it opens it.
 */
export function checkLatchkeyDatabase(file: string): void {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file, { fileMustExist: true });
  } catch (error) {
    throw new Error(`${file} cannot be opened as a SQLite database: ${(error as Error).message}`);
  }
  try {
    let problems: string[];
    try {
      db.pragma('journal_mode = DELETE');
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      problems = rows.map((row) => row.integrity_check);
    } catch (error) {
      throw new Error(`${file} is not a SQLite database: ${(error as Error).message}`);
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new Error(`${file} is damaged (integrity_check: ${problems.slice(0, 3).join('; ')}).`);
    }
    const table = db
      .prepare("select name from sqlite_master where type = 'table' and name = ?")
      .get(MIGRATION_TABLE);
    const first =
      table === undefined
        ? undefined
        : db.prepare(`select name from ${MIGRATION_TABLE} where name = ?`).get(FIRST_MIGRATION);
    if (first === undefined) {
      throw new Error(
        `${file} is a SQLite database but not a Latchkey one (no ${MIGRATION_TABLE} with ${FIRST_MIGRATION}).`,
      );
    }
  } finally {
    db.close();
  }
}

export interface RestoreResult {
  file: string;
  bytes: number;
}

export function restoreSqlite(backup: string, filename: string): RestoreResult {
  if (!existsSync(backup)) throw new Error(`There is no file ${backup}.`);
  assertNotInUse(filename);
  secureFolder(dirname(filename));
  const temporary = join(
    dirname(filename),
    `.${basename(filename)}.restore-${randomBytes(6).toString('hex')}`,
  );
  try {
    secureFile(temporary);
    copyFileSync(backup, temporary);
    checkLatchkeyDatabase(temporary);
    syncFile(temporary);
    // Checked again right before the swap: a server may have started while the copy was checked.
    assertNotInUse(filename);
    // The old -wal and -shm go first: a WAL left next to the new file would be replayed into it.
    for (const companion of sqliteCompanionFiles(filename)) rmSync(companion, { force: true });
    renameSync(temporary, filename);
    syncFile(dirname(filename));
  } finally {
    rmSync(temporary, { force: true });
    for (const companion of sqliteCompanionFiles(temporary)) rmSync(companion, { force: true });
  }
  return { file: filename, bytes: statSync(filename).size };
}

/**
 * Refuses while a server serves the database (its marker names a live process: server-marker.ts) or any
 * process is writing to it (an exclusive transaction cannot start at once). A server between requests
 * holds no SQLite lock, hence the marker; the lock attempt catches other writers, such as a CLI command.
 */
function assertNotInUse(filename: string): void {
  const server = runningServer(filename);
  if (server !== undefined) {
    throw new Error(
      `A Latchkey server (pid ${server.pid} on ${server.hostname}, started ${server.startedAt}) is using ${filename}. Stop it, then restore.`,
    );
  }
  if (!existsSync(filename)) return;
  const db = new BetterSqlite3(filename, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('busy_timeout = 0');
    db.exec('begin exclusive');
    db.exec('rollback');
  } catch (error) {
    throw new Error(
      `Another process is writing to ${filename} (${(error as Error).message}). Stop it, then restore.`,
    );
  } finally {
    db.close();
  }
}

function syncFile(path: string): void {
  const descriptor = openSync(path, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
