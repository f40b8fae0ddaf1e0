// `npm run client -w @latchkey/example-mcp-server`: what a desktop MCP client does on its first connection
// to a server it has never seen, with the official SDK's OAuth support. It connects to MCP_SERVER_URL
// (default http://127.0.0.1:3001/mcp), gets a 401, finds Latchkey from the server's protected-resource
// metadata (RFC 9728), registers itself (a Client ID Metadata Document when MCP_CLIENT_METADATA_URL is set
// and Latchkey supports them, else dynamic registration, RFC 7591), prints the authorization URL (code
// flow with PKCE and `resource`, RFC 8707), waits for the browser on a loopback redirect (RFC 8252 §7.3),
// then lists the server's tools and calls `whoami`.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { MemoryOAuthProvider } from './oauth-provider.ts';

const serverUrl = new URL(process.env['MCP_SERVER_URL'] ?? 'http://127.0.0.1:3001/mcp');
const clientInfo = { name: 'latchkey-example-mcp-client', version: '0.1.0' };

// The loopback redirect: any free port, which Latchkey accepts for native apps (RFC 8252 §7.3).
let deliver: (url: URL) => void = () => {};
const redirected = new Promise<URL>((resolve) => {
  deliver = resolve;
});
const callback = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== '/callback') {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  response.end('Signed in. You can close this window and go back to the terminal.');
  deliver(url);
});
await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
const { port } = callback.address() as AddressInfo;

const provider = new MemoryOAuthProvider(
  `http://127.0.0.1:${port}/callback`,
  process.env['MCP_CLIENT_METADATA_URL'],
);
try {
  try {
    await new Client(clientInfo).connect(
      new StreamableHTTPClientTransport(serverUrl, { authProvider: provider }),
    );
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    const url = provider.authorizationUrls.at(-1);
    if (url === undefined) throw error;
    process.stdout.write(`Open this URL in your browser to sign in and allow access:\n\n  ${url.href}\n\n`);
    const arrived = await redirected;
    const code = arrived.searchParams.get('code');
    if (code === null) {
      const reason = arrived.searchParams.get('error_description') ?? arrived.searchParams.get('error');
      throw new Error(`The authorization was not granted: ${reason ?? 'no code in the redirect'}`);
    }
    // The SDK checks nothing of `state` itself: compare it with the one it put in the authorization URL.
    if (arrived.searchParams.get('state') !== url.searchParams.get('state')) {
      throw new Error('The redirect carries another state than the request: not this sign-in.');
    }
    await new StreamableHTTPClientTransport(serverUrl, { authProvider: provider }).finishAuth(code);
  }
  const client = new Client(clientInfo);
  await client.connect(new StreamableHTTPClientTransport(serverUrl, { authProvider: provider }));
  const { tools } = await client.listTools();
  process.stdout.write(`Client id: ${provider.information?.client_id}\nTools:\n`);
  for (const tool of tools) process.stdout.write(`  ${tool.name}: ${tool.description ?? ''}\n`);
  const whoami = await client.callTool({ name: 'whoami', arguments: {} });
  process.stdout.write(`whoami: ${(whoami.content as { text?: string }[])[0]?.text ?? ''}\n`);
  await client.close();
} finally {
  callback.close();
}
