// SECURITY-MATRIX LO-04: no forced sign-out by a cross-site link (RP-Initiated Logout §6; ASVS 10.6.2;
// [OIDF:oidcc-rp-initiated-logout-no-id-token-hint]). Without a valid id_token_hint the user confirms on a
// page whose POST needs the CSRF token, its SameSite=Strict cookie and a same-origin request.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertErrorPage } from '../fixtures/authorization-assertions.ts';
import { type CookieJar, hiddenFields, postForm } from '../fixtures/browser-flow.ts';
import {
  assertSignedIn,
  jarWithSession,
  logoutUrl,
  sessionCookie,
  sessionIsLive,
  signInWithTokens,
} from '../fixtures/session-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const LOGOUT_URI = 'com.example.app:/logout';
const CROSS_SITE = { 'sec-fetch-site': 'cross-site' };
const SAME_ORIGIN = { origin: 'null', 'sec-fetch-site': 'same-origin' };

describe('logout confirmation (LO-04)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  const confirmUrl = (): string => server.url('/v1/logout/confirm');

  /** A signed-in browser that followed a cross-site link to /v1/logout without a hint. */
  async function followCrossSiteLink(
    params: Record<string, string> = {
      client_id: server.nativePub.client.clientId,
      post_logout_redirect_uri: LOGOUT_URI,
      state: 'st-4',
    },
  ): Promise<{ jar: CookieJar; sessionId: string; page: Response; html: string }> {
    const { jar, sessionId } = await signInWithTokens(server);
    const page = await fetch(logoutUrl(server, params), {
      redirect: 'manual',
      headers: { cookie: jar.header(), ...CROSS_SITE },
    });
    jar.store(page);
    return { jar, sessionId, page, html: await page.text() };
  }

  it('LO-04 a cross-site GET without id_token_hint shows the confirmation page; nothing ends, no redirect', async () => {
    const { sessionId, page, html } = await followCrossSiteLink();
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('location'), null);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.match(html, /<form method="post" action="\/oauth2\/default\/v1\/logout\/confirm"/);
    assert.match(
      html,
      /<button class="button" type="submit" name="decision" value="sign-out">Sign out<\/button>/,
    );
    assert.match(html, /value="stay">Stay signed in<\/button>/);
    assert.doesNotMatch(html, /<script/i);
    const fields = hiddenFields(html);
    assert.deepEqual(
      { ...fields, _csrf: fields['_csrf'] ? 'present' : 'missing' },
      {
        _csrf: 'present',
        client_id: server.nativePub.client.clientId,
        post_logout_redirect_uri: LOGOUT_URI,
        state: 'st-4',
      },
    );
    assert.equal(await sessionIsLive(server, sessionId), true);
  });

  it('LO-04 the page carries state as an escaped hidden value only', async () => {
    const state = '"><script>alert(1)</script>';
    const page = await fetch(logoutUrl(server, { state }), { headers: CROSS_SITE });
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.doesNotMatch(html, /<script/i);
    assert.equal(hiddenFields(html)['state'], state);
  });

  it('LO-04 a cross-site POST to /v1/logout without a hint also only asks', async () => {
    const { jar, sessionId } = await signInWithTokens(server);
    const response = await postForm(
      server.url('/v1/logout'),
      { client_id: server.nativePub.client.clientId, post_logout_redirect_uri: LOGOUT_URI },
      jar,
      CROSS_SITE,
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('location'), null);
    assert.equal(await sessionIsLive(server, sessionId), true);
  });

  describe('LO-04 a forged confirmation does not sign out', () => {
    const forgeries: [
      name: string,
      forge: (jar: CookieJar, fields: Record<string, string>) => Promise<Response>,
    ][] = [
      [
        'no CSRF token',
        (jar, { _csrf, ...fields }) =>
          postForm(confirmUrl(), { ...fields, decision: 'sign-out' }, jar, SAME_ORIGIN),
      ],
      [
        'the token without its SameSite=Strict cookie (a cross-site form)',
        (jar, fields) =>
          postForm(
            confirmUrl(),
            { ...fields, decision: 'sign-out' },
            jarWithSession(server, jar.get(sessionCookie(server)) ?? ''),
          ),
      ],
      [
        'Sec-Fetch-Site: cross-site',
        (jar, fields) => postForm(confirmUrl(), { ...fields, decision: 'sign-out' }, jar, CROSS_SITE),
      ],
      [
        'Origin: https://evil.example',
        (jar, fields) =>
          postForm(confirmUrl(), { ...fields, decision: 'sign-out' }, jar, {
            origin: 'https://evil.example',
          }),
      ],
    ];
    for (const [name, forge] of forgeries) {
      it(`LO-04 ${name}: 403 error page, session kept`, async () => {
        const { jar, sessionId, html } = await followCrossSiteLink();
        const response = await forge(jar, hiddenFields(html));
        await assertErrorPage(response, { error: 'access_denied', status: 403, untrustedUri: LOGOUT_URI });
        assert.equal(await sessionIsLive(server, sessionId), true);
      });
    }

    it('LO-04 a confirmation whose hidden URI was swapped is validated again: error page, session kept', async () => {
      const { jar, sessionId, html } = await followCrossSiteLink();
      const fields = { ...hiddenFields(html), post_logout_redirect_uri: 'https://evil.example/' };
      const response = await postForm(confirmUrl(), { ...fields, decision: 'sign-out' }, jar, SAME_ORIGIN);
      await assertErrorPage(response, { error: 'invalid_request', untrustedUri: 'https://evil.example/' });
      assert.equal(await sessionIsLive(server, sessionId), true);
    });
  });

  it('LO-04 "Stay signed in" keeps the session and redirects nowhere', async () => {
    const { jar, sessionId, html } = await followCrossSiteLink();
    const response = await postForm(
      confirmUrl(),
      { ...hiddenFields(html), decision: 'stay' },
      jar,
      SAME_ORIGIN,
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('location'), null);
    assert.match(await response.text(), /Still signed in/);
    await assertSignedIn(server, jar, true);
    assert.equal(await sessionIsLive(server, sessionId), true);
  });

  it('LO-04 the same-origin confirmation with its CSRF token ends the session, then 303 to the URI with state', async () => {
    const { jar, sessionId, html } = await followCrossSiteLink();
    const response = await postForm(
      confirmUrl(),
      { ...hiddenFields(html), decision: 'sign-out' },
      jar,
      SAME_ORIGIN,
    );
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `${LOGOUT_URI}?state=st-4`);
    assert.equal(jar.get(sessionCookie(server)), undefined, 'the session cookie is cleared');
    await assertSignedIn(server, jarWithSession(server, sessionId), false);
  });

  it('LO-04 confirming without post_logout_redirect_uri shows the signed-out page', async () => {
    const { jar, sessionId, html } = await followCrossSiteLink({
      client_id: server.nativePub.client.clientId,
    });
    assert.match(html, /<strong>Native Pub<\/strong> asks to end your Latchkey session/);
    const response = await postForm(
      confirmUrl(),
      { ...hiddenFields(html), decision: 'sign-out' },
      jar,
      SAME_ORIGIN,
    );
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<h1>Signed out<\/h1>/);
    assert.equal(await sessionIsLive(server, sessionId), false);
  });
});
