// SECURITY-MATRIX SE-01 (session fixation: a new id at every sign-in; ASVS 7.2.4, Keycloak CVE-2025-12390,
// express-openid-connect CVE-2021-41246) and SE-02 (idle 2 h and absolute 24 h lifetimes; ASVS 7.3.1, 7.3.2;
// OIDC Core §3.1.2.1). Time moves with the injected clock.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS } from '../../src/accounts/sessions.ts';
import { createUser } from '../../src/accounts/users.ts';
import { generateOpaqueToken } from '../../src/oauth/random.ts';
import {
  authorizeUrl,
  type CookieJar,
  defaultAuthorizeParams,
  get,
  makePkce,
} from '../fixtures/browser-flow.ts';
import { assertSignedIn, jarWithSession, logoutUrl, signInWithTokens } from '../fixtures/session-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import { claimsOf, codeFromSession, expectTokens, redeemCode } from '../fixtures/token-assertions.ts';

describe('SSO sessions (SE-01, SE-02)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  /** Without prompt=none, /authorize shows the sign-in form again. */
  async function assertSignInPageShown(jar: CookieJar): Promise<void> {
    const response = await get(authorizeUrl(server, defaultAuthorizeParams(server, makePkce())), jar);
    const html = await response.text();
    assert.equal(response.status, 200, response.headers.get('location') ?? '');
    assert.match(html, /name="password"/);
  }

  describe('SE-01 session fixation', () => {
    it('SE-01 a session id planted before sign-in never authenticates and is replaced at sign-in', async () => {
      const planted = generateOpaqueToken();
      const jar = jarWithSession(server, planted);
      // signInWithTokens insists on the sign-in page: the planted id did not authenticate.
      const { sessionId } = await signInWithTokens(server, { jar });
      assert.notEqual(sessionId, planted);
      await assertSignedIn(server, jarWithSession(server, planted), false);
      await assertSignedIn(server, jar, true);
    });

    it('SE-01 re-authentication (prompt=login) issues a new id; the pre-sign-in id replayed does not authenticate', async () => {
      const { jar, sessionId: first } = await signInWithTokens(server);
      const { sessionId: second } = await signInWithTokens(server, { jar, extra: { prompt: 'login' } });
      assert.notEqual(second, first);
      await assertSignedIn(server, jarWithSession(server, first), false);
      await assertSignedIn(server, jar, true);
    });

    it('SE-01 after a sign-out sent without cookies, another user signing in on the same browser gets only their own session', async () => {
      const { jar, sessionId: alices, tokens } = await signInWithTokens(server);
      // The app calls /v1/logout from its own HTTP client: the browser's cookie is not sent.
      const logout = await get(
        logoutUrl(server, {
          id_token_hint: tokens.id_token,
          post_logout_redirect_uri: 'com.example.app:/logout',
        }),
      );
      assert.equal(logout.status, 302);

      const bob = await createUser(server.deps, {
        email: 'bob@example.com',
        name: 'Bob Bobson',
        password: TEST_PASSWORD,
      });
      const signedIn = await signInWithTokens(server, {
        jar,
        credentials: { username: bob.login, password: TEST_PASSWORD },
        extra: { prompt: 'login' },
      });
      assert.notEqual(signedIn.sessionId, alices);
      assert.equal(claimsOf(signedIn.tokens.id_token).sub, bob.id);

      // The browser's session now yields Bob's tokens only; Alice's old id is dead.
      const silent = await codeFromSession(server, jar);
      const silentTokens = await expectTokens(await redeemCode(server, silent));
      assert.equal(claimsOf(silentTokens.id_token ?? '').sub, bob.id);
      await assertSignedIn(server, jarWithSession(server, alices), false);
    });
  });

  describe('SE-02 session lifetimes', () => {
    it(`SE-02 idle: alive after exactly ${SESSION_IDLE_SECONDS} s without use, gone one second later`, async () => {
      const { jar } = await signInWithTokens(server);
      server.clock.advance(SESSION_IDLE_SECONDS);
      await assertSignedIn(server, jar, true); // this use restarts the idle window
      server.clock.advance(SESSION_IDLE_SECONDS);
      await assertSignedIn(server, jar, true);
      server.clock.advance(SESSION_IDLE_SECONDS + 1);
      await assertSignedIn(server, jar, false);
      await assertSignInPageShown(jar);
    });

    it(`SE-02 absolute: in constant use, the session ends ${SESSION_ABSOLUTE_SECONDS} s after sign-in`, async () => {
      const { jar } = await signInWithTokens(server);
      const hour = 3600;
      for (let elapsed = hour; elapsed < SESSION_ABSOLUTE_SECONDS; elapsed += hour) {
        server.clock.advance(hour);
        await assertSignedIn(server, jar, true);
      }
      server.clock.advance(hour - 1); // 1 s before the absolute end
      await assertSignedIn(server, jar, true);
      server.clock.advance(1);
      await assertSignedIn(server, jar, false);
      await assertSignInPageShown(jar);
    });
  });
});
