// SECURITY-MATRIX AC-05 (artifact confusion): whatever is not a code of this server is refused as `code`,
// and a code is refused as `refresh_token`. Stores are namespaced by artifact type and by authorization
// server (Keycloak CVE-2026-4282 / CVE-2026-4325).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateOpaqueToken, sha256Hex } from '../../src/oauth/random.ts';
import { createAuthorizationServer } from '../../src/services/authorization-servers.ts';
import {
  CookieJar,
  defaultAuthorizeParams,
  get,
  makePkce,
  obtainCode,
  type Pkce,
  redeem,
  responseParams,
} from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import {
  claimsOf,
  codeFromSession,
  expectTokenError,
  expectTokens,
  type IssuedTokens,
  redeemCode,
} from '../fixtures/token-assertions.ts';

const INVALID_CODE = 'The authorization code is invalid or has expired.';

describe('AC-05 artifact confusion', () => {
  let server: TestServer;
  const jar = new CookieJar();
  let tokens: IssuedTokens;
  let foreign: { serverId: string; code: string; pkce: Pkce };
  before(async () => {
    server = await startTestServer();
    await obtainCode(server, {}, jar);
    tokens = await expectTokens(await redeemCode(server, await codeFromSession(server, jar)));
    const { store, clock, keys } = server.deps;
    const other = await createAuthorizationServer(
      { store, clock, keys },
      { name: 'Other', audience: 'api://other' },
    );
    const pkce = makePkce();
    const search = new URLSearchParams(defaultAuthorizeParams(server, pkce, { scope: 'openid' }));
    const response = await get(`${server.baseUrl}/oauth2/${other.id}/v1/authorize?${search}`, jar);
    const code = responseParams(response.headers.get('location')).get('code');
    assert.ok(code, 'the SSO session answers the other server too');
    foreign = { serverId: other.id, code, pkce };
  });
  after(async () => server.close());

  const artifacts: [string, () => string][] = [
    ['a refresh token', () => tokens.refresh_token ?? ''],
    ['an access token', () => tokens.access_token],
    ['an ID token', () => tokens.id_token ?? ''],
    ['a random string', () => generateOpaqueToken()],
    ['the stored hash of a code', () => sha256Hex(foreign.code)],
    ['a code of another authorization server', () => foreign.code],
  ];
  for (const [name, value] of artifacts) {
    it(`AC-05 ${name} sent as code → invalid_grant`, async () => {
      const form = {
        grant_type: 'authorization_code',
        client_id: server.nativePub.client.clientId,
        redirect_uri: 'http://127.0.0.1/callback',
        code: value(),
        code_verifier: 'a'.repeat(43),
      };
      await expectTokenError(await redeem(server, form), {
        status: 400,
        error: 'invalid_grant',
        description: INVALID_CODE,
      });
    });
  }

  it('AC-05 the foreign code is valid at its own server, so the refusal came from the namespace', async () => {
    const response = await fetch(`${server.baseUrl}/oauth2/${foreign.serverId}/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: server.nativePub.client.clientId,
        redirect_uri: 'http://127.0.0.1/callback',
        code: foreign.code,
        code_verifier: foreign.pkce.verifier,
      }),
    });
    const issued = await expectTokens(response);
    assert.equal(claimsOf(issued.access_token).iss, `https://idp.test/oauth2/${foreign.serverId}`);
  });

  it('AC-05 a code sent as refresh_token → invalid_grant', async () => {
    const issued = await codeFromSession(server, jar);
    const form = {
      grant_type: 'refresh_token',
      client_id: server.nativePub.client.clientId,
      refresh_token: issued.code,
    };
    await expectTokenError(await redeem(server, form), {
      status: 400,
      error: 'invalid_grant',
      description: 'The refresh token is invalid or expired.',
    });
  });
});
