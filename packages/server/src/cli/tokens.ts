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
import { createRegistrationToken } from '../services/client-registration.ts';
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
    .option(
      '--registration',
      'make an initial access token for dynamic client registration (POST /oauth2/v1/clients) instead',
    )
    .option('--json', 'print JSON (with the token)')
    .action((options: JsonOption & { name: string; expiresIn?: string; registration?: boolean }) =>
      withContext(async ({ store, clock }) => {
        const actor = cliActor();
        const now = clock.now();
        const expiresAt =
          options.expiresIn === undefined ? null : expiryInDays(now, options.expiresIn, '--expires-in');
        if (options.registration) {
          const made = await createRegistrationToken(
            { store, clock },
            { name: options.name, createdBy: actor, expiresAt },
          );
          await recordEvent(
            { store, clock, log: cliLog },
            {
              type: 'system.registration_token.create',
              outcome: 'SUCCESS',
              actor,
              reason: `Initial access token "${made.row.name}" (${made.row.id}) for client registration created with the latchkey CLI by ${actor}.`,
            },
          );
          emit(
            options,
            {
              id: made.row.id,
              name: made.row.name,
              expiresAt: isoTime(made.row.expiresAt),
              token: made.token,
            },
            () =>
              fields([
                ['ID', made.row.id],
                ['Name', made.row.name],
                ['Token', made.token],
                ['Expires', isoTime(made.row.expiresAt) ?? 'never'],
                ['Use as', 'Authorization: Bearer <token> on POST /oauth2/v1/clients'],
              ]),
          );
          if (!options.json)
            notice('Warning: the token is shown only this once (only its hash is stored). Copy it now.');
          return;
        }
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
    .argument('<id>', 'token id (00T…, or 00R… for an initial access token for client registration)')
    .action((id: string) =>
      withContext(async ({ store, clock }) => {
        if (id.startsWith('00R')) {
          const revoked = await store.registrationTokens.revoke(id, clock.now());
          if (revoked) {
            await recordEvent(
              { store, clock, log: cliLog },
              {
                type: 'system.registration_token.revoke',
                outcome: 'SUCCESS',
                actor: cliActor(),
                reason: `Initial access token ${id} for client registration revoked with the latchkey CLI.`,
              },
            );
          }
          writeLines([
            revoked ? `Revoked initial access token ${id}.` : `No live initial access token ${id}.`,
          ]);
          return;
        }
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
