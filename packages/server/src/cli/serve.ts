// `latchkey serve` (also what a bare `latchkey` runs): starts the HTTP server and shuts it down cleanly.
// SIGTERM (what container runtimes and rolling deploys send) drains first (RL-13): /readyz turns 503 so the
// load balancer stops sending, the instance keeps serving for LATCHKEY_DRAIN_SECONDS, then finishes what
// is in flight and exits 0 within the drain time plus 5 s. SIGINT (Ctrl-C) skips the drain wait.

import type { Command } from 'commander';
import { notice } from './output.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'start the OpenID Connect provider (the default command); settings come from the environment',
    )
    .action(async () => {
      // Imported on demand: the management commands then start without loading the HTTP stack.
      const { startServer } = await import('../main.ts');
      const server = await startServer(process.env, { banner: true });
      let closing = false;
      const shutdown = (signal: NodeJS.Signals): void => {
        if (closing) {
          // A second signal means the operator does not want to wait for the graceful close.
          notice(`Received ${signal} again; exiting now.`);
          process.exit(1);
        }
        closing = true;
        const done = signal === 'SIGTERM' ? server.drain() : server.close();
        done.then(
          () => process.exit(0),
          (error: unknown) => {
            notice(`Error while shutting down: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    });
}
