// Owner-only modes for the files that hold secrets: the SQLite database (password hashes, emails, token
// hashes), its -wal and -shm files (the same rows before a checkpoint), and the generated LATCHKEY_SECRET.
// Modes are set explicitly with chmod rather than through the process umask, which would also change every
// other file the process creates and which an operator's shell may have set to anything.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `folder` (and missing parents) with mode 0700. A folder that already exists is left as it is: it
 * may be the working directory or a shared one (`sqlite:./latchkey.db`), and the files in it are 0600.
 */
export function secureFolder(folder: string): void {
  const target = resolve(folder);
  const missing: string[] = [];
  for (let path = target; !existsSync(path); path = dirname(path)) {
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  if (missing.length === 0) return;
  mkdirSync(target, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  for (const path of missing) chmodSync(path, PRIVATE_FOLDER_MODE);
}

/** Creates `file` empty with mode 0600 if it does not exist; otherwise narrows its mode to 0600. */
export function secureFile(file: string): void {
  if (!existsSync(file)) {
    // 'a' never truncates: if another process created the file meanwhile, its contents stay.
    closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  }
  tightenFile(file);
}

/** Sets an existing file to 0600 when its mode is anything else; a missing file is ignored. */
export function tightenFile(file: string): void {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (mode !== PRIVATE_FILE_MODE) chmodSync(file, PRIVATE_FILE_MODE);
}

/** The database's companion files; SQLite creates new ones with the database file's mode. */
export function sqliteCompanionFiles(filename: string): string[] {
  return [`${filename}-wal`, `${filename}-shm`, `${filename}-journal`];
}

/**
 * Before opening: the folder 0700 (when created here) and the database 0600, created empty if new, so SQLite
 * never creates it with its default 0644. Stale companion files left by an older version are narrowed too.
 */
export function secureSqliteFiles(filename: string): void {
  const path = resolve(filename);
  secureFolder(dirname(path));
  secureFile(path);
  for (const companion of sqliteCompanionFiles(path)) tightenFile(companion);
}
