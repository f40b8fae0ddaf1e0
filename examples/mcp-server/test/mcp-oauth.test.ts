// Issue 13 item 6: the official MCP SDK's client, with its own OAuth support, against the example MCP server
// and Latchkey, as a desktop MCP client meets a server it was never registered with. It finds Latchkey
// from the server's 401 alone (RFC 9728), registers with a Client ID Metadata Document served from a local
// https host, or by dynamic registration (RFC 7591), runs the code flow with PKCE and `resource`
// (RFC 8707) in Chromium, and lists and calls the tools. A client-credentials token calls them too.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decodeJwt } from 'jose';
import { addCustomScope } from '../../../packages/server/src/services/authorization-servers.ts';
import { updateAuthorizationServer } from '../../../packages/server/src/services/server-settings.ts';
import {
  type BrowserSuite,
  chromiumSkipReason,
  freePort,
  startBrowserSuite,
} from '../../../packages/server/test/e2e/browser.ts';
import {
  clientCredentialsGrant,
  createServiceApp,
} from '../../../packages/server/test/fixtures/machine-clients.ts';
import {
  type MetadataHost,
  startMetadataHost,
} from '../../../packages/server/test/fixtures/metadata-host.ts';
import { TEST_PASSWORD } from '../../../packages/server/test/fixtures/test-server.ts';
import { buildMcpExample, MCP_SCOPE } from '../src/app.ts';
import { MemoryOAuthProvider } from '../src/oauth-provider.ts';

describe('MCP SDK client against the example MCP server', {
  skip: chromiumSkipReason(),
  timeout: 180_000,
}, () => {
  let host: MetadataHost;
  let suite: BrowserSuite;
  let mcp: Server;
  let resource: string;

  before(async () => {
    host = await startMetadataHost();
    suite = await startBrowserSuite({
      env: { LATCHKEY_CLIENT_METADATA_ALLOW_HOSTS: 'localhost', LATCHKEY_CLIENT_REGISTRATION: 'open' },
      clientMetadataFetch: { ca: host.ca },
    });
    const port = await freePort();
    resource = `http://127.0.0.1:${port}/mcp`;
    // What the README's walk-through does with `latchkey servers add-scope` and `add-resource`.
    await addCustomScope(suite.server.deps, 'default', { name: MCP_SCOPE, description: 'Use the MCP tools' });
    await updateAuthorizationServer(suite.server.deps, 'default', { resources: [resource] });
    const app = buildMcpExample({
      issuer: suite.server.issuer,
      resource,
      verifier: { jwksUri: suite.server.url('/v1/keys'), now: () => suite.server.clock.now() },
    });
    await new Promise<void>((resolve) => {
      mcp = app.listen(port, '127.0.0.1', () => resolve());
    });
  });
  after(async () => {
    mcp?.closeAllConnections();
    await new Promise((resolve) => (mcp ? mcp.close(resolve) : resolve(undefined)));
    await suite?.browser.close();
    await suite?.callback.close();
    await suite?.server.close();
    await host?.close();
  });

  /** The user's part: sign in on Latchkey's hosted page and allow access; returns the redirect's code. */
  async function authorizeInBrowser(url: URL, expectedState: string): Promise<string> {
    const context = await suite.browser.newContext();
    try {
      const page = await context.newPage();
      const arrived = suite.callback.next();
      await page.goto(url.href);
      await page.fill('#username', suite.server.user.login);
      await page.fill('#password', TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // Latchkey always asks about a client it knows only from its metadata document or registration.
      await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
      await page.getByRole('button', { name: 'Allow' }).click();
      const callback = await arrived;
      assert.equal(callback.searchParams.get('iss'), suite.server.issuer);
      assert.equal(callback.searchParams.get('state'), expectedState);
      const code = callback.searchParams.get('code');
      assert.ok(code, `the redirect carries a code: ${callback.href}`);
      return code;
    } finally {
      await context.close();
    }
  }

  /** The whole first connection of an MCP client: 401, discovery, registration, browser, tokens, tools. */
  async function connectWithOAuth(provider: MemoryOAuthProvider): Promise<Client> {
    const first = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
    await assert.rejects(
      new Client({ name: 'example-desktop-client', version: '1.0.0' }).connect(first),
      UnauthorizedError,
    );
    assert.equal(provider.authorizationUrls.length, 1, 'the SDK sent the user to authorize once');
    const url = provider.authorizationUrls[0] as URL;
    assert.equal(url.origin + url.pathname, `${suite.publicUrl}/oauth2/default/v1/authorize`);
    assert.equal(url.searchParams.get('resource'), resource, 'RFC 8707: the MCP server is the resource');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('scope'), MCP_SCOPE, "the 401's scope (RFC 6750 §3)");
    const state = url.searchParams.get('state');
    assert.ok(state !== null && state.length >= 22, 'a random state');
    const code = await authorizeInBrowser(url, state);
    await first.finishAuth(code);

    const accessToken = provider.saved?.access_token;
    assert.ok(accessToken, 'the SDK saved tokens');
    const claims = decodeJwt(accessToken);
    assert.equal(claims.aud, resource, "the token's audience is the MCP server, not api://default");
    assert.equal(claims['uid'], suite.server.user.id);

    const client = new Client({ name: 'example-desktop-client', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider }));
    return client;
  }

  async function assertTools(client: Client, caller: RegExp): Promise<void> {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['add', 'whoami']);
    const sum = await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } });
    assert.deepEqual(sum.content, [{ type: 'text', text: '42' }]);
    const whoami = await client.callTool({ name: 'whoami', arguments: {} });
    assert.match((whoami.content as { text: string }[])[0]?.text ?? '', caller);
  }

  it('CM-11 with a Client ID Metadata Document: discovered from the 401, code flow with PKCE and resource, tools listed', async () => {
    const documentUrl = `${host.origin}/clients/desktop.json`;
    const provider = new MemoryOAuthProvider(`http://127.0.0.1:${suite.callback.port}/callback`, documentUrl);
    host.routes.set('/clients/desktop.json', {
      body: { client_id: documentUrl, ...provider.clientMetadata },
    });
    const client = await connectWithOAuth(provider);
    try {
      assert.equal(provider.information?.client_id, documentUrl, 'the URL is the client id');
      assert.equal(
        host.hits.get('/clients/desktop.json'),
        1,
        'Latchkey fetched the document (and cached it)',
      );
      await assertTools(client, new RegExp(`Signed in as ${suite.server.user.login} via ${documentUrl}`));
    } finally {
      await client.close();
    }
  });

  it('DR-12 without a metadata document the SDK registers dynamically (RFC 7591), then the same flow', async () => {
    const provider = new MemoryOAuthProvider(`http://127.0.0.1:${suite.callback.port}/callback`);
    const client = await connectWithOAuth(provider);
    try {
      const clientId = provider.information?.client_id ?? '';
      assert.match(clientId, /^0oa/, 'a registered client id');
      await assertTools(client, new RegExp(`Signed in as ${suite.server.user.login} via ${clientId}`));
    } finally {
      await client.close();
    }
  });

  it('CC-22 a service app calls the tools with a client-credentials token for the resource; other tokens get 401', async () => {
    const created = await createServiceApp(suite.server, { name: 'MCP batch job' });
    const app = { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
    const grant = await clientCredentialsGrant(suite.server, { scope: MCP_SCOPE, resource }, app);
    assert.equal(grant.status, 200, await grant.clone().text());
    const { access_token: accessToken } = (await grant.json()) as { access_token: string };
    const client = new Client({ name: 'batch-job', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(resource), {
        requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
      }),
    );
    try {
      await assertTools(client, new RegExp(`Signed in as the client ${app.clientId} \\(no user\\)`));
    } finally {
      await client.close();
    }

    // A token for the default audience (api://default) is not for this server (no token passthrough).
    const other = await clientCredentialsGrant(suite.server, { scope: MCP_SCOPE }, app);
    const { access_token: otherToken } = (await other.json()) as { access_token: string };
    const refused = await fetch(resource, {
      method: 'POST',
      headers: { authorization: `Bearer ${otherToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.match(
      refused.headers.get('www-authenticate') ?? '',
      /resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"/,
    );
  });
});
