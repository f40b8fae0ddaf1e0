// Real third-party relying parties run the code flow against Latchkey (ARCHITECTURE "Tests": e2e):
// openid-client v6 and oauth4webapi v3, for a public native app (PKCE, auth method none) and a confidential
// web app (client_secret_basic). They check discovery, RFC 9207 `iss` in the authorization response, state,
// PKCE, and the ID token (signature against jwks_uri, iss, aud, nonce, iat/exp). The sign-in page is
// driven with the fixture's cookie jar; the final redirect to the app is read from Location, never followed.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { CookieJar, signIn } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

/** A free TCP port on 127.0.0.1, so the issuer can name the port before the server starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

interface Relying {
  name: string;
  app: 'nativePub' | 'webConf';
  redirectUri: string;
}

const RELYING: Relying[] = [
  { name: 'native-pub (public, PKCE, none)', app: 'nativePub', redirectUri: 'http://127.0.0.1/callback' },
  { name: 'web-conf (client_secret_basic)', app: 'webConf', redirectUri: 'https://app.example.com/cb' },
];
const SCOPE = 'openid profile email offline_access';

describe('third-party clients', () => {
  let server: TestServer;
  before(async () => {
    const port = await freePort();
    // The issuer must be where the clients connect (discovery's issuer = the URL they asked).
    server = await startTestServer({ publicUrl: `http://127.0.0.1:${port}`, env: { PORT: String(port) } });
    assert.equal(server.issuer, `http://127.0.0.1:${port}/oauth2/default`);
  });
  after(async () => server.close());

  const secretOf = (app: Relying['app']): string | undefined =>
    app === 'webConf' ? server.webConf.clientSecret : undefined;

  for (const { name, app, redirectUri } of RELYING) {
    it(`openid-client completes the code flow for ${name}`, async () => {
      const { clientId } = server[app].client;
      const secret = secretOf(app);
      const config = await client.discovery(
        new URL(server.issuer),
        clientId,
        secret,
        secret === undefined ? client.None() : client.ClientSecretBasic(secret),
        // enableNonRepudiationChecks: also verify the ID token signature against jwks_uri.
        { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] },
      );
      assert.equal(config.serverMetadata().issuer, server.issuer);
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const answer = await signIn(server, url.href, new CookieJar());
      assert.equal(answer.status, 303);
      const tokens = await client.authorizationCodeGrant(
        config,
        new URL(answer.headers.get('location') ?? ''),
        {
          pkceCodeVerifier: verifier,
          expectedState: state,
          expectedNonce: nonce,
          idTokenExpected: true,
        },
      );
      const claims = tokens.claims();
      assert.equal(claims?.sub, server.user.id);
      assert.equal(claims?.aud, clientId);
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.equal(tokens.expires_in, 3600);
      assert.equal(typeof tokens.refresh_token, 'string');
    });
  }

  for (const { name, app, redirectUri } of RELYING) {
    it(`oauth4webapi completes the code flow for ${name}`, async () => {
      const insecure = { [oauth.allowInsecureRequests]: true };
      const issuer = new URL(server.issuer);
      const as = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }),
      );
      const { clientId } = server[app].client;
      const secret = secretOf(app);
      const relying: oauth.Client = { client_id: clientId };
      const clientAuth = secret === undefined ? oauth.None() : oauth.ClientSecretBasic(secret);
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = new URL(as.authorization_endpoint ?? '');
      for (const [key, value] of Object.entries({
        client_id: clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: SCOPE,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      })) {
        url.searchParams.set(key, value);
      }
      const answer = await signIn(server, url.href, new CookieJar());
      assert.equal(answer.status, 303);
      // Checks state and, as discovery advertises it, the RFC 9207 `iss` parameter.
      const params = oauth.validateAuthResponse(
        as,
        relying,
        new URL(answer.headers.get('location') ?? ''),
        state,
      );
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        relying,
        clientAuth,
        params,
        redirectUri,
        verifier,
        insecure,
      );
      const result = await oauth.processAuthorizationCodeResponse(as, relying, response, {
        expectedNonce: nonce,
        requireIdToken: true,
      });
      await oauth.validateApplicationLevelSignature(as, response, insecure);
      const claims = oauth.getValidatedIdTokenClaims(result);
      assert.equal(claims?.sub, server.user.id);
      assert.equal(claims?.nonce, nonce);
      assert.equal(result.token_type, 'bearer');
      assert.equal(result.expires_in, 3600);
      assert.equal(typeof result.refresh_token, 'string');
    });
  }
});
