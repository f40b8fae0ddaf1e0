// `latchkey config`: the settings this environment resolves to (never the secret itself), so that the
// server's terminal and every other terminal can be checked to use the same database and secret.

import type { Command } from 'commander';
import { issuerFor } from '../oauth/discovery.ts';
import { DEFAULT_SERVER_ID } from '../services/authorization-servers.ts';
import { redact } from '../storage/open-store.ts';
import { loadCliConfig } from './context.ts';
import { emit, fields, type JsonOption } from './output.ts';

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('show the database, secret file and issuer this environment uses (never the secret)')
    .option('--json', 'print JSON')
    .action((options: JsonOption) => {
      const config = loadCliConfig();
      const issuer = issuerFor(config.publicUrl, DEFAULT_SERVER_ID);
      const shown = {
        home: config.home,
        database_url: redact(config.databaseUrl),
        secret_file: config.secretFile ?? null,
        public_url: config.publicUrl,
        issuer,
      };
      emit(options, shown, () =>
        fields([
          ['Home (LATCHKEY_HOME)', shown.home],
          ['Database (DATABASE_URL)', shown.database_url],
          ['Secret file', shown.secret_file ?? 'none: LATCHKEY_SECRET is set'],
          ['Public URL (LATCHKEY_PUBLIC_URL)', shown.public_url],
          ['Issuer (the examples read it as LATCHKEY_ISSUER)', issuer],
        ]),
      );
    });
}
