// Issue 9 §2: POST /consent cannot finish a `prompt=login` or `max_age=0` request without the password.
// The consent page's transaction is bound to the session it was shown to; a sign-in form's transaction
// is refused at /consent; and authentication is decided again before the code is issued (LG-12, ID-04).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  hiddenFields,
  makePkce,
  openSignInPage,
  postForm,
  responseParams,
  signIn,
} from '../fixtures/browser-flow.ts';
import { sessionCookie, signInWithTokens } from '../fixtures/session-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

describe('consent is bound to the session that signed in (issue 9 §2)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });

  /** native-pub asks for consent while `fn` runs (as an app marked "require consent" does, LG-12). */
  async function withConsent(fn: () => Promise<void>): Promise<void> {
    const { clientId } = server.nativePub.client;
    const before = (await server.deps.store.clients.get(clientId))?.consentMethod ?? 'TRUSTED';
    await server.deps.store.clients.update(clientId, { consentMethod: 'REQUIRED' });
    try {
      await fn();
    } finally {
      await server.deps.store.clients.update(clientId, { consentMethod: before });
    }
  }
  after(() => server.close());

  const consentPost = (jar: CookieJar, fields: Record<string, string>) =>
    postForm(`${server.baseUrl}/consent`, { ...fields, decision: 'allow' }, jar);

  for (const extra of [{ prompt: 'login' }, { max_age: '0' }]) {
    const what = Object.entries(extra).map(([k, v]) => `${k}=${v}`)[0];
    it(`LG-15 a signed-in browser posting the ${what} sign-in form's transaction to /consent gets no code`, async () => {
      const { jar } = await signInWithTokens(server);
      server.clock.advance(5);
      const url = authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), extra));
      const { fields } = await openSignInPage(url, jar);
      assert.ok(fields['transaction_id'] && fields['_csrf']);
      const response = await consentPost(jar, fields);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('location'), null, 'no redirect, no code');
      assert.match(await response.text(), /expired/);
    });
  }

  it('LG-15 a consent transaction is refused with another session', async () => {
    // Another session in the same browser (its binding cookie kept), e.g. from a second sign-in.
    const other = await signInWithTokens(server, { jar: new CookieJar() });
    await withConsent(async () => {
      const jar = new CookieJar();
      const page = await signIn(
        server,
        authorizeUrl(server, defaultAuthorizeParams(server, makePkce())),
        jar,
      );
      assert.equal(page.status, 200);
      const fields = hiddenFields(await page.text());
      const own = jar.get(sessionCookie(server)) ?? '';
      jar.set(sessionCookie(server), other.sessionId);
      const response = await consentPost(jar, fields);
      assert.equal(response.status, 400);
      await response.body?.cancel();
      // The rightful session still finishes it.
      jar.set(sessionCookie(server), own);
      const allowed = await consentPost(jar, fields);
      assert.equal(allowed.status, 303);
      assert.ok(responseParams(allowed.headers.get('location')).get('code'));
    });
  });

  it('LG-15 prompt=login: signing in again, then consenting, gives a code with the new auth_time', async () => {
    const { jar } = await signInWithTokens(server);
    server.clock.advance(30);
    await withConsent(async () => {
      const url = authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), { prompt: 'login' }));
      const page = await signIn(server, url, jar);
      assert.equal(page.status, 200, 'the consent page after signing in again');
      const allowed = await consentPost(jar, hiddenFields(await page.text()));
      assert.equal(allowed.status, 303);
      const code = responseParams(allowed.headers.get('location')).get('code');
      assert.ok(code);
    });
  });
});
