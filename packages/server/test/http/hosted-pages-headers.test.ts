// SECURITY-MATRIX K: LG-07 (cookies), LG-08 (clickjacking headers) and LG-09 (security headers and CORS)
// on every hosted page, with the https public URL of SECURITY-MATRIX §2. The browser side of LG-08 (a
// cross-origin frame is refused) is in test/e2e/chromium.test.ts.

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

interface SetCookie {
  name: string;
  attributes: Map<string, string>;
}

function parseSetCookie(line: string): SetCookie {
  const [pair = '', ...rest] = line.split(';');
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const [key = '', ...value] = part.trim().split('=');
    attributes.set(key.toLowerCase(), value.join('='));
  }
  return { name: pair.slice(0, pair.indexOf('=')).trim(), attributes };
}

function cspDirectives(response: Response): Map<string, string[]> {
  const header = response.headers.get('content-security-policy');
  assert.ok(header, 'a Content-Security-Policy header');
  const directives = new Map<string, string[]>();
  for (const directive of header.split(';')) {
    const [name, ...values] = directive.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  return directives;
}

describe('hosted pages: cookies, security headers, CORS', () => {
  let server: TestServer;
  const pages = new Map<string, { response: Response; html: string }>();

  async function capture(name: string, response: Response): Promise<void> {
    pages.set(name, { response, html: await response.text() });
  }

  before(async () => {
    server = await startTestServer();
    const signInUrl = `${server.baseUrl}/sign-in`;
    const jar = new CookieJar();
    const page = await openSignInPage(authorizeUrl(server, defaultAuthorizeParams(server, makePkce())), jar);
    pages.set('sign-in page', page);
    await capture(
      'failed sign-in page',
      await postForm(
        signInUrl,
        { ...page.fields, username: server.user.login, password: 'wrong password 1' },
        jar,
      ),
    );
    await capture(
      'CSRF refusal page',
      await postForm(signInUrl, { transaction_id: 'x', username: 'u', password: 'p' }, jar),
    );
    await capture(
      'expired sign-in page',
      await postForm(
        signInUrl,
        { ...page.fields, transaction_id: 'no-such-transaction', username: 'u', password: 'p' },
        jar,
      ),
    );
    await capture(
      'authorize error page',
      await get(
        authorizeUrl(server, {
          ...defaultAuthorizeParams(server, makePkce()),
          client_id: server.webConf.client.clientId,
          redirect_uri: 'https://evil.example/cb',
        }),
      ),
    );
    const formPostJar = new CookieJar();
    const formPost = await openSignInPage(
      authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), { response_mode: 'form_post' })),
      formPostJar,
    );
    await capture(
      'form_post page',
      await postForm(
        signInUrl,
        { ...formPost.fields, username: server.user.login, password: TEST_PASSWORD },
        formPostJar,
      ),
    );
    await capture('landing page', await get(`${server.baseUrl}/`));
  });
  after(async () => server.close());

  it('LG-07 browser, CSRF and session cookies: __Host-, Secure, HttpOnly, Path=/, no Domain, SameSite None/Lax/Strict', async () => {
    const jar = new CookieJar();
    const page = await openSignInPage(authorizeUrl(server, defaultAuthorizeParams(server, makePkce())), jar);
    const signedIn = await postForm(
      `${server.baseUrl}/sign-in`,
      { ...page.fields, username: server.user.login, password: TEST_PASSWORD },
      jar,
    );
    assert.equal(signedIn.status, 303);
    const cookies = new Map<string, SetCookie>();
    for (const line of [...page.response.headers.getSetCookie(), ...signedIn.headers.getSetCookie()]) {
      const cookie = parseSetCookie(line);
      cookies.set(cookie.name, cookie);
    }
    const expected: Array<[string, string]> = [
      // The SSO cookie is SameSite=None under https (LATCHKEY_SESSION_COOKIE_SAMESITE=auto): an app's hidden
      // iframe on another site renews with prompt=none (issue 12 §1); CSRF rests on the Strict CSRF cookie.
      ['__Host-latchkey-sid', 'none'],
      ['__Host-latchkey-browser', 'lax'],
      ['__Host-latchkey-csrf', 'strict'],
    ];
    for (const [name, sameSite] of expected) {
      const cookie = cookies.get(name);
      assert.ok(cookie, `${name} is set; got ${[...cookies.keys()].join(', ')}`);
      assert.ok(cookie.attributes.has('secure'), `${name} Secure`);
      assert.ok(cookie.attributes.has('httponly'), `${name} HttpOnly`);
      assert.equal(cookie.attributes.get('path'), '/', `${name} Path=/`);
      assert.equal(cookie.attributes.has('domain'), false, `${name} has no Domain`);
      assert.equal(cookie.attributes.get('samesite')?.toLowerCase(), sameSite, `${name} SameSite`);
    }
    for (const [name, cookie] of cookies) {
      assert.ok(name.startsWith('__Host-'), `${name} has the __Host- prefix`);
      assert.ok(cookie.attributes.has('httponly'), `no cookie readable by JavaScript: ${name}`);
    }
  });

  const pageNames = [
    'sign-in page',
    'failed sign-in page',
    'CSRF refusal page',
    'expired sign-in page',
    'authorize error page',
    'form_post page',
    'landing page',
  ];
  for (const name of pageNames) {
    it(`LG-08 LG-09 ${name}: CSP, framing, HSTS, nosniff, referrer, COOP, no-store`, () => {
      const page = pages.get(name);
      assert.ok(page, `${name} was captured`);
      const { response, html } = page;
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      const csp = cspDirectives(response);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
      assert.deepEqual(csp.get('object-src'), ["'none'"]);
      assert.deepEqual(csp.get('base-uri'), ["'none'"]);
      const scriptSrc = csp.get('script-src') ?? csp.get('default-src');
      assert.ok(scriptSrc, 'script-src or default-src');
      const nonces = scriptSrc.filter((source) => /^'nonce-[A-Za-z0-9+/=_-]{16,}'$/.test(source));
      assert.ok(
        (scriptSrc.length === 1 && scriptSrc[0] === "'none'") ||
          (nonces.length === 1 && scriptSrc.length === 1),
        `script-src is 'none' or one nonce: ${scriptSrc.join(' ')}`,
      );
      // Every script on the page carries the CSP nonce; without a nonce there is no script at all.
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      const nonce = nonces[0]?.slice("'nonce-".length, -1);
      for (const script of scripts) assert.ok(nonce && script.includes(`nonce="${nonce}"`), script);
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      const hsts = response.headers.get('strict-transport-security') ?? '';
      assert.ok(Number(/max-age=(\d+)/.exec(hsts)?.[1]) >= 31536000, hsts);
      assert.match(hsts, /includeSubDomains/i);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
      assert.match(response.headers.get('cache-control') ?? '', /\bno-store\b/);
    });
  }

  it('LG-09 the form_post page uses a fresh nonce per response', async () => {
    const first = pages.get('form_post page');
    assert.ok(first);
    assert.equal(first.response.status, 200);
    const jar = new CookieJar();
    const page = await openSignInPage(
      authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), { response_mode: 'form_post' })),
      jar,
    );
    const second = await postForm(
      `${server.baseUrl}/sign-in`,
      { ...page.fields, username: server.user.login, password: TEST_PASSWORD },
      jar,
    );
    await second.body?.cancel();
    const nonceOf = (response: Response) => cspDirectives(response).get('script-src')?.[0];
    assert.match(nonceOf(first.response) ?? '', /^'nonce-/);
    assert.notEqual(nonceOf(second), nonceOf(first.response));
  });

  describe('LG-09 no CORS on /authorize or /sign-in for Origin https://evil.example', () => {
    const evil = 'https://evil.example';
    const requests: Array<[string, () => Promise<Response>]> = [
      [
        'GET /authorize',
        () =>
          fetch(authorizeUrl(server, defaultAuthorizeParams(server, makePkce())), {
            headers: { origin: evil },
            redirect: 'manual',
          }),
      ],
      [
        'POST /authorize',
        () =>
          fetch(server.url('/v1/authorize'), {
            method: 'POST',
            headers: { origin: evil, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(defaultAuthorizeParams(server, makePkce())),
            redirect: 'manual',
          }),
      ],
      [
        'OPTIONS /authorize',
        () =>
          fetch(server.url('/v1/authorize'), {
            method: 'OPTIONS',
            headers: { origin: evil, 'access-control-request-method': 'GET' },
          }),
      ],
      [
        'OPTIONS /sign-in',
        () =>
          fetch(`${server.baseUrl}/sign-in`, {
            method: 'OPTIONS',
            headers: { origin: evil, 'access-control-request-method': 'POST' },
          }),
      ],
      [
        'POST /token (origin not among the client redirect URIs)',
        () =>
          fetch(server.url('/v1/token'), {
            method: 'POST',
            headers: { origin: evil, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              grant_type: 'authorization_code',
              client_id: server.spaPub.client.clientId,
              code: 'x',
              code_verifier: 'y'.repeat(43),
              redirect_uri: 'http://localhost:8080/callback',
            }),
          }),
      ],
    ];
    for (const [name, send] of requests) {
      it(`LG-09 ${name}`, async () => {
        const response = await send();
        await response.body?.cancel();
        assert.equal(response.headers.get('access-control-allow-origin'), null);
        assert.equal(response.headers.get('access-control-allow-credentials'), null);
      });
    }
  });
});
