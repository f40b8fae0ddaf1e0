// SECURITY-MATRIX LO-01: RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2, §3; OKTA-COMPAT
// §1.7 and the §9 /v1/logout checklist). Two in-process instances share one SQLite database, so "the session
// ends on every instance" is checked on the instance that did not handle the logout.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/services/apps.ts';
import { newEvents } from '../fixtures/authorization-assertions.ts';
import { get, hiddenFields, postForm } from '../fixtures/browser-flow.ts';
import {
  assertSignedIn,
  jarWithSession,
  logoutUrl,
  mintIdToken,
  sessionCookie,
  sessionIsLive,
  signInWithTokens,
} from '../fixtures/session-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { claimsOf } from '../fixtures/token-assertions.ts';

const LOGOUT_URI = 'com.example.app:/logout';

describe('RP-initiated logout (LO-01)', () => {
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    a = await startTestServer();
    b = await startTestServer({ instanceOf: a });
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  it('LO-01 GET with id_token_hint, a registered URI and state: 302 with only state; the session ends on every instance', async () => {
    const { jar, sessionId, tokens } = await signInWithTokens(a);
    await assertSignedIn(b, jarWithSession(b, sessionId), true);

    const response = await get(
      logoutUrl(a, { id_token_hint: tokens.id_token, post_logout_redirect_uri: LOGOUT_URI, state: 'xyz' }),
      jar,
    );
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${LOGOUT_URI}?state=xyz`);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(jar.get(sessionCookie(a)), undefined, 'the session cookie is cleared');

    // The old cookie value, replayed on the other instance and on this one, no longer authenticates.
    await assertSignedIn(b, jarWithSession(b, sessionId), false);
    await assertSignedIn(a, jarWithSession(a, sessionId), false);
  });

  it('LO-01 POST (form body) with the same parameters: 302 with state, session ended', async () => {
    const { jar, sessionId, tokens } = await signInWithTokens(a);
    const response = await postForm(
      a.url('/v1/logout'),
      { id_token_hint: tokens.id_token, post_logout_redirect_uri: LOGOUT_URI, state: 'post-state' },
      jar,
    );
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${LOGOUT_URI}?state=post-state`);
    await assertSignedIn(b, jarWithSession(b, sessionId), false);
  });

  describe('LO-01 variants', () => {
    const redirects: [name: string, state: string | undefined, expected: string][] = [
      ['without state: no state parameter at all', undefined, LOGOUT_URI],
      [
        'state with reserved characters is echoed exactly',
        'a b&c=d/é?#%',
        `${LOGOUT_URI}?state=a+b%26c%3Dd%2F%C3%A9%3F%23%25`,
      ],
    ];
    for (const [name, state, expected] of redirects) {
      it(`LO-01 ${name}`, async () => {
        const { jar, sessionId, tokens } = await signInWithTokens(a);
        const params = { id_token_hint: tokens.id_token, post_logout_redirect_uri: LOGOUT_URI };
        const response = await get(logoutUrl(a, state === undefined ? params : { ...params, state }), jar);
        assert.equal(response.status, 302);
        const location = response.headers.get('location') ?? '';
        assert.equal(location, expected);
        if (state !== undefined) assert.equal(new URL(location).searchParams.get('state'), state);
        assert.equal(await sessionIsLive(b, sessionId), false);
      });
    }

    it("LO-01 a registered URI's own query is kept and state appended with &", async () => {
      const app = await createApp(a.deps, {
        name: 'Logout Query',
        applicationType: 'web',
        redirectUris: ['https://app.example.com/cb'],
        postLogoutRedirectUris: ['https://app.example.com/bye?tenant=a'],
      });
      const hint = await mintIdToken(a, { aud: app.client.clientId });
      const response = await get(
        logoutUrl(a, {
          id_token_hint: hint,
          post_logout_redirect_uri: 'https://app.example.com/bye?tenant=a',
          state: 's',
        }),
      );
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('location'), 'https://app.example.com/bye?tenant=a&state=s');
    });

    it('LO-01 hint without post_logout_redirect_uri: the signed-out page, session ended', async () => {
      const { jar, sessionId, tokens } = await signInWithTokens(a);
      const response = await get(logoutUrl(a, { id_token_hint: tokens.id_token, state: 'ignored' }), jar);
      const html = await response.text();
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('location'), null);
      assert.match(html, /<h1>Signed out<\/h1>/);
      assert.equal(await sessionIsLive(b, sessionId), false);
    });

    it('LO-01 only state: the confirmation page, no redirect, session kept', async () => {
      const { jar, sessionId } = await signInWithTokens(a);
      const response = await get(logoutUrl(a, { state: 'only-state' }), jar);
      const html = await response.text();
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('location'), null);
      assert.match(html, /action="\/oauth2\/default\/v1\/logout\/confirm"/);
      assert.equal(await sessionIsLive(b, sessionId), true);
    });

    it('LO-01 no parameters: the confirmation page, then the signed-out page', async () => {
      const { jar, sessionId } = await signInWithTokens(a);
      const page = await get(logoutUrl(a), jar);
      assert.equal(page.status, 200);
      const fields = hiddenFields(await page.text());
      assert.deepEqual(Object.keys(fields), ['_csrf']);
      assert.equal(await sessionIsLive(a, sessionId), true, 'nothing ends before the user confirms');

      const confirmed = await postForm(a.url('/v1/logout/confirm'), { ...fields, decision: 'sign-out' }, jar);
      assert.equal(confirmed.status, 200);
      assert.equal(confirmed.headers.get('location'), null);
      assert.match(await confirmed.text(), /<h1>Signed out<\/h1>/);
      await assertSignedIn(b, jarWithSession(b, sessionId), false);
    });
  });

  it('LO-01 an expired hint we issued, with client_id and logout_hint, is accepted', async () => {
    const { jar, sessionId, tokens } = await signInWithTokens(a);
    a.clock.advance(3601);
    assert.ok(Number(claimsOf(tokens.id_token).exp) < a.clock.now(), 'the hint has expired');
    const response = await get(
      logoutUrl(a, {
        id_token_hint: tokens.id_token,
        client_id: a.nativePub.client.clientId,
        logout_hint: a.user.login,
        post_logout_redirect_uri: LOGOUT_URI,
        state: 'late',
      }),
      jar,
    );
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${LOGOUT_URI}?state=late`);
    assert.equal(await sessionIsLive(b, sessionId), false);
  });

  it('LO-01 without an SSO session the redirect still happens', async () => {
    const hint = await mintIdToken(a);
    const response = await get(
      logoutUrl(a, { id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state: 'x' }),
    );
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${LOGOUT_URI}?state=x`);
  });

  it('LO-01 records user.session.end for the user, and never the token', async () => {
    const { jar, tokens } = await signInWithTokens(a);
    const events = await newEvents(a, () =>
      get(logoutUrl(a, { id_token_hint: tokens.id_token, post_logout_redirect_uri: LOGOUT_URI }), jar),
    );
    const ended = events.filter((event) => event.type === 'user.session.end');
    assert.equal(ended.length, 1, JSON.stringify(events));
    assert.equal(ended[0]?.outcome, 'SUCCESS');
    assert.equal(ended[0]?.userId, a.user.id);
    assert.equal(ended[0]?.clientId, a.nativePub.client.clientId);
    for (const event of events) {
      assert.ok(!JSON.stringify(event).includes(tokens.id_token.split('.')[2] ?? '-'), 'no token in the log');
    }
  });
});
