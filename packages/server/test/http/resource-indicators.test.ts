// Resource indicators (RFC 8707) at /authorize and /token: `resource` selects the access token's `aud`
// among the resources the authorization server declares, on SQLite and PostgreSQL. SECURITY-MATRIX RI-*.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateAuthorizationServer } from '../../src/services/server-settings.ts';
import {
  authorizeUrl,
  defaultAuthorizeParams,
  get,
  makePkce,
  obtainCode,
  redeem,
  responseParams,
} from '../fixtures/browser-flow.ts';
import { addScope, clientCredentialsGrant, createServiceApp } from '../fixtures/machine-clients.ts';
import { databases, startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { claimsOf, expectTokenError, expectTokens, redeemCode } from '../fixtures/token-assertions.ts';
import { basicAuth, userinfo } from '../fixtures/token-endpoints.ts';

const API = 'https://api.example.com/';
const MCP = 'https://mcp.example.com/mcp';
const UNKNOWN = 'https://unknown.example.com/';

for (const database of databases) {
  describe(`resource indicators (${database})`, () => {
    let server: TestServer;
    let service: { clientId: string; secret: string };

    before(async () => {
      server = await startTestServer({ database });
      await addScope(server, 'invoices:read');
      const created = await createServiceApp(server);
      service = { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
      await updateAuthorizationServer(server.deps, 'default', { resources: [API, MCP] });
    });
    after(() => server.close());

    it('RI-01 client credentials: a declared resource becomes the aud; the audience stays the default and allowed', async () => {
      const forApi = await expectTokens(
        await clientCredentialsGrant(server, { scope: 'invoices:read', resource: API }, service),
      );
      assert.equal(claimsOf(forApi.access_token).aud, API);
      const introspected = (await (
        await fetch(server.url('/v1/introspect'), {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: basicAuth(service.clientId, service.secret),
          },
          body: new URLSearchParams({ token: forApi.access_token }),
        })
      ).json()) as Record<string, unknown>;
      assert.equal(introspected['active'], true);
      assert.equal(introspected['aud'], API);
      for (const form of [{}, { resource: 'api://default' }]) {
        const tokens = await expectTokens(
          await clientCredentialsGrant(server, { scope: 'invoices:read', ...form }, service),
        );
        assert.equal(claimsOf(tokens.access_token).aud, 'api://default');
      }
    });

    it('RI-02 an unknown, malformed or repeated resource is invalid_target, saying how to fix it', async () => {
      await expectTokenError(
        await clientCredentialsGrant(server, { scope: 'invoices:read', resource: UNKNOWN }, service),
        {
          status: 400,
          error: 'invalid_target',
          description: `The resource '${UNKNOWN}' is unknown to this authorization server. Declare it on the authorization server 'default' (console: Authorization servers > default > Settings > Resources, or 'resources' in PUT /api/v1/authorizationServers/default).`,
        },
      );
      await expectTokenError(
        await clientCredentialsGrant(server, { scope: 'invoices:read', resource: `${API}#part` }, service),
        { status: 400, error: 'invalid_target', description: /has a fragment/ },
      );
      await expectTokenError(
        await clientCredentialsGrant(server, { scope: 'invoices:read', resource: 'not a uri' }, service),
        { status: 400, error: 'invalid_target', description: /is not an absolute URI/ },
      );
      const twice = new URLSearchParams({ grant_type: 'client_credentials', scope: 'invoices:read' });
      twice.append('resource', API);
      twice.append('resource', MCP);
      const response = await fetch(server.url('/v1/token'), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basicAuth(service.clientId, service.secret),
        },
        body: twice,
      });
      await expectTokenError(response, {
        status: 400,
        error: 'invalid_target',
        description: /^Only one 'resource' parameter is supported/,
      });
    });

    it('RI-03 /authorize stores the resource with the code; the token request may repeat it, never widen it', async () => {
      const obtained = await obtainCode(server, { resource: MCP });
      await expectTokenError(await redeemCode(server, obtained, { resource: API }), {
        status: 400,
        error: 'invalid_target',
        description: `The resource '${API}' was not part of the authorization grant, which is for '${MCP}'. Ask for it with 'resource' at /authorize.`,
      });
      const tokens = await expectTokens(await redeemCode(server, obtained, { resource: MCP }));
      assert.equal(claimsOf(tokens.access_token).aud, MCP);
      // The ID token is still for the client; the UserInfo endpoint takes only its own audience's tokens.
      assert.equal(claimsOf(tokens.id_token ?? '').aud, server.nativePub.client.clientId);
      assert.equal((await userinfo(server, tokens.access_token)).status, 401);
      assert.ok(tokens.refresh_token);
      const refreshed = await expectTokens(
        await redeem(server, {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: server.nativePub.client.clientId,
        }),
      );
      assert.equal(claimsOf(refreshed.access_token).aud, MCP, 'a refresh keeps the grant resource');
      await expectTokenError(
        await redeem(server, {
          grant_type: 'refresh_token',
          refresh_token: refreshed.refresh_token ?? '',
          client_id: server.nativePub.client.clientId,
          resource: 'api://default',
        }),
        { status: 400, error: 'invalid_target', description: /was not part of the authorization grant/ },
      );
    });

    it('RI-04 without resource at /authorize, the code is for the audience; another resource at /token widens it', async () => {
      const obtained = await obtainCode(server);
      await expectTokenError(await redeemCode(server, obtained, { resource: API }), {
        status: 400,
        error: 'invalid_target',
      });
      const tokens = await expectTokens(await redeemCode(server, obtained, { resource: 'api://default' }));
      assert.equal(claimsOf(tokens.access_token).aud, 'api://default');
    });

    it('RI-05 an unknown resource at /authorize is redirected as invalid_target', async () => {
      const pkce = makePkce();
      const response = await get(
        authorizeUrl(server, defaultAuthorizeParams(server, pkce, { resource: UNKNOWN })),
      );
      assert.equal(response.status, 302);
      const params = responseParams(response.headers.get('location'));
      assert.equal(params.get('error'), 'invalid_target');
      assert.match(params.get('error_description') ?? '', /unknown to this authorization server/);
      assert.equal(params.get('state'), 'state-123');
    });

    it('RI-06 declared resources are checked: absolute, no fragment; the admin API reads and replaces them', async () => {
      await assert.rejects(
        updateAuthorizationServer(server.deps, 'default', { resources: ['https://a.example/#x'] }),
        /fragment/,
      );
      await assert.rejects(
        updateAuthorizationServer(server.deps, 'default', { resources: ['relative/path'] }),
        /absolute URI/,
      );
      const updated = await updateAuthorizationServer(server.deps, 'default', {
        resources: [API, API, 'api://default', MCP],
      });
      assert.deepEqual(updated.resources, [API, MCP], 'repeats and the audience itself are dropped');
    });
  });
}
