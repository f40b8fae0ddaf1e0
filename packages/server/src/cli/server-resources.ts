// `latchkey servers add-resource`: declares an RFC 8707 resource on an authorization server, so that a client
// may ask for an access token whose audience is that resource (`resource` at /authorize and /token), e.g. an
// MCP server's URL (examples/mcp-server). The admin API and the console set the same list.

import type { Command } from 'commander';
import { requireAuthorizationServer } from '../services/authorization-servers.ts';
import { updateAuthorizationServer } from '../services/server-settings.ts';
import { withContext } from './context.ts';
import { emit } from './output.ts';
import { serverJson, serverText } from './servers.ts';

export function registerServerResources(servers: Command): void {
  servers
    .command('add-resource')
    .description("declare a resource (RFC 8707) a client may ask tokens for: the token's audience")
    .argument('<serverId>', 'server id (default or aus…)')
    .requiredOption('--resource <uri>', 'an absolute URI without fragment, e.g. https://mcp.example.com/mcp')
    .option('--json', 'print JSON')
    .action((serverId: string, options: { resource: string; json?: boolean }) =>
      withContext(async ({ store, clock, config }) => {
        const current = await requireAuthorizationServer(store, serverId);
        const resource = options.resource.trim();
        // Declaring one that is already there (or the audience) changes nothing: safe to run again.
        const server = await updateAuthorizationServer({ store, clock }, serverId, {
          resources: [...current.resources, resource],
        });
        emit(options, serverJson(server, config.publicUrl), () => serverText(server, config.publicUrl));
      }),
    );
}
