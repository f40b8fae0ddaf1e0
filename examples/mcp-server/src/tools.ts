// The example's MCP tools. Each handler gets the verified access token's claims through the SDK's
// `authInfo` (set by app.ts from @latchkey/verifier's result), so a tool acts for the signed-in user, or
// for the client itself when the token came from the client-credentials grant (no `uid`).

import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

export const SERVER_INFO = { name: 'latchkey-example-mcp', version: '0.1.0' };

/** One McpServer per request: the transport is stateless (no MCP session to keep between requests). */
export function createToolServer(): McpServer {
  const server = new McpServer(SERVER_INFO);

  server.registerTool(
    'whoami',
    {
      title: 'Who am I',
      description: 'Tells who the access token was issued for: the user, the client and the scopes.',
      inputSchema: {},
    },
    (_args, { authInfo }) => text(describeCaller(authInfo)),
  );

  server.registerTool(
    'add',
    {
      title: 'Add two numbers',
      description: 'Adds two numbers (a tool with arguments, to try a tool call).',
      inputSchema: { a: z.number().describe('first addend'), b: z.number().describe('second addend') },
    },
    ({ a, b }) => text(String(a + b)),
  );

  return server;
}

function describeCaller(authInfo: AuthInfo | undefined): string {
  if (authInfo === undefined) return 'No access token reached the tool.';
  const user = authInfo.extra?.['uid'] === undefined ? undefined : String(authInfo.extra['sub']);
  const who =
    user === undefined ? `the client ${authInfo.clientId} (no user)` : `${user} via ${authInfo.clientId}`;
  return `Signed in as ${who}, scopes: ${authInfo.scopes.join(' ')}.`;
}

function text(value: string) {
  return { content: [{ type: 'text' as const, text: value }] };
}
