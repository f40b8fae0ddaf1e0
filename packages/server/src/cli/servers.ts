// `latchkey servers …`: authorization servers, each with its own issuer, audience and signing key. The
// JSON follows Okta's authorization server resource (camelCase, `audiences` as a list), so scripts
// written against Okta's /api/v1/authorizationServers read it unchanged.

import type { Command } from 'commander';
import { issuerFor } from '../oauth/discovery.ts';
import {
  addCustomScope,
  createAuthorizationServer,
  requireAuthorizationServer,
} from '../services/authorization-servers.ts';
import type { AuthorizationServerRow, ScopeRow } from '../storage/store.ts';
import { wholeSeconds, withContext } from './context.ts';
import { emit, fields, isoTime, type JsonOption, table } from './output.ts';
import { registerServerResources } from './server-resources.ts';

export function serverJson(server: AuthorizationServerRow, publicUrl: string): Record<string, unknown> {
  const issuer = issuerFor(publicUrl, server.id);
  return {
    id: server.id,
    name: server.name,
    description: server.description,
    audiences: [server.audience],
    // Latchkey (RFC 8707), as in the admin API: the other resources a client may name with `resource`.
    resources: server.resources,
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    status: server.status,
    codeLifetimeSeconds: server.codeLifetimeSeconds,
    accessTokenLifetimeSeconds: server.accessTokenLifetimeSeconds,
    idTokenLifetimeSeconds: server.idTokenLifetimeSeconds,
    refreshTokenIdleSeconds: server.refreshTokenIdleSeconds,
    refreshTokenAbsoluteSeconds: server.refreshTokenAbsoluteSeconds,
    created: isoTime(server.createdAt),
    lastUpdated: isoTime(server.updatedAt),
  };
}

export function serverText(server: AuthorizationServerRow, publicUrl: string): string[] {
  const issuer = issuerFor(publicUrl, server.id);
  return fields([
    ['ID', server.id],
    ['Name', server.name],
    ['Description', server.description],
    ['Audience', server.audience],
    ['Resources', server.resources.length === 0 ? '(only the audience)' : server.resources.join(' ')],
    ['Issuer', issuer],
    ['Discovery URL', `${issuer}/.well-known/openid-configuration`],
    ['Status', server.status],
    ['Code lifetime', `${server.codeLifetimeSeconds} s`],
    ['Access token lifetime', `${server.accessTokenLifetimeSeconds} s`],
    ['ID token lifetime', `${server.idTokenLifetimeSeconds} s`],
    ['Refresh token idle', `${server.refreshTokenIdleSeconds} s`],
    [
      'Refresh token lifetime',
      server.refreshTokenAbsoluteSeconds === 0 ? 'unlimited' : `${server.refreshTokenAbsoluteSeconds} s`,
    ],
    ['Created', isoTime(server.createdAt)],
  ]);
}

/** Okta's scope resource (`/api/v1/authorizationServers/{id}/scopes`), minus what we do not model. */
export function scopeJson(scope: ScopeRow): Record<string, unknown> {
  return {
    name: scope.name,
    displayName: scope.displayName,
    description: scope.description,
    system: false,
    metadataPublish: scope.metadataPublish,
    created: isoTime(scope.createdAt),
  };
}

export function registerServers(program: Command): void {
  const servers = program.command('servers').description('manage authorization servers (issuers)');

  servers
    .command('create')
    .description('create an authorization server with its own issuer and signing key')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--audience <aud>', 'the access tokens\' "aud", e.g. api://my-api')
    .option('--description <text>', 'what it is for')
    .option('--code-lifetime <seconds>', 'authorization code lifetime, 10-600 (default 60)', wholeSeconds)
    .option('--json', 'print JSON')
    .action(
      (options: {
        name: string;
        audience: string;
        description?: string;
        codeLifetime?: number;
        json?: boolean;
      }) =>
        withContext(async ({ store, clock, keys, config }) => {
          const server = await createAuthorizationServer(
            { store, clock, keys },
            {
              name: options.name,
              audience: options.audience,
              description: options.description,
              codeLifetimeSeconds: options.codeLifetime,
            },
          );
          emit(options, serverJson(server, config.publicUrl), () => serverText(server, config.publicUrl));
        }),
    );

  servers
    .command('list')
    .description('list authorization servers')
    .option('--json', 'print JSON')
    .action((options: JsonOption) =>
      withContext(async ({ store, config }) => {
        const rows = await store.authorizationServers.list();
        emit(
          options,
          rows.map((server) => serverJson(server, config.publicUrl)),
          () =>
            table(
              ['ID', 'STATUS', 'AUDIENCE', 'ISSUER'],
              rows.map((server) => [
                server.id,
                server.status,
                server.audience,
                issuerFor(config.publicUrl, server.id),
              ]),
              'No authorization servers.',
            ),
        );
      }),
    );

  servers
    .command('show')
    .description('show an authorization server')
    .argument('<id>', 'server id (default or aus…)')
    .option('--json', 'print JSON')
    .action((id: string, options: JsonOption) =>
      withContext(async ({ store, config }) => {
        const server = await requireAuthorizationServer(store, id);
        emit(options, serverJson(server, config.publicUrl), () => serverText(server, config.publicUrl));
      }),
    );

  servers
    .command('add-scope')
    .description('add a custom scope (published in discovery) to an authorization server')
    .argument('<serverId>', 'server id (default or aus…)')
    .requiredOption(
      '--name <scope>',
      'the scope, e.g. messages:read (printable ASCII without spaces, " or \\; not okta…)',
    )
    .option('--description <text>', 'what the scope allows')
    .option('--display-name <text>', 'the name shown on the consent page (default: the scope)')
    .option('--json', 'print JSON')
    .action(
      (
        serverId: string,
        options: { name: string; description?: string; displayName?: string; json?: boolean },
      ) =>
        withContext(async ({ store, clock }) => {
          const scope = await addCustomScope({ store, clock }, serverId, {
            name: options.name,
            displayName: options.displayName,
            description: options.description,
          });
          emit(options, scopeJson(scope), () =>
            fields([
              ['Server', scope.serverId],
              ['Scope', scope.name],
              ['Display name', scope.displayName],
              ['Description', scope.description],
              ['Published', scope.metadataPublish],
            ]),
          );
        }),
    );
  registerServerResources(servers);
}
