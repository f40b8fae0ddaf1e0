// SECURITY-MATRIX D: TE-01 (response format), TE-02 (grant types), TE-05 (protocol errors). Client
// authentication (TE-03, TE-04) is in token-client-auth.test.ts, CORS on /v1/token in token-cors.test.ts,
// rate limits (TE-06) in token-rate-limit.test.ts.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CookieJar, obtainCode, redeem } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import {
  basic,
  codeFromSession,
  expectTokenError,
  expectTokens,
  redeemCode,
  webConfCode,
  webConfForm,
} from '../fixtures/token-assertions.ts';

const UNSUPPORTED_GRANT =
  /^The authorization grant type is not supported by the authorization server\. Configured grant types: \[authorization_code, refresh_token, client_credentials\]\.$/;

describe('token endpoint (TE-01, TE-02, TE-05)', () => {
  let server: TestServer;
  const jar = new CookieJar();
  before(async () => {
    server = await startTestServer();
    await obtainCode(server, {}, jar);
  });
  after(async () => server.close());

  describe('TE-01 response format', () => {
    for (const kind of ['native-pub (public, PKCE)', 'web-conf (client_secret_basic)']) {
      it(`TE-01 ${kind}: 200 JSON, no-store, Bearer, integer expires_in, scope, id_token`, async () => {
        const response = kind.startsWith('native')
          ? await redeemCode(server, await codeFromSession(server, jar))
          : await redeem(server, webConfForm(await webConfCode(server, jar)), {
              authorization: basic(server.webConf.client.clientId, server.webConf.clientSecret),
            });
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
        assert.equal(response.headers.get('cache-control'), 'no-store');
        assert.equal(response.headers.get('pragma'), 'no-cache');
        const tokens = await expectTokens(response);
        assert.equal(tokens.token_type, 'Bearer');
        assert.ok(Number.isInteger(tokens.expires_in) && tokens.expires_in > 0);
        assert.equal(typeof tokens.scope, 'string');
        assert.ok(tokens.scope.split(' ').includes('openid'));
        assert.equal(typeof tokens.id_token, 'string');
        assert.equal('state' in tokens, false);
      });
    }
  });

  describe('TE-02 grant types', () => {
    const unsupported = [
      'password',
      'implicit',
      'urn:ietf:params:oauth:grant-type:device_code',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
      'bogus',
    ];
    for (const grantType of unsupported) {
      it(`TE-02 grant_type=${grantType} → unsupported_grant_type`, async () => {
        const form = {
          grant_type: grantType,
          client_id: server.nativePub.client.clientId,
          username: server.user.login,
          password: 'x',
          device_code: 'x',
        };
        await expectTokenError(await redeem(server, form), {
          status: 400,
          error: 'unsupported_grant_type',
          description: UNSUPPORTED_GRANT,
        });
      });
    }
    it('TE-02 refresh_token for a client without that grant (other-pub) → unauthorized_client', async () => {
      const form = {
        grant_type: 'refresh_token',
        client_id: server.otherPub.client.clientId,
        refresh_token: 'x',
      };
      await expectTokenError(await redeem(server, form), {
        status: 400,
        error: 'unauthorized_client',
        description:
          'The client is not authorized to use the provided grant type. Configured grant types: [authorization_code].',
      });
    });
    it('TE-02 grant_type missing → invalid_request', async () => {
      await expectTokenError(await redeem(server, { client_id: server.nativePub.client.clientId }), {
        status: 400,
        error: 'invalid_request',
        description: /^The token request must specify a 'grant_type'\. Valid values: \[.*\]$/,
      });
    });
  });

  describe('TE-05 protocol errors', () => {
    it('TE-05 GET /v1/token → 405', async () => {
      const response = await fetch(server.url('/v1/token'));
      assert.match(response.headers.get('allow') ?? '', /POST/);
      await expectTokenError(response, { status: 405, error: 'invalid_request' });
    });
    it('TE-05 a JSON body → 400 invalid_request', async () => {
      const response = await fetch(server.url('/v1/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'authorization_code',
          client_id: server.nativePub.client.clientId,
        }),
      });
      await expectTokenError(response, {
        status: 400,
        error: 'invalid_request',
        description: 'The request body must be application/x-www-form-urlencoded.',
      });
    });
    it('TE-05 code missing → invalid_request', async () => {
      const response = await redeem(server, {
        grant_type: 'authorization_code',
        client_id: server.nativePub.client.clientId,
        redirect_uri: 'http://127.0.0.1/callback',
        code_verifier: 'a'.repeat(43),
      });
      await expectTokenError(response, {
        status: 400,
        error: 'invalid_request',
        description: "The required parameter 'code' is missing.",
      });
    });
    it('TE-05 a body over 64 KB → 413', async () => {
      const form = {
        grant_type: 'authorization_code',
        client_id: server.nativePub.client.clientId,
        pad: 'a'.repeat(65 * 1024),
      };
      await expectTokenError(await redeem(server, form), { status: 413, error: 'invalid_request' });
    });
    it('TE-05 1,000 parameters → 400 invalid_request', async () => {
      const form = new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: server.nativePub.client.clientId,
      });
      for (let i = 0; i < 1000; i++) form.append(`p${i}`, 'x');
      const response = await fetch(server.url('/v1/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      await expectTokenError(response, { status: 400, error: 'invalid_request' });
    });
    it('TE-05 a repeated parameter → invalid_request', async () => {
      const response = await fetch(server.url('/v1/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=authorization_code&code=a&code=b&client_id=${server.nativePub.client.clientId}`,
      });
      await expectTokenError(response, {
        status: 400,
        error: 'invalid_request',
        description: 'The request contained multiple parameters with the same name.',
      });
    });
  });
});
