// SECURITY-MATRIX K: LG-10 (open redirect). "Return to" parameters that other products honour (Okta's
// fromURI, returnTo, next) are ignored on /authorize and /sign-in: the only place a flow ends is the
// registered redirect URI the authorization request named.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  get,
  makePkce,
  openSignInPage,
  postForm,
} from '../fixtures/browser-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';

const RETURN_PARAMETERS = ['fromURI', 'returnTo', 'next', 'return_to', 'redirect'];
const TARGETS = [
  '//evil.example',
  '/\\evil.example',
  '\\/evil.example',
  'https:evil.example',
  '/%2F%2Fevil.example',
  'javascript:alert(1)',
  'https://evil.example/cb',
];

/** The final Location goes to the registered URI and carries only code, state and iss. */
function assertRegisteredRedirect(location: string | null, issuer: string, state: string): void {
  assert.ok(location, 'a Location header');
  assert.ok(location.startsWith('http://127.0.0.1/callback?'), location);
  const url = new URL(location);
  assert.equal(url.origin, 'http://127.0.0.1');
  assert.equal(url.pathname, '/callback');
  assert.deepEqual([...url.searchParams.keys()].sort(), ['code', 'iss', 'state']);
  assert.equal(url.searchParams.get('iss'), issuer);
  assert.equal(url.searchParams.get('state'), state);
  assert.doesNotMatch(location, /evil|javascript/i);
}

describe('LG-10 return-to parameters never redirect', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  for (const target of TARGETS) {
    it(`LG-10 ${target}`, async () => {
      const extra = Object.fromEntries(RETURN_PARAMETERS.map((name) => [name, target]));
      const jar = new CookieJar();
      const state = `state-${TARGETS.indexOf(target)}`;
      const url = authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), { ...extra, state }));
      const { fields } = await openSignInPage(url, jar);
      const signedIn = await postForm(
        `${server.baseUrl}/sign-in`,
        { ...fields, ...extra, username: server.user.login, password: TEST_PASSWORD },
        jar,
      );
      assert.equal(signedIn.status, 303);
      assertRegisteredRedirect(signedIn.headers.get('location'), server.issuer, state);

      // With the SSO session, /authorize answers at once: still only the registered URI.
      const again = await get(
        authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), { ...extra, state })),
        jar,
      );
      assert.equal(again.status, 302);
      assertRegisteredRedirect(again.headers.get('location'), server.issuer, state);
    });
  }

  it('LG-10 return-to parameters alone (no OAuth request) do not redirect from /sign-in', async () => {
    const jar = new CookieJar();
    await openSignInPage(authorizeUrl(server, defaultAuthorizeParams(server, makePkce())), jar);
    for (const target of TARGETS) {
      const response = await postForm(
        `${server.baseUrl}/sign-in?fromURI=${encodeURIComponent(target)}`,
        { fromURI: target, returnTo: target, next: target },
        jar,
      );
      await response.body?.cancel();
      assert.equal(response.headers.get('location'), null, target);
      assert.ok(response.status >= 400 && response.status < 500, `${target}: ${response.status}`);
    }
  });
});
