// openid-client v6 as a third-party relying party refreshes against Latchkey (RT-01): its
// `refreshTokenGrant` checks the refreshed ID token against the first (iss, sub, aud, signature via
// jwks_uri, no nonce expected). Set-up as in third-party-clients.test.ts: an http issuer on a known port.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { CookieJar, signIn } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

const RELYING = [
  { name: 'native-pub (ROTATE)', app: 'nativePub', redirectUri: 'http://127.0.0.1/callback' },
  { name: 'web-conf (STATIC)', app: 'webConf', redirectUri: 'https://app.example.com/cb' },
] as const;

describe('third-party refresh', () => {
  let server: TestServer;
  before(async () => {
    const port = await freePort();
    server = await startTestServer({ publicUrl: `http://127.0.0.1:${port}`, env: { PORT: String(port) } });
  });
  after(async () => server.close());

  for (const { name, app, redirectUri } of RELYING) {
    it(`RT-01 openid-client refreshTokenGrant for ${name}`, async () => {
      const { clientId } = server[app].client;
      const secret = app === 'webConf' ? server.webConf.clientSecret : undefined;
      const config = await client.discovery(
        new URL(server.issuer),
        clientId,
        secret,
        secret === undefined ? client.None() : client.ClientSecretBasic(secret),
        { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] },
      );
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid profile email offline_access',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const answer = await signIn(server, url.href, new CookieJar());
      const first = await client.authorizationCodeGrant(
        config,
        new URL(answer.headers.get('location') ?? ''),
        {
          pkceCodeVerifier: verifier,
          expectedState: state,
          expectedNonce: nonce,
          idTokenExpected: true,
        },
      );
      server.clock.advance(5);
      const refreshed = await client.refreshTokenGrant(config, first.refresh_token ?? '');
      const [before, after] = [first.claims(), refreshed.claims()];
      assert.equal(after?.sub, before?.sub);
      assert.equal(after?.auth_time, before?.auth_time);
      assert.equal(after?.nonce, undefined);
      assert.equal(typeof refreshed.refresh_token, 'string');
      assert.equal(refreshed.refresh_token === first.refresh_token, app === 'webConf');
      const again = await client.refreshTokenGrant(config, refreshed.refresh_token ?? '');
      assert.equal(again.claims()?.sub, server.user.id);
    });
  }
});
