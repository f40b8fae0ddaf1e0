// `latchkey migrate`: applies pending schema migrations, for deployments that migrate as a separate step
// before rolling out new instances (`serve` and every other command also migrate when they open the store).

import type { Command } from 'commander';
import { runMigrations } from '../storage/open-store.ts';
import { loadCliConfig } from './context.ts';
import { writeLines } from './output.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      // No withContext: opening the store would migrate first and leave nothing to report.
      const config = loadCliConfig();
      const applied = await runMigrations(config.databaseUrl);
      writeLines(
        applied.length === 0 ? ['Database is up to date.'] : applied.map((name) => `Applied ${name}`),
      );
    });
}
