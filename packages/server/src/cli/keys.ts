// `latchkey keys list`: which signing keys a server has and in which state, to check a rotation or match
// the `kid` in a token header. Only public facts are printed; the sealed private key never leaves the store.

import type { Command } from 'commander';
import { DEFAULT_SERVER_ID, requireAuthorizationServer } from '../services/authorization-servers.ts';
import type { SigningKeyRow } from '../storage/store.ts';
import { withContext } from './context.ts';
import { emit, isoTime, type JsonOption, table } from './output.ts';

function keyJson(key: SigningKeyRow): Record<string, unknown> {
  return {
    kid: key.kid,
    alg: key.alg,
    status: key.status,
    created: isoTime(key.createdAt),
    activated: isoTime(key.activatedAt),
    retired: isoTime(key.retiredAt),
  };
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('inspect signing keys');

  keys
    .command('list')
    .description("list a server's signing keys (public facts only)")
    .option('--server <id>', 'authorization server id', DEFAULT_SERVER_ID)
    .option('--json', 'print JSON')
    .action((options: JsonOption & { server: string }) =>
      withContext(async ({ store }) => {
        // An unknown server would otherwise list as "no keys", which reads like a broken installation.
        await requireAuthorizationServer(store, options.server);
        const rows = await store.signingKeys.listForServer(options.server);
        emit(options, rows.map(keyJson), () =>
          table(
            ['KID', 'ALG', 'STATUS', 'CREATED'],
            rows.map((key) => [key.kid, key.alg, key.status, isoTime(key.createdAt)]),
            `Server ${options.server} has no signing keys.`,
          ),
        );
      }),
    );
}
