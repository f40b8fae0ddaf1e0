// SECURITY-MATRIX LO-02 (post_logout_redirect_uri matched exactly, rule 1) and LO-03 (id_token_hint must be
// ours: RS256, our key, our issuer; expired is fine). RP-Initiated Logout §2, §3; RFC 9700 §4.11.2;
// OKTA-COMPAT §1.7. Every refusal is an error page: 400 HTML, no Location, and the session is kept.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import { createUser } from '../../src/accounts/users.ts';
import { createApp } from '../../src/services/apps.ts';
import { assertErrorPage } from '../fixtures/authorization-assertions.ts';
import { type CookieJar, get } from '../fixtures/browser-flow.ts';
import { logoutUrl, mintIdToken, sessionIsLive, signInWithTokens } from '../fixtures/session-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const LOGOUT_URI = 'com.example.app:/logout';
const UNREGISTERED =
  "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.";

const text = (html: string): string =>
  html
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

describe('logout request validation (LO-02, LO-03)', () => {
  let server: TestServer;
  let jar: CookieJar;
  let sessionId: string;
  let idToken: string;
  let otherAppUri: string;
  before(async () => {
    server = await startTestServer();
    ({
      jar,
      sessionId,
      tokens: { id_token: idToken },
    } = await signInWithTokens(server));
    otherAppUri = 'https://app.example.com/signed-out';
    await createApp(server.deps, {
      name: 'Logout Web',
      applicationType: 'web',
      redirectUris: ['https://app.example.com/cb'],
      postLogoutRedirectUris: [otherAppUri],
    });
  });
  after(async () => server.close());

  /** The refusal leaves the browser signed in. */
  async function assertSessionKept(): Promise<void> {
    assert.equal(await sessionIsLive(server, sessionId), true, 'the session is kept');
  }

  describe('LO-02 post_logout_redirect_uri must be registered for the hint’s app, exactly', () => {
    const variants: [name: string, uri: () => string][] = [
      ['an unregistered URI', () => 'https://evil.example/logout'],
      ['the registered URI plus ?foo=bar', () => `${LOGOUT_URI}?foo=bar`],
      ['a trailing slash', () => `${LOGOUT_URI}/`],
      ['another letter case', () => 'COM.EXAMPLE.APP:/logout'],
      [':// instead of :/', () => 'com.example.app://logout'],
      ["another app's sign-out URI", () => otherAppUri],
      ['javascript:', () => 'javascript:alert(1)'],
    ];
    for (const [name, uri] of variants) {
      it(`LO-02 ${name}: error page with a support reference, not the registered sign-out URIs`, async () => {
        const received = uri();
        const response = await get(
          logoutUrl(server, { id_token_hint: idToken, post_logout_redirect_uri: received, state: 's' }),
          jar,
        );
        const html = text(
          await assertErrorPage(response, { error: 'invalid_request', untrustedUri: received }),
        );
        assert.ok(html.includes(UNREGISTERED), 'Okta’s description');
        assert.ok(html.includes('Logout redirect URI'));
        // RU-15: the registered URIs only in development or to a console admin.
        assert.ok(
          !html.includes(`<code class="uri">${LOGOUT_URI}</code>`),
          'does not list the registered URI',
        );
        assert.match(html, /request ID <code class="request-id">/);
        await assertSessionKept();
      });
    }

    it('LO-02 without a hint, client_id and an unregistered URI: error page', async () => {
      const response = await get(
        logoutUrl(server, {
          client_id: server.nativePub.client.clientId,
          post_logout_redirect_uri: otherAppUri,
        }),
        jar,
      );
      const html = text(
        await assertErrorPage(response, { error: 'invalid_request', untrustedUri: otherAppUri }),
      );
      assert.ok(html.includes(UNREGISTERED));
      await assertSessionKept();
    });

    it('LO-02 with neither hint nor client_id the URI cannot be checked: error page', async () => {
      const response = await get(logoutUrl(server, { post_logout_redirect_uri: LOGOUT_URI }), jar);
      const html = text(
        await assertErrorPage(response, { error: 'invalid_request', untrustedUri: LOGOUT_URI }),
      );
      assert.match(html, /cannot be checked without an 'id_token_hint' or a 'client_id'/);
      await assertSessionKept();
    });

    it('LO-02 an unknown client_id: error page', async () => {
      const response = await get(
        logoutUrl(server, { client_id: '0oaunknown', post_logout_redirect_uri: LOGOUT_URI }),
        jar,
      );
      await assertErrorPage(response, { error: 'invalid_client' });
      await assertSessionKept();
    });
  });

  describe('LO-03 id_token_hint must be an ID token this server issued', () => {
    const forged: [name: string, hint: () => Promise<string>][] = [
      [
        'signed by a foreign key under our kid',
        async () => {
          const { privateKey } = await generateKeyPair('RS256');
          const { kid } = await server.deps.keys.signingKey('default');
          return mintIdToken(server, {}, { kid, privateKey });
        },
      ],
      ['alg none', async () => unsigned({ alg: 'none' }, await mintIdToken(server))],
      [
        'another issuer, signed by our key',
        () => mintIdToken(server, { iss: 'https://evil.example/oauth2/default' }),
      ],
      ['a trailing slash on our issuer', () => mintIdToken(server, { iss: `${server.issuer}/` })],
      [
        'a tampered payload (sub changed, signature kept)',
        async () => {
          const [header, , signature] = idToken.split('.');
          const payload = Buffer.from(JSON.stringify({ ...decode(idToken), sub: '00uattacker' })).toString(
            'base64url',
          );
          return `${header}.${payload}.${signature}`;
        },
      ],
      [
        'HS256 keyed with our public key (JW-02)',
        async () => {
          const jwk = (await server.deps.keys.jwks('default')).keys[0];
          const secret = new TextEncoder().encode(JSON.stringify(jwk));
          return new SignJWT({
            sub: server.user.id,
            aud: server.nativePub.client.clientId,
            iss: server.issuer,
          })
            .setProtectedHeader({ alg: 'HS256', kid: jwk?.kid ?? '' })
            .sign(secret);
        },
      ],
      ['garbage', async () => 'not-a-jwt'],
    ];
    for (const [name, hint] of forged) {
      it(`LO-03 ${name}: error page, no redirect, session kept`, async () => {
        const response = await get(
          logoutUrl(server, {
            id_token_hint: await hint(),
            post_logout_redirect_uri: LOGOUT_URI,
            state: 's',
          }),
          jar,
        );
        await assertErrorPage(response, { error: 'invalid_request', untrustedUri: LOGOUT_URI });
        await assertSessionKept();
      });
    }

    it('LO-03 a hint issued to another client than client_id: error page', async () => {
      const response = await get(
        logoutUrl(server, {
          id_token_hint: idToken,
          client_id: server.otherPub.client.clientId,
          post_logout_redirect_uri: LOGOUT_URI,
        }),
        jar,
      );
      await assertErrorPage(response, { error: 'invalid_request', untrustedUri: LOGOUT_URI });
      await assertSessionKept();
    });

    it("LO-03 a hint for another user than the session's: id_token_does_not_match_session, session kept", async () => {
      const bob = await createUser(server.deps, { email: 'bob@example.com', name: 'Bob Bobson' });
      const response = await get(
        logoutUrl(server, {
          id_token_hint: await mintIdToken(server, { sub: bob.id }),
          post_logout_redirect_uri: LOGOUT_URI,
        }),
        jar,
      );
      const html = text(await assertErrorPage(response, { error: 'id_token_does_not_match_session' }));
      assert.ok(html.includes("The ID token subject does not match the current session's user."));
      await assertSessionKept();
    });

    it('LO-03 an expired hint signed by a retired but still published key is accepted', async () => {
      const now = server.clock.now();
      const hint = await mintIdToken(server, { iat: now - 7200, exp: now - 3600 });
      const { keys, store } = server.deps;
      const old = await keys.signingKey('default');
      const { key: next } = await keys.stageNextKey('default');
      await store.signingKeys.update(next.kid, { status: 'ACTIVE', activatedAt: now });
      await store.signingKeys.update(old.kid, { status: 'RETIRED', retiredAt: now });
      keys.forget('default');
      assert.notEqual((await keys.signingKey('default')).kid, old.kid, 'another key signs now');

      const response = await get(
        logoutUrl(server, { id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state: 'r' }),
        jar,
      );
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('location'), `${LOGOUT_URI}?state=r`);
      assert.equal(await sessionIsLive(server, sessionId), false);
    });
  });
});

function decode(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

/** The token's claims under another header, with an empty signature (`alg: none`). */
function unsigned(header: Record<string, unknown>, jwt: string): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode(header)}.${encode(decode(jwt))}.`;
}
