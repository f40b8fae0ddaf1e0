// Okta's "Implementing the Authorization Code Flow with PKCE" guide, step 3, replayed byte for byte: the
// token request exactly as its curl example sends it (headers and parameter order, no Authorization
// header), and the answer its readers expect (OKTA-COMPAT §1.2, §2.3).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { CookieJar, obtainCode } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { expectTokens, headerOf, type IssuedTokens } from '../fixtures/token-assertions.ts';

interface GuideRequest {
  clientId: string;
  redirectUri: string;
  code: string;
  verifier: string;
}

describe('the Okta PKCE guide, step 3 (exchanging the code for tokens)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  /** The guide's curl: these three headers in this order, and the form parameters in this order. */
  function guideTokenRequest(request: GuideRequest): Promise<Response> {
    const enc = encodeURIComponent;
    return fetch(server.url('/v1/token'), {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'cache-control': 'no-cache',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body:
        `grant_type=authorization_code&client_id=${enc(request.clientId)}&redirect_uri=${enc(request.redirectUri)}` +
        `&code=${enc(request.code)}&code_verifier=${enc(request.verifier)}`,
    });
  }

  /** Step 2 for a native app (private-use scheme redirect), then step 3. */
  async function followGuide(
    scope: string,
    app: 'nativePub' | 'otherPub' = 'nativePub',
  ): Promise<{ tokens: IssuedTokens; raw: string; response: Response }> {
    const clientId = server[app].client.clientId;
    const redirectUri =
      app === 'nativePub' ? 'com.example.app:/oauth2redirect' : 'com.example.other:/oauth2redirect';
    const { code, pkce, location } = await obtainCode(
      server,
      { client_id: clientId, redirect_uri: redirectUri, scope, state: 'state-296bc9a0' },
      new CookieJar(), // a fresh browser: the sign-in page, as in the guide
    );
    assert.ok(location.startsWith(`${redirectUri}?code=`), location);
    const response = await guideTokenRequest({ clientId, redirectUri, code, verifier: pkce.verifier });
    const raw = await response.clone().text();
    return { tokens: await expectTokens(response), raw, response };
  }

  it('scope=openid: exactly access_token, expires_in 3600, id_token, scope, token_type Bearer', async () => {
    const { tokens, raw, response } = await followGuide('openid');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(Object.keys(tokens).sort(), [
      'access_token',
      'expires_in',
      'id_token',
      'scope',
      'token_type',
    ]);
    assert.equal(tokens.token_type, 'Bearer');
    assert.match(raw, /"expires_in":3600[,}]/, 'expires_in is the integer 3600');
    assert.equal(tokens.scope, 'openid');
    assert.match(tokens.access_token, /^eyJ/);
    assert.match(tokens.id_token ?? '', /^eyJ/);
    assert.equal('state' in tokens, false, 'no state member (okta-auth-js would fail)');
  });

  it('offline_access by a client allowed refresh_token (native-pub) → a refresh_token', async () => {
    const { tokens } = await followGuide('openid profile offline_access');
    assert.equal(tokens.scope, 'openid profile offline_access');
    assert.match(tokens.refresh_token ?? '', /^[A-Za-z0-9_-]{43,}$/);
  });

  it('offline_access by a client without refresh_token (other-pub) → dropped from scope, no refresh_token', async () => {
    const { tokens } = await followGuide('openid offline_access', 'otherPub');
    assert.equal(tokens.scope, 'openid');
    assert.equal('refresh_token' in tokens, false);
  });

  it('the access token verifies against /v1/keys and carries Okta access-token claims', async () => {
    const { tokens } = await followGuide('openid profile email');
    const jwks = createRemoteJWKSet(new URL(server.url('/v1/keys')));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      algorithms: ['RS256'],
      issuer: server.issuer,
      audience: 'api://default',
      currentDate: new Date(server.clock.now() * 1000),
    });
    assert.equal(protectedHeader.typ, undefined, 'no typ, like Okta');
    assert.equal(typeof protectedHeader.kid, 'string');
    assert.equal(headerOf(tokens.access_token).alg, 'RS256');
    assert.equal(payload.iss, server.issuer);
    assert.equal(payload.aud, 'api://default');
    assert.equal(payload['ver'], 1);
    assert.match(String(payload.jti), /^AT\.[A-Za-z0-9_-]{43}$/);
    assert.equal(payload['cid'], server.nativePub.client.clientId);
    assert.equal(payload['uid'], server.user.id);
    assert.deepEqual(payload['scp'], ['openid', 'profile', 'email']);
    assert.equal(typeof payload['auth_time'], 'number');
    assert.equal(payload.sub, server.user.login, 'sub is the login, not the id');
    assert.equal('nbf' in payload, false);
    assert.equal(payload.exp, (payload.iat ?? 0) + 3600);
  });
});
