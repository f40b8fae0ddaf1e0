// The SDK against the real server: discovery, sign-in (fetch-driven), code exchange, ID token validation
// with the server's JWK Set, userinfo, refresh, revocation and logout, and the server's errors as typed
// errors.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../server/test/e2e/browser.ts';
import { CookieJar, get } from '../../server/test/fixtures/browser-flow.ts';
import type { TestServer } from '../../server/test/fixtures/test-server.ts';
import {
  type AuthorizationServerMetadata,
  buildLogoutUrl,
  createAuthorizationRequest,
  discover,
  exchangeCode,
  fetchUserInfo,
  getFreshTokens,
  IssuerMismatchError,
  MemoryTokenStore,
  NetworkError,
  OAuthResponseError,
  parseCallback,
  refreshTokens,
  revokeToken,
  UnexpectedResponseError,
  validateIdToken,
} from '../src/index.ts';
import { signInAndGetRedirect, startLatchkey } from './helpers/server.ts';

const REDIRECT = 'http://127.0.0.1:50123/callback';
const SCOPES = ['openid', 'profile', 'email', 'offline_access'];

describe('SDK against the real server', () => {
  let server: TestServer;
  let metadata: AuthorizationServerMetadata;
  let clientId: string;

  before(async () => {
    server = await startLatchkey();
    clientId = server.nativePub.client.clientId;
    metadata = await discover(server.issuer);
  });
  after(() => server?.close());

  async function signInWithSdk(jar = new CookieJar()) {
    const request = await createAuthorizationRequest(metadata, {
      clientId,
      redirectUri: REDIRECT,
      scopes: SCOPES,
    });
    const location = await signInAndGetRedirect(server, request.url, jar);
    const { code } = parseCallback(location, request);
    const tokens = await exchangeCode(metadata, {
      clientId,
      code,
      redirectUri: request.redirectUri,
      codeVerifier: request.codeVerifier,
    });
    return { request, tokens, jar };
  }

  it('discovers the issuer and refuses a near-miss issuer string', async () => {
    assert.equal(metadata.issuer, server.issuer);
    assert.equal(metadata.token_endpoint, `${server.issuer}/v1/token`);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    await assert.rejects(discover(`${server.issuer}/`), (error) => {
      assert.ok(error instanceof IssuerMismatchError);
      assert.equal(error.received, server.issuer);
      assert.match(error.message, /must be identical/);
      return true;
    });
    await assert.rejects(discover(`${server.baseUrl}/oauth2/nope`), UnexpectedResponseError);
    const closedPort = await freePort();
    await assert.rejects(discover(`http://127.0.0.1:${closedPort}/oauth2/default`), (error) => {
      assert.ok(error instanceof NetworkError);
      assert.match(error.message, /ECONNREFUSED.*Check that the server is running/);
      return true;
    });
  });

  it('signs in, validates the ID token with the server keys, reads userinfo, refreshes, revokes', async () => {
    const { request, tokens } = await signInWithSdk();
    assert.equal(tokens.tokenType, 'Bearer');
    assert.ok(tokens.refreshToken && tokens.idToken);
    assert.equal(tokens.scope, SCOPES.join(' '));
    const claims = await validateIdToken(tokens.idToken, {
      metadata,
      clientId,
      nonce: request.nonce,
      accessToken: tokens.accessToken,
    });
    assert.equal(claims.sub, server.user.id);
    assert.equal(claims.nonce, request.nonce);

    const user = await fetchUserInfo(metadata, tokens.accessToken, { expectedSubject: claims.sub });
    assert.equal(user.email, 'alice@example.com');
    await assert.rejects(
      fetchUserInfo(metadata, tokens.accessToken, { expectedSubject: 'someone else' }),
      /described another user/,
    );

    const refreshed = await refreshTokens(metadata, { clientId, refreshToken: tokens.refreshToken });
    assert.notEqual(refreshed.accessToken, tokens.accessToken);
    assert.ok(refreshed.refreshToken);
    const again = await validateIdToken(refreshed.idToken!, {
      metadata,
      clientId,
      accessToken: refreshed.accessToken,
    });
    assert.equal(again.sub, claims.sub);
    assert.equal(again.nonce, undefined, 'no nonce after a refresh');

    await revokeToken(metadata, { clientId, token: refreshed.refreshToken!, tokenTypeHint: 'refresh_token' });
    await assert.rejects(
      refreshTokens(metadata, { clientId, refreshToken: refreshed.refreshToken! }),
      (error) => {
        assert.ok(error instanceof OAuthResponseError);
        assert.equal(error.status, 400);
        assert.equal(error.error, 'invalid_grant');
        assert.equal(error.errorDescription, 'The refresh token is invalid or expired.');
        assert.match(error.message, /Sign in again/);
        return true;
      },
    );
    await assert.rejects(fetchUserInfo(metadata, refreshed.accessToken), (error) => {
      assert.ok(error instanceof OAuthResponseError);
      assert.equal(error.status, 401);
      assert.equal(error.error, 'invalid_token');
      assert.equal(error.errorDescription, 'The access token is invalid');
      return true;
    });
  });

  it('getFreshTokens refreshes an expired access token, saves it, and clears the store on invalid_grant', async () => {
    const { tokens } = await signInWithSdk();
    const store = new MemoryTokenStore();
    await store.save(tokens);
    assert.deepEqual(await getFreshTokens({ store, metadata, clientId }), tokens, 'still valid: unchanged');

    await store.save({ ...tokens, expiresAt: Math.floor(Date.now() / 1000) - 1 });
    const fresh = await getFreshTokens({ store, metadata, clientId });
    assert.ok(fresh);
    assert.notEqual(fresh.accessToken, tokens.accessToken);
    assert.deepEqual(await store.load(), fresh);

    await revokeToken(metadata, { clientId, token: fresh.refreshToken! });
    await store.save({ ...fresh, expiresAt: 0 });
    await assert.rejects(getFreshTokens({ store, metadata, clientId }), OAuthResponseError);
    assert.equal(await store.load(), undefined, 'a dead refresh token is forgotten');
  });

  it('an error redirect from the server becomes OAuthResponseError with its description', async () => {
    const request = await createAuthorizationRequest(metadata, {
      clientId,
      redirectUri: REDIRECT,
      scopes: ['openid', 'no.such.scope'],
    });
    const response = await get(request.url);
    assert.equal(response.status, 302);
    assert.throws(
      () => parseCallback(response.headers.get('location')!, request),
      (error) =>
        error instanceof OAuthResponseError &&
        error.error === 'invalid_scope' &&
        /Unknown scopes: \[no\.such\.scope\]/.test(error.errorDescription ?? ''),
    );
  });

  it('a wrong code verifier and an unknown client come back as the server errors', async () => {
    const request = await createAuthorizationRequest(metadata, {
      clientId,
      redirectUri: REDIRECT,
      scopes: SCOPES,
    });
    const { code } = parseCallback(await signInAndGetRedirect(server, request.url), request);
    await assert.rejects(
      exchangeCode(metadata, { clientId, code, redirectUri: REDIRECT, codeVerifier: 'x'.repeat(43) }),
      (error) =>
        error instanceof OAuthResponseError && error.errorDescription === 'PKCE verification failed.',
    );
    await assert.rejects(
      refreshTokens(metadata, { clientId: '0oaunknown', refreshToken: 'r' }),
      (error) =>
        error instanceof OAuthResponseError && error.status === 401 && error.error === 'invalid_client',
    );
  });

  it('the logout URL with the ID token ends the browser session', async () => {
    const { tokens, jar } = await signInWithSdk();
    const url = buildLogoutUrl(metadata, { idTokenHint: tokens.idToken, clientId });
    assert.ok(url.startsWith(`${server.issuer}/v1/logout?id_token_hint=`));
    const page = await get(url, jar);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Signed out/);
    const request = await createAuthorizationRequest(metadata, {
      clientId,
      redirectUri: REDIRECT,
      scopes: SCOPES,
    });
    assert.equal((await get(request.url, jar)).status, 200, 'the sign-in page again: no SSO session');
  });
});
