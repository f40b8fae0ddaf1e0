// `latchkey keys list`: which signing keys a server has and in which state, to check a rotation or match
// the `kid` in a token header. Only public facts are printed; the sealed private key never leaves the store.
// `keys rotate` stages the next key (it signs after the pre-publication window, SECURITY-MATRIX rule 7);
// `keys revoke` is the emergency path (RL-10): immediate, so it asks for --yes.

import type { Command } from 'commander';
import { DEFAULT_ROTATION_POLICY, JWKS_MAX_AGE_SECONDS, KEY_CACHE_SECONDS } from '../oauth/keys/rotation.ts';
import { DEFAULT_SERVER_ID, requireAuthorizationServer } from '../services/authorization-servers.ts';
import { NotFoundError, ValidationError } from '../services/errors.ts';
import type { SigningKeyRow } from '../storage/store.ts';
import { withContext } from './context.ts';
import { emit, fields, isoTime, type JsonOption, notice, table } from './output.ts';

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
  const keys = program.command('keys').description('inspect, rotate and revoke signing keys');

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

  keys
    .command('rotate')
    .description('stage the next signing key; it starts signing after the pre-publication window')
    .option('--server <id>', 'authorization server id', DEFAULT_SERVER_ID)
    .option('--json', 'print JSON')
    .action((options: JsonOption & { server: string }) =>
      withContext(async ({ store, keys: ring }) => {
        await requireAuthorizationServer(store, options.server);
        const { key, created } = await ring.stageNextKey(options.server);
        const signsFrom = key.createdAt + DEFAULT_ROTATION_POLICY.prePublicationSeconds;
        if (!created)
          notice(`A next key is already staged for server ${options.server}; nothing was created.`);
        emit(options, { ...keyJson(key), staged: created, signsFrom: isoTime(signsFrom) }, () => [
          ...fields([
            ['Next key', key.kid],
            ['Published', `now, in /v1/keys (since ${isoTime(key.createdAt)})`],
            [
              'Signs from',
              `${isoTime(signsFrom)} (a running server promotes it; the old key stays published)`,
            ],
          ]),
        ]);
      }),
    );

  keys
    .command('revoke <kid>')
    .description('emergency: stop publishing and signing with a key at once')
    .option('--server <id>', 'authorization server id', DEFAULT_SERVER_ID)
    .option('--yes', 'confirm: tokens signed with this key stop verifying at once')
    .option('--json', 'print JSON')
    .action((kid: string, options: JsonOption & { server: string; yes?: boolean }) =>
      withContext(async ({ store, keys: ring }) => {
        if (!options.yes) {
          throw new ValidationError(
            'invalid_request',
            '--yes',
            `Revoking ${kid} is immediate: every token signed with it stops verifying. Add --yes to confirm.`,
          );
        }
        await requireAuthorizationServer(store, options.server);
        const result = await ring.revoke(options.server, kid);
        if (result === undefined) throw new NotFoundError('SigningKey', kid);
        if (!result.changed) notice(`Key ${kid} was already revoked; nothing changed.`);
        else {
          notice(
            `Every instance stops publishing and signing with ${kid} within ${KEY_CACHE_SECONDS} s. Relying parties that cached /v1/keys may accept it for up to ${JWKS_MAX_AGE_SECONDS} s more (Cache-Control max-age).`,
          );
        }
        const replacement = result.replacement === undefined ? null : keyJson(result.replacement);
        emit(options, { ...keyJson(result.revoked), replacement }, () =>
          fields([
            ['Revoked', kid],
            ['Now signing', result.replacement?.kid ?? '(unchanged)'],
          ]),
        );
      }),
    );
}
