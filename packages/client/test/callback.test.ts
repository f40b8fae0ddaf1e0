// The authorization URL (state, nonce, PKCE) and the callback checks: iss (RFC 9207), state
// (RFC 6749 §10.12), then the error or the code.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AuthorizationServerMetadata,
  createAuthorizationRequest,
  generatePkce,
  IssuerMismatchError,
  LatchkeyClientError,
  OAuthResponseError,
  parseCallback,
  StateMismatchError,
} from '../src/index.ts';

const ISSUER = 'https://id.example.com/oauth2/default';
const metadata: AuthorizationServerMetadata = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/v1/authorize`,
  token_endpoint: `${ISSUER}/v1/token`,
  jwks_uri: `${ISSUER}/v1/keys`,
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
};
const REDIRECT = 'http://127.0.0.1:49152/callback';

async function request(meta = metadata) {
  return createAuthorizationRequest(meta, {
    clientId: 'app1',
    redirectUri: REDIRECT,
    scopes: ['openid', 'profile'],
  });
}

function callback(params: Record<string, string>): string {
  return `${REDIRECT}?${new URLSearchParams(params)}`;
}

describe('authorization URL', () => {
  it('carries client, redirect, scope, S256 challenge and fresh state and nonce', async () => {
    const pkce = await generatePkce({ verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' });
    const started = await createAuthorizationRequest(metadata, {
      clientId: 'app1',
      redirectUri: REDIRECT,
      scopes: ['openid', 'offline_access'],
      pkce,
      loginHint: 'alice@example.com',
      extraParams: { client_id: 'ignored', display: 'page' },
    });
    const url = new URL(started.url);
    assert.equal(`${url.origin}${url.pathname}`, metadata.authorization_endpoint);
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      client_id: 'app1',
      response_type: 'code',
      scope: 'openid offline_access',
      redirect_uri: REDIRECT,
      state: started.state,
      nonce: started.nonce,
      code_challenge_method: 'S256',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      login_hint: 'alice@example.com',
      display: 'page',
    });
    assert.equal(started.codeVerifier, pkce.verifier);
    assert.equal(started.requireIssuerParameter, true);
    for (const value of [started.state, started.nonce]) assert.match(value, /^[A-Za-z0-9_-]{43}$/);
    const again = await request();
    assert.notEqual(again.state, started.state);
    assert.notEqual(again.nonce, started.nonce);
  });

  it('refuses a server that does not offer S256', async () => {
    await assert.rejects(request({ ...metadata, code_challenge_methods_supported: ['plain'] }), (error) => {
      assert.ok(error instanceof LatchkeyClientError);
      assert.match(error.message, /S256/);
      return true;
    });
  });
});

describe('callback', () => {
  it('returns the code when state and iss match', async () => {
    const started = await request();
    assert.deepEqual(parseCallback(callback({ code: 'c1', state: started.state, iss: ISSUER }), started), {
      code: 'c1',
      state: started.state,
    });
  });

  it('state mismatch and missing state are StateMismatchError, with what to do', async () => {
    const started = await request();
    assert.throws(
      () => parseCallback(callback({ code: 'c1', state: 'other', iss: ISSUER }), started),
      (error) => error instanceof StateMismatchError && /Start the sign-in again/.test(error.message),
    );
    assert.throws(() => parseCallback(callback({ code: 'c1', iss: ISSUER }), started), StateMismatchError);
  });

  it('an error with a foreign state is reported as a state mismatch, not as the server error', async () => {
    const started = await request();
    assert.throws(
      () => parseCallback(callback({ error: 'access_denied', state: 'forged', iss: ISSUER }), started),
      StateMismatchError,
    );
  });

  it('iss of another issuer is IssuerMismatchError (RFC 9207 mix-up defence)', async () => {
    const started = await request();
    assert.throws(
      () =>
        parseCallback(
          callback({ code: 'c1', state: started.state, iss: 'https://evil.example/oauth2/default' }),
          started,
        ),
      (error) =>
        error instanceof IssuerMismatchError &&
        error.expected === ISSUER &&
        error.received === 'https://evil.example/oauth2/default',
    );
    assert.throws(
      () => parseCallback(callback({ code: 'c1', state: started.state, iss: `${ISSUER}/` }), started),
      IssuerMismatchError,
    );
  });

  it('missing iss is refused when the server announces it, accepted when it does not (Okta)', async () => {
    const strict = await request();
    assert.throws(
      () => parseCallback(callback({ code: 'c1', state: strict.state }), strict),
      (error) => error instanceof IssuerMismatchError && error.received === null,
    );
    const { authorization_response_iss_parameter_supported: _, ...okta } = metadata;
    const lenient = await request(okta);
    assert.equal(parseCallback(callback({ code: 'c1', state: lenient.state }), lenient).code, 'c1');
  });

  it('an error response becomes OAuthResponseError carrying error_description', async () => {
    const started = await request();
    const description = 'User is not assigned to the client application.';
    assert.throws(
      () =>
        parseCallback(
          callback({
            error: 'access_denied',
            error_description: description,
            state: started.state,
            iss: ISSUER,
          }),
          started,
        ),
      (error) => {
        assert.ok(error instanceof OAuthResponseError);
        assert.equal(error.error, 'access_denied');
        assert.equal(error.errorDescription, description);
        assert.equal(error.status, undefined);
        assert.match(error.message, /User is not assigned/);
        return true;
      },
    );
  });

  it('neither code nor error is a clear failure', async () => {
    const started = await request();
    assert.throws(
      () => parseCallback(callback({ state: started.state, iss: ISSUER }), started),
      /neither a code nor an error/,
    );
  });
});
