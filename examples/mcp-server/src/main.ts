// `npm start -w @latchkey/example-mcp-server`: the example MCP server on MCP_PORT (default 3001), trusting
// tokens from LATCHKEY_ISSUER (default the local `npm start` Latchkey's default authorization server).

import { buildMcpExample } from './app.ts';

const issuer = process.env['LATCHKEY_ISSUER'] ?? 'http://localhost:8080/oauth2/default';
const port = Number(process.env['MCP_PORT'] ?? 3001);
const host = process.env['MCP_HOST'] ?? '127.0.0.1';
const resource = process.env['MCP_RESOURCE'] ?? `http://${host}:${port}/mcp`;

const app = buildMcpExample({ issuer, resource });
app.listen(port, host, (error?: Error) => {
  if (error) {
    process.stderr.write(`Could not listen on ${host}:${port}: ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `Example MCP server at ${resource}\n  tokens from ${issuer}\n  metadata at ${new URL(resource).origin}/.well-known/oauth-protected-resource${new URL(resource).pathname}\n`,
  );
});
