// SECURITY-MATRIX K: LG-11 (XSS and injection on hosted pages). Every user- or client-controlled value that
// reaches a page is HTML-escaped, template syntax stays text, and SQL metacharacters only fail sign-in.
// (The CSP that would block an inline script anyway is asserted in hosted-pages-headers.test.ts.)

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/services/apps.ts';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  get,
  hiddenFields,
  makePkce,
  openSignInPage,
  postForm,
} from '../fixtures/browser-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';

const SCRIPT = '"><script>alert(1)</script>';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, sent literally
const PAYLOADS = [SCRIPT, "'><img src=x onerror=alert(1)>", '{{7*7}}', '${7*7}', "' OR '1'='1", "admin'--"];

/**
 * The page contains the payload only as escaped text, never as markup. The renderer escapes `&`, `<` and
 * `"` (enough in text and double-quoted attributes); `>` and `'` may stay literal.
 */
function assertEscaped(html: string, payload: string): void {
  assert.doesNotMatch(html, /<script>alert|<img src=x/i);
  if (/[<"&]/.test(payload)) assert.equal(html.includes(payload), false, `raw ${payload}`);
  const escaped = payload.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
  assert.ok(html.includes(escaped), `escaped ${escaped}`);
}

/** The value attribute of the username field, unescaped. */
function usernameValue(html: string): string | undefined {
  // Attribute by attribute, since a value may hold a literal `>`.
  const inputs = html.matchAll(/<input(?:\s+[\w-]+(?:="[^"]*")?)*\s*\/?>/g);
  const input = [...inputs].map((match) => match[0]).find((tag) => tag.includes('id="username"')) ?? '';
  return /\svalue="([^"]*)"/
    .exec(input)?.[1]
    ?.replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

describe('LG-11 hosted pages escape what they show', () => {
  let server: TestServer;
  let evilAppId: string;
  before(async () => {
    server = await startTestServer();
    const evil = await createApp(server.deps, {
      name: SCRIPT,
      applicationType: 'native',
      redirectUris: ['http://127.0.0.1/callback'],
    });
    evilAppId = evil.client.clientId;
  });
  after(async () => server.close());

  for (const payload of PAYLOADS) {
    it(`LG-11 login_hint ${payload}`, async () => {
      const url = authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), { login_hint: payload }));
      const { html } = await openSignInPage(url, new CookieJar());
      assertEscaped(html, payload);
      assert.equal(usernameValue(html), payload, 'shown exactly as sent, as text');
    });
  }

  for (const payload of PAYLOADS) {
    it(`LG-11 username ${payload}: escaped on the page, a generic failure`, async () => {
      const jar = new CookieJar();
      const { fields } = await openSignInPage(
        authorizeUrl(server, defaultAuthorizeParams(server, makePkce())),
        jar,
      );
      const response = await postForm(
        `${server.baseUrl}/sign-in`,
        { ...fields, username: payload, password: payload },
        jar,
      );
      const html = await response.text();
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('location'), null);
      assert.match(html, /Incorrect username or password\./);
      assertEscaped(html, payload);
      assert.equal(usernameValue(html), payload);
    });
  }

  it("LG-11 SQL metacharacters in the password of a real user fail generically (' OR '1'='1)", async () => {
    const jar = new CookieJar();
    const { fields } = await openSignInPage(
      authorizeUrl(server, defaultAuthorizeParams(server, makePkce())),
      jar,
    );
    for (const username of [server.user.login, `${server.user.login}' --`, "' OR 1=1 --"]) {
      const response = await postForm(
        `${server.baseUrl}/sign-in`,
        { ...fields, username, password: "' OR '1'='1" },
        jar,
      );
      assert.equal(response.status, 401, username);
      assert.match(await response.text(), /Incorrect username or password\./);
    }
    // The tables are intact: the real user still signs in.
    const ok = await postForm(
      `${server.baseUrl}/sign-in`,
      { ...fields, username: server.user.login, password: TEST_PASSWORD },
      jar,
    );
    assert.equal(ok.status, 303);
  });

  it('LG-11 client name on the sign-in page', async () => {
    const url = authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), { client_id: evilAppId }));
    const { html } = await openSignInPage(url, new CookieJar());
    assertEscaped(html, SCRIPT);
  });

  it('LG-11 client name and received redirect_uri on the error page', async () => {
    const redirectUri = `http://127.0.0.1/callback/${SCRIPT}`;
    const response = await get(
      authorizeUrl(
        server,
        defaultAuthorizeParams(server, makePkce(), { client_id: evilAppId, redirect_uri: redirectUri }),
      ),
    );
    const html = await response.text();
    assert.equal(response.status, 400);
    assertEscaped(html, SCRIPT);
    assertEscaped(html, redirectUri);
  });

  for (const payload of PAYLOADS) {
    it(`LG-11 error page for client_id ${payload}`, async () => {
      const response = await get(
        authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), { client_id: payload })),
      );
      const html = await response.text();
      assert.equal(response.status, 400);
      assert.doesNotMatch(html, /<script>alert|<img src=x/i);
      if (/[<"]/.test(payload)) assert.equal(html.includes(payload), false);
    });
  }

  for (const payload of PAYLOADS) {
    it(`LG-11 state ${payload} on the form_post page`, async () => {
      const jar = new CookieJar();
      const url = authorizeUrl(
        server,
        defaultAuthorizeParams(server, makePkce(), { state: payload, response_mode: 'form_post' }),
      );
      const { fields } = await openSignInPage(url, jar);
      const response = await postForm(
        `${server.baseUrl}/sign-in`,
        { ...fields, username: server.user.login, password: TEST_PASSWORD },
        jar,
      );
      const html = await response.text();
      assert.equal(response.status, 200);
      assertEscaped(html, payload);
      assert.equal(hiddenFields(html)['state'], payload, 'the state goes back byte for byte');
    });
  }

  it('LG-11 ui_locales, claims_locales and acr_values are never echoed as markup', async () => {
    const url = authorizeUrl(
      server,
      defaultAuthorizeParams(server, makePkce(), {
        ui_locales: SCRIPT,
        claims_locales: SCRIPT,
        acr_values: SCRIPT,
      }),
    );
    const { html } = await openSignInPage(url, new CookieJar());
    assert.equal(html.includes(SCRIPT), false);
    assert.doesNotMatch(html, /<script>alert/);
  });
});
