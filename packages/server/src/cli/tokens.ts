// `latchkey tokens …`: API tokens for the admin API (/api/v1), sent as `Authorization: SSWS <token>`
// (Okta's scheme) or as a bearer token. A token is printed once; only its SHA-256 is stored, so a lost
// token is revoked and replaced, never recovered. Creation and revocation are recorded in the system log.

import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { recordEvent } from '../audit.ts';
import type { Logger } from '../deps.ts';
import {
  apiTokenStatus,
  createApiToken,
  describeExpiry,
  expiryInDays,
  revokeApiToken,
} from '../services/api-tokens.ts';
import type { ApiTokenRow } from '../storage/store.ts';
import { withContext } from './context.ts';
import { emit, fields, isoTime, type JsonOption, notice, table, writeLines } from './output.ts';

function tokenJson(token: ApiTokenRow, now: number): Record<string, unknown> {
  return {
    id: token.id,
    name: token.name,
    status: apiTokenStatus(token, now),
    createdBy: token.createdBy,
    created: isoTime(token.createdAt),
    expiresAt: isoTime(token.expiresAt),
    lastUsed: isoTime(token.lastUsedAt),
    revoked: isoTime(token.revokedAt),
  };
}

/** Who ran the command, as the system log's actor. */
function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

const quiet = (): void => undefined;
/** recordEvent never fails a command; if it cannot write, the operator hears about it. */
const cliLog: Logger = {
  info: quiet,
  debug: quiet,
  warn: quiet,
  error: () => notice('Warning: the system log entry could not be written.'),
};

export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('create, list and revoke admin API tokens');

  tokens
    .command('create')
    .description('create an API token for /api/v1; it is printed only once')
    .requiredOption('--name <name>', 'what the token is for, e.g. "terraform"')
    .option(
      '--expires-in <days>',
      'refuse the token after this many days (1-3650); by default it never expires',
    )
    .option('--json', 'print JSON (with the token)')
    .action((options: JsonOption & { name: string; expiresIn?: string }) =>
      withContext(async ({ store, clock }) => {
        const actor = cliActor();
        const now = clock.now();
        const expiresAt =
          options.expiresIn === undefined ? null : expiryInDays(now, options.expiresIn, '--expires-in');
        const { row, token } = await createApiToken(
          { store, clock },
          { name: options.name, createdBy: actor, expiresAt },
        );
        await recordEvent(
          { store, clock, log: cliLog },
          {
            type: 'system.api_token.create',
            outcome: 'SUCCESS',
            actor,
            reason: `API token "${row.name}" (${row.id}) created with the latchkey CLI by ${actor}; ${describeExpiry(row)}.`,
          },
        );
        emit(options, { ...tokenJson(row, now), token }, () =>
          fields([
            ['ID', row.id],
            ['Name', row.name],
            ['Token', token],
            ['Expires', isoTime(row.expiresAt) ?? 'never'],
            ['Use as', 'Authorization: SSWS <token>'],
          ]),
        );
        if (!options.json) {
          notice('Warning: the token is shown only this once (only its hash is stored). Copy it now.');
        }
      }),
    );

  tokens
    .command('list')
    .description('list API tokens (never the tokens themselves)')
    .option('--json', 'print JSON')
    .action((options: JsonOption) =>
      withContext(async ({ store, clock }) => {
        const rows = await store.apiTokens.list();
        const now = clock.now();
        emit(
          options,
          rows.map((row) => tokenJson(row, now)),
          () =>
            table(
              ['ID', 'NAME', 'STATUS', 'CREATED BY', 'CREATED', 'EXPIRES', 'LAST USED'],
              rows.map((row) => [
                row.id,
                row.name,
                apiTokenStatus(row, now),
                row.createdBy ?? '-',
                isoTime(row.createdAt),
                isoTime(row.expiresAt) ?? 'never',
                isoTime(row.lastUsedAt),
              ]),
              'No API tokens. Create one with: latchkey tokens create --name <name>',
            ),
        );
      }),
    );

  tokens
    .command('revoke')
    .description('revoke an API token; every server instance refuses it at once')
    .argument('<id>', 'token id (00T…)')
    .action((id: string) =>
      withContext(async ({ store, clock }) => {
        const { token, changed } = await revokeApiToken({ store, clock }, id);
        if (!changed) {
          writeLines([`API token ${token.id} ("${token.name}") was already revoked.`]);
          return;
        }
        await recordEvent(
          { store, clock, log: cliLog },
          {
            type: 'system.api_token.revoke',
            outcome: 'SUCCESS',
            actor: cliActor(),
            reason: `API token "${token.name}" (${token.id}) revoked with the latchkey CLI.`,
          },
        );
        writeLines([`Revoked API token ${token.id} ("${token.name}").`]);
      }),
    );
}
