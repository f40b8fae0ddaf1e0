// `latchkey backup <file>` and `latchkey restore <file>` (issue 11), for SQLite; PostgreSQL has pg_dump.
// A backup may be taken while the server runs; a restore refuses while a server uses the database.
// Neither copies LATCHKEY_SECRET: without the same secret the restored signing keys cannot be unsealed.

import type { Command } from 'commander';
import { ConfigError } from '../config/schema.ts';
import { parseDatabaseUrl } from '../storage/open-store.ts';
import { backupSqlite, restoreSqlite } from '../storage/sqlite-backup.ts';
import { loadCliConfig } from './context.ts';
import { notice, writeLines } from './output.ts';

const PG_DUMP_HINT =
  'Latchkey on PostgreSQL is backed up with PostgreSQL\'s own tools: pg_dump --format=custom --file latchkey.dump "$DATABASE_URL", restored with pg_restore --clean --dbname "$DATABASE_URL" latchkey.dump.';

function sqliteFile(command: string): string {
  const location = parseDatabaseUrl(loadCliConfig().databaseUrl);
  if (location.dialect === 'postgres') {
    throw new ConfigError('DATABASE_URL', `latchkey ${command} works on SQLite only. ${PG_DUMP_HINT}`);
  }
  if (location.filename === ':memory:') {
    throw new ConfigError('DATABASE_URL', `an in-memory database has nothing to ${command}.`);
  }
  return location.filename;
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the SQLite database to <file>, safely while the server runs')
    .argument('<file>', 'where to write the backup (must not exist)')
    .action(async (file: string) => {
      const result = await backupSqlite(sqliteFile('backup'), file);
      writeLines([`Backed up the database to ${result.file} (${result.bytes} bytes).`]);
      notice(
        'Keep LATCHKEY_SECRET (or latchkey.secret next to the database) with it: the signing keys need it.',
      );
    });
  program
    .command('restore')
    .description('replace the SQLite database with a backup; the server must be stopped')
    .argument('<file>', 'a backup made by `latchkey backup`')
    .action(async (file: string) => {
      const result = restoreSqlite(file, sqliteFile('restore'));
      writeLines([
        `Restored ${file} into ${result.file} (${result.bytes} bytes). Start the server with the same LATCHKEY_SECRET.`,
      ]);
    });
}
