// A second authorization server, as `latchkey servers create` makes it: its own issuer, keys, discovery
// and audience, served at /oauth2/{id}.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createAuthorizationServer } from '../../src/services/authorization-servers.ts';
import type { AuthorizationServerRow } from '../../src/storage/store.ts';
import {
  CookieJar,
  hiddenFields,
  makePkce,
  postForm,
  redeem,
  responseParams,
} from '../fixtures/browser-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';

describe('a custom authorization server', () => {
  let server: TestServer;
  let custom: AuthorizationServerRow;
  let base: string;
  before(async () => {
    server = await startTestServer();
    custom = await createAuthorizationServer(server.deps, { name: 'Orders', audience: 'api://orders' });
    base = `${server.baseUrl}/oauth2/${custom.id}`;
  });
  after(async () => server.close());

  it('has an Okta-style id, its own discovery and its own signing key', async () => {
    assert.match(custom.id, /^aus[A-Za-z0-9]{17}$/);
    const discovery = await (await fetch(`${base}/.well-known/openid-configuration`)).json();
    assert.equal(discovery.issuer, `https://idp.test/oauth2/${custom.id}`);
    assert.equal(discovery.token_endpoint, `https://idp.test/oauth2/${custom.id}/v1/token`);
    const own = (await (await fetch(`${base}/v1/keys`)).json()).keys.map((key: { kid: string }) => key.kid);
    const defaults = (await (await fetch(server.url('/v1/keys'))).json()).keys.map(
      (key: { kid: string }) => key.kid,
    );
    assert.equal(own.length, 1);
    assert.ok(!defaults.includes(own[0]));
  });

  it('runs the PKCE flow with its issuer and audience', async () => {
    const jar = new CookieJar();
    const pkce = makePkce();
    const query = new URLSearchParams({
      client_id: server.nativePub.client.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'com.example.app:/oauth2redirect',
      state: 's',
      code_challenge_method: 'S256',
      code_challenge: pkce.challenge,
    });
    const page = await fetch(`${base}/v1/authorize?${query}`, { redirect: 'manual' });
    jar.store(page);
    const signedIn = await postForm(
      `${server.baseUrl}/sign-in`,
      { ...hiddenFields(await page.text()), username: server.user.login, password: TEST_PASSWORD },
      jar,
    );
    assert.equal(signedIn.status, 303);
    const params = responseParams(signedIn.headers.get('location'));
    assert.equal(params.get('iss'), `https://idp.test/oauth2/${custom.id}`);
    const response = await fetch(`${base}/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: server.nativePub.client.clientId,
        redirect_uri: 'com.example.app:/oauth2redirect',
        code: params.get('code') ?? '',
        code_verifier: pkce.verifier,
      }),
    });
    assert.equal(response.status, 200);
    const tokens = await response.json();
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${base}/v1/keys`)), {
      issuer: `https://idp.test/oauth2/${custom.id}`,
      audience: 'api://orders',
    });
    assert.equal(payload['cid'], server.nativePub.client.clientId);
    const { kid } = decodeProtectedHeader(tokens.id_token);
    const keys = (await (await fetch(`${base}/v1/keys`)).json()).keys;
    assert.equal(keys[0].kid, kid);
  });

  it('AC-05 does not redeem its codes at the default server', async () => {
    const jar = new CookieJar();
    const pkce = makePkce();
    const query = new URLSearchParams({
      client_id: server.nativePub.client.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'com.example.app:/oauth2redirect',
      code_challenge_method: 'S256',
      code_challenge: pkce.challenge,
    });
    const page = await fetch(`${base}/v1/authorize?${query}`, { redirect: 'manual' });
    jar.store(page);
    const signedIn = await postForm(
      `${server.baseUrl}/sign-in`,
      { ...hiddenFields(await page.text()), username: server.user.login, password: TEST_PASSWORD },
      jar,
    );
    const code = responseParams(signedIn.headers.get('location')).get('code') ?? '';
    const response = await redeem(server, {
      grant_type: 'authorization_code',
      client_id: server.nativePub.client.clientId,
      redirect_uri: 'com.example.app:/oauth2redirect',
      code,
      code_verifier: pkce.verifier,
    });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error, 'invalid_grant');
  });

  it('answers 404 E0000007 for an unknown server id, on any path below it', async () => {
    for (const path of ['/.well-known/openid-configuration', '/v1/keys', '/v1/authorize', '/v1/token']) {
      const response = await fetch(`${server.baseUrl}/oauth2/ausUnknown${path}`, {
        method: path.endsWith('token') ? 'POST' : 'GET',
      });
      assert.equal(response.status, 404, path);
      const body = await response.json();
      assert.equal(body.errorCode, 'E0000007');
      assert.equal(body.errorSummary, 'Not found: Resource not found: ausUnknown (AuthorizationServer)');
      assert.deepEqual(body.errorCauses, []);
    }
  });
});
