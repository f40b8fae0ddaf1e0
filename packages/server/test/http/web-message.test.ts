// /v1/authorize with response_mode=okta_post_message and web_message over raw HTTP (issue 12 §1): the page
// (its target origin, frame-ancestors, message, script), the prompt=none errors sent the same way, and the
// cases that never get the page (WM-01, WM-02, WM-03). The browser side is in test/e2e/web-message.test.ts.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/services/apps.ts';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  get,
  makePkce,
  openSignInPage,
  type Pkce,
  postForm,
  responseParams,
} from '../fixtures/browser-flow.ts';
import { signInWithTokens } from '../fixtures/session-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import { expectTokens, redeemCode } from '../fixtures/token-assertions.ts';

const APP_ORIGIN = 'http://127.0.0.1:5555';
const REDIRECT_URI = `${APP_ORIGIN}/callback`;

interface MessagePage {
  response: Response;
  html: string;
  targetOrigin: string;
  data: Record<string, unknown>;
}

function attribute(html: string, name: string): string {
  const value = new RegExp(`${name}="([^"]*)"`).exec(html)?.[1];
  assert.ok(value !== undefined, `the page has ${name}`);
  return value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&');
}

async function readMessagePage(response: Response): Promise<MessagePage> {
  const html = await response.text();
  assert.equal(response.status, 200, html);
  const targetOrigin = attribute(html, 'data-target-origin');
  const data = JSON.parse(attribute(html, 'data-message')) as Record<string, unknown>;
  return { response, html, targetOrigin, data };
}

function csp(response: Response): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const directive of (response.headers.get('content-security-policy') ?? '').split(';')) {
    const [name, ...values] = directive.trim().split(/\s+/);
    if (name) directives.set(name, values);
  }
  return directives;
}

describe('/v1/authorize response_mode=okta_post_message and web_message', () => {
  let server: TestServer;
  let jar: CookieJar;

  before(async () => {
    server = await startTestServer();
    ({ jar } = await signInWithTokens(server));
  });
  after(async () => server.close());

  function url(pkce: Pkce, extra: Record<string, string>): string {
    return authorizeUrl(
      server,
      defaultAuthorizeParams(server, pkce, { redirect_uri: REDIRECT_URI, ...extra }),
    );
  }

  it('okta_post_message with a session: the code, state and iss, for the redirect URI origin; the code redeems', async () => {
    const pkce = makePkce();
    const page = await readMessagePage(
      await get(url(pkce, { prompt: 'none', response_mode: 'okta_post_message' }), jar),
    );
    assert.equal(page.targetOrigin, APP_ORIGIN);
    assert.deepEqual(Object.keys(page.data), ['code', 'state', 'iss']);
    assert.equal(page.data['state'], 'state-123');
    assert.equal(page.data['iss'], server.issuer);
    const code = page.data['code'];
    assert.ok(typeof code === 'string' && code.length >= 43);
    await expectTokens(await redeemCode(server, { code, pkce, redirectUri: REDIRECT_URI }));
  });

  it('web_message: {type: authorization_response, response: {code, state, iss}}', async () => {
    const page = await readMessagePage(
      await get(url(makePkce(), { prompt: 'none', response_mode: 'web_message' }), jar),
    );
    assert.equal(page.targetOrigin, APP_ORIGIN);
    assert.equal(page.data['type'], 'authorization_response');
    const response = page.data['response'] as Record<string, unknown>;
    assert.deepEqual(Object.keys(response), ['code', 'state', 'iss']);
    assert.equal(response['iss'], server.issuer);
  });

  it('WM-02 framable by the app origin only: frame-ancestors <origin>, no X-Frame-Options; one nonce script', async () => {
    const page = await readMessagePage(
      await get(url(makePkce(), { prompt: 'none', response_mode: 'okta_post_message' }), jar),
    );
    const directives = csp(page.response);
    assert.deepEqual(directives.get('frame-ancestors'), [APP_ORIGIN]);
    assert.equal(page.response.headers.get('x-frame-options'), null);
    assert.equal(page.response.headers.get('cross-origin-opener-policy'), 'unsafe-none');
    assert.match(page.response.headers.get('cache-control') ?? '', /no-store/);
    assert.equal(page.response.headers.get('referrer-policy'), 'no-referrer');
    const scriptSrc = directives.get('script-src') ?? [];
    assert.equal(scriptSrc.length, 1);
    const nonce = /^'nonce-(.+)'$/.exec(scriptSrc[0] ?? '')?.[1];
    assert.ok(nonce, scriptSrc.join(' '));
    const scripts = [...page.html.matchAll(/<script\b([^>]*)>([^<]*)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0]?.[1]?.includes(`nonce="${nonce}"`));
    // The target origin comes from the page's data, never "*".
    assert.match(
      scripts[0]?.[2] ?? '',
      /postMessage\(JSON\.parse\(e\.dataset\.message\),e\.dataset\.targetOrigin\)/,
    );
    assert.doesNotMatch(page.html, /'\*'|"\*"/);
  });

  it('login_required without a session goes to the app by message, as Okta does', async () => {
    const page = await readMessagePage(
      await get(url(makePkce(), { prompt: 'none', response_mode: 'okta_post_message' })),
    );
    assert.equal(page.targetOrigin, APP_ORIGIN);
    assert.deepEqual(page.data, {
      error: 'login_required',
      error_description: 'The client specified not to prompt, but the user is not logged in.',
      state: 'state-123',
      iss: server.issuer,
    });
    assert.deepEqual(csp(page.response).get('frame-ancestors'), [APP_ORIGIN]);
  });

  it('consent_required by message for an app that asks for consent', async () => {
    const { client } = await createApp(server.deps, {
      name: 'Consent SPA',
      applicationType: 'browser',
      redirectUris: ['https://spa.example.com/cb'],
      consentMethod: 'REQUIRED',
    });
    const page = await readMessagePage(
      await get(
        url(makePkce(), {
          client_id: client.clientId,
          redirect_uri: 'https://spa.example.com/cb',
          prompt: 'none',
          response_mode: 'web_message',
        }),
        jar,
      ),
    );
    assert.equal(page.targetOrigin, 'https://spa.example.com');
    const response = page.data['response'] as Record<string, unknown>;
    assert.equal(response['error'], 'consent_required');
    assert.equal(response['state'], 'state-123');
  });

  it('after the sign-in form: the message page (200), not a 303', async () => {
    const fresh = new CookieJar();
    const signInPage = await openSignInPage(url(makePkce(), { response_mode: 'okta_post_message' }), fresh);
    const page = await readMessagePage(
      await postForm(
        `${server.baseUrl}/sign-in`,
        { ...signInPage.fields, username: server.user.login, password: TEST_PASSWORD },
        fresh,
      ),
    );
    assert.equal(page.targetOrigin, APP_ORIGIN);
    assert.ok(typeof page.data['code'] === 'string');
  });

  it('WM-01 the target stays the redirect URI origin whatever Origin, Referer or web_message_uri say', async () => {
    const response = await fetch(
      url(makePkce(), {
        prompt: 'none',
        response_mode: 'web_message',
        web_message_uri: 'https://evil.example',
        web_message_target: 'evil',
      }),
      {
        redirect: 'manual',
        headers: { cookie: jar.header(), origin: 'https://evil.example', referer: 'https://evil.example/' },
      },
    );
    const page = await readMessagePage(response);
    assert.equal(page.targetOrigin, APP_ORIGIN);
    assert.deepEqual(csp(page.response).get('frame-ancestors'), [APP_ORIGIN]);
    assert.doesNotMatch(page.html, /evil\.example/);
  });

  it('WM-01 a state crafted to break out stays data: escaped, round-trips exactly, no second script', async () => {
    const state = `"></p><script>parent.postMessage(1,'*')</script>&quot;'`;
    const page = await readMessagePage(
      await get(url(makePkce(), { prompt: 'none', response_mode: 'okta_post_message', state }), jar),
    );
    assert.equal(page.data['state'], state);
    assert.equal([...page.html.matchAll(/<script\b/g)].length, 1);
  });

  for (const mode of ['okta_post_message', 'web_message']) {
    it(`WM-03 ${mode} with an unregistered redirect URI: the error page, framed by nobody, no message`, async () => {
      const response = await get(
        url(makePkce(), { prompt: 'none', response_mode: mode, redirect_uri: 'https://evil.example/cb' }),
        jar,
      );
      const html = await response.text();
      assert.equal(response.status, 400);
      assert.deepEqual(csp(response).get('frame-ancestors'), ["'none'"]);
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.doesNotMatch(html, /data-message|postMessage|evil\.example\/cb"/);
    });

    it(`WM-03 ${mode} with an unknown client: the error page, no message`, async () => {
      const response = await get(
        url(makePkce(), { prompt: 'none', response_mode: mode, client_id: '0oanosuchclient' }),
        jar,
      );
      const html = await response.text();
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.doesNotMatch(html, /data-message/);
    });

    it(`WM-01 ${mode} with a private-use scheme redirect URI: unsupported_response_mode by query`, async () => {
      const response = await get(
        url(makePkce(), {
          prompt: 'none',
          response_mode: mode,
          redirect_uri: 'com.example.app:/oauth2redirect',
        }),
        jar,
      );
      await response.body?.cancel();
      assert.equal(response.status, 302);
      const location = response.headers.get('location') ?? '';
      assert.ok(location.startsWith('com.example.app:/oauth2redirect?'), location);
      const params = responseParams(location);
      assert.equal(params.get('error'), 'unsupported_response_mode');
      assert.equal(params.get('state'), 'state-123');
      assert.equal(params.get('code'), null);
    });
  }
});
