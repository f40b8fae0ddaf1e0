// A custom scope added as `latchkey servers add-scope default --name messages:read` does (OKTA-COMPAT
// §2.5, §1.8): requestable at /authorize, granted into the access token's `scp`, listed in discovery.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { addCustomScope } from '../../src/services/authorization-servers.ts';
import {
  authorizeUrl,
  defaultAuthorizeParams,
  get,
  makePkce,
  obtainCode,
  redeem,
} from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

describe('custom scopes on the default server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    // Before the first request, so the server directory's short cache sees it at once.
    await addCustomScope(server.deps, 'default', { name: 'messages:read', description: 'Read messages' });
  });
  after(async () => server.close());

  it('grants `openid messages:read` and puts the scope in the access token', async () => {
    const { code, pkce, redirectUri } = await obtainCode(server, { scope: 'openid messages:read' });
    const response = await redeem(server, {
      grant_type: 'authorization_code',
      client_id: server.nativePub.client.clientId,
      redirect_uri: redirectUri,
      code,
      code_verifier: pkce.verifier,
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { access_token: string; scope: string; id_token?: string };
    assert.equal(body.scope, 'openid messages:read');
    assert.ok(body.id_token);
    const claims = decodeJwt(body.access_token);
    assert.deepEqual(claims['scp'], ['openid', 'messages:read']);
    assert.equal(claims.aud, 'api://default');
  });

  it('lists it in both discovery documents (metadataPublish ALL_CLIENTS)', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const metadata = (await (await fetch(server.url(path))).json()) as { scopes_supported: string[] };
      assert.ok(metadata.scopes_supported.includes('messages:read'), path);
      assert.ok(metadata.scopes_supported.includes('openid'), path);
    }
  });

  it('still refuses a scope that was never added', async () => {
    const params = defaultAuthorizeParams(server, makePkce(), { scope: 'openid messages:write' });
    const response = await get(authorizeUrl(server, params));
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'invalid_scope');
  });
});
