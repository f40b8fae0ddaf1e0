// An MCP server (Streamable HTTP transport of @modelcontextprotocol/sdk) whose endpoint only answers
// requests carrying a Latchkey access token issued for it, as the MCP authorization spec asks:
// - RFC 9728: GET /.well-known/oauth-protected-resource/mcp names the authorization server (Latchkey), and
//   every 401 says where that document is (`WWW-Authenticate: Bearer resource_metadata="…"`, §5.1);
// - RFC 8707: the token's audience must be this server's URL (`resource`), so a token issued for another
//   API is refused here (the MCP spec forbids token passthrough);
// - the required scope is named in the 401's `scope` (RFC 6750 §3), which the SDK's client then asks for.

import { createVerifier, type VerifierOptions } from '@latchkey/verifier';
import { expressVerifier } from '@latchkey/verifier/express';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type Express, type Request, type Response } from 'express';
import { createToolServer } from './tools.ts';

/** The scope a token needs to use the tools; declare it on the authorization server. */
export const MCP_SCOPE = 'mcp:tools';

export interface McpExampleOptions {
  /** The Latchkey issuer, e.g. http://localhost:8080/oauth2/default. */
  issuer: string;
  /** This server's MCP endpoint URL, e.g. http://127.0.0.1:3001/mcp: its RFC 8707 resource. */
  resource: string;
  /** Passed to createVerifier (jwksUri, a clock in tests, …). */
  verifier?: Partial<Omit<VerifierOptions, 'issuer' | 'audience'>>;
}

export function buildMcpExample(options: McpExampleOptions): Express {
  const { issuer, resource } = options;
  const endpoint = new URL(resource).pathname;
  const verifier = createVerifier({ ...options.verifier, issuer, audience: resource });
  const auth = expressVerifier({
    verifier,
    resource,
    resourceMetadata: { scopes_supported: [MCP_SCOPE], resource_name: 'Latchkey example MCP server' },
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(auth.resourceMetadata);
  app.post(endpoint, auth.requireScopes(MCP_SCOPE), express.json({ limit: '1mb' }), serveMcp(resource));
  // Stateless server: no server-to-client event stream (GET) and no session to end (DELETE). The token is
  // checked first, so a client without one still learns where to get one.
  app.all(endpoint, auth.requireScopes(MCP_SCOPE), (_req, res) => {
    res
      .status(405)
      .set('allow', 'POST')
      .json({
        jsonrpc: '2.0',
        error: { code: -32000, message: 'This MCP server is stateless: send JSON-RPC requests with POST.' },
        id: null,
      });
  });
  return app;
}

function serveMcp(resource: string) {
  return async (req: Request, res: Response): Promise<void> => {
    const server = createToolServer();
    // No sessionIdGenerator: the SDK's stateless mode (each POST stands alone).
    const transport = new StreamableHTTPServerTransport({});
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    // The SDK hands `req.auth` to tool handlers as `authInfo`.
    const info = authInfo(req, resource);
    if (info !== undefined) (req as Request & { auth?: AuthInfo }).auth = info;
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };
}

function authInfo(req: Request, resource: string): AuthInfo | undefined {
  const claims = req.token;
  if (claims === undefined) return undefined;
  return {
    token: (req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''),
    clientId: claims.cid,
    scopes: claims.scp,
    expiresAt: claims.exp,
    resource: new URL(resource),
    extra: { sub: claims.sub, uid: claims.uid },
  };
}
