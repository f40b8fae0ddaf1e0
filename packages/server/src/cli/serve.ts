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
      // The handlers go in before the server starts: a signal with no handler kills the process at once
      // (exit without a drain), and the banner is printed, so a supervisor may signal, before
      // startServer returns. A signal during start-up is acted on as soon as the server is up.
      let server: Awaited<ReturnType<typeof startServer>> | undefined;
      let received: NodeJS.Signals | undefined;
      let closing = false;
      const shutdown = (signal: NodeJS.Signals): void => {
        if (closing || received) {
          // A second signal means the operator does not want to wait for the graceful close.
          notice(`Received ${signal} again; exiting now.`);
          process.exit(1);
        }
        if (server === undefined) {
          received = signal;
          notice(`Received ${signal} while starting; stopping once started (send it again to exit now).`);
          return;
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
      server = await startServer(process.env, { banner: true });
      if (received) {
        const signal = received;
        received = undefined;
        shutdown(signal);
      }
    });
}
