// Headless Chromium signs in on the real hosted page (ARCHITECTURE "Tests": e2e). The server's public URL
// is http://localhost:<port>, so the browser's cookies and the issuer agree. Covers the loopback and
// private-use-scheme redirects (RFC 8252 §7.1, §7.3; OKTA-COMPAT §4: an HTTP 303, never script), sign-in
// without JavaScript, the generic error, and in a real browser LG-08 (no framing) and LG-11 (no script).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../src/services/apps.ts';
import { defaultAuthorizeParams, makePkce, type Pkce, redeem } from '../fixtures/browser-flow.ts';
import { TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import {
  type CallbackServer,
  chromiumSkipReason,
  SCREENSHOT_DIR,
  startBrowserSuite,
  startSmallServer,
} from './browser.ts';

const GENERIC_FAILURE = 'Incorrect username or password.';

describe('Chromium end to end', { skip: chromiumSkipReason(), timeout: 180_000 }, () => {
  let server: TestServer;
  let publicUrl: string;
  let browser: Browser;
  let callback: CallbackServer;

  before(async () => {
    ({ publicUrl, server, callback, browser } = await startBrowserSuite());
  });
  after(async () => {
    await browser?.close();
    await callback?.close();
    await server?.close();
  });

  async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext(options);
    return context.newPage();
  }

  function authorizeUrl(pkce: Pkce, extra: Record<string, string> = {}): string {
    const params = defaultAuthorizeParams(server, pkce, {
      redirect_uri: `http://127.0.0.1:${callback.port}/callback`,
      ...extra,
    });
    return `${publicUrl}/oauth2/default/v1/authorize?${new URLSearchParams(params)}`;
  }

  async function submit(page: Page, username: string | undefined, password: string): Promise<void> {
    if (username !== undefined) await page.fill('#username', username);
    await page.fill('#password', password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function redeemCode(code: string, pkce: Pkce, redirectUri: string): Promise<Response> {
    return redeem(server, {
      grant_type: 'authorization_code',
      client_id: server.nativePub.client.clientId,
      redirect_uri: redirectUri,
      code,
      code_verifier: pkce.verifier,
    });
  }

  it('RU-06 loopback redirect: sign in on the real page, the app gets code, state and iss; SSO skips the page next time', async () => {
    const page = await newPage();
    const pkce = makePkce();
    await page.goto(authorizeUrl(pkce, { state: 'loopback-1' }));
    assert.match((await page.locator('.subtitle').textContent()) ?? '', /to continue to Native Pub/);
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'username',
      'the username has the focus',
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'sign-in.png'), fullPage: true });

    const arrived = callback.next();
    await submit(page, server.user.login, TEST_PASSWORD);
    const first = await arrived;
    assert.equal(first.pathname, '/callback');
    assert.equal(first.searchParams.get('state'), 'loopback-1');
    assert.equal(first.searchParams.get('iss'), server.issuer);
    const code = first.searchParams.get('code');
    assert.ok(code);
    const tokens = await redeemCode(code, pkce, `http://127.0.0.1:${callback.port}/callback`);
    const body = await tokens.json();
    assert.equal(tokens.status, 200, JSON.stringify(body));
    assert.ok(body.access_token && body.id_token);

    // Same browser, second request: the SSO session answers with a redirect, no page is rendered.
    const seen: Array<{ url: string; status: number }> = [];
    page.on('response', (response) => seen.push({ url: response.url(), status: response.status() }));
    const again = callback.next();
    await page.goto(authorizeUrl(makePkce(), { state: 'loopback-2' }));
    const second = await again;
    assert.equal(second.searchParams.get('state'), 'loopback-2');
    assert.ok(second.searchParams.get('code'));
    const fromAuthorize = seen.filter((entry) =>
      entry.url.startsWith(`${publicUrl}/oauth2/default/v1/authorize`),
    );
    assert.deepEqual(
      fromAuthorize.map((entry) => entry.status),
      [302],
      'one redirect, no sign-in page',
    );
    assert.equal(new URL(page.url()).origin, callback.origin);
  });

  it('AC-07 private-use scheme: the sign-in POST answers 303 with the code in Location, not a script navigation', async () => {
    const page = await newPage();
    const pkce = makePkce();
    await page.goto(
      authorizeUrl(pkce, {
        redirect_uri: 'com.example.app:/oauth2redirect',
        state: 'custom-scheme',
        login_hint: server.user.login,
      }),
    );
    assert.equal(await page.inputValue('#username'), server.user.login, 'pre-filled from login_hint');
    const signInResponse = page.waitForResponse(
      (response) => response.url() === `${publicUrl}/sign-in` && response.request().method() === 'POST',
    );
    await submit(page, undefined, TEST_PASSWORD);
    const response = await signInResponse;
    assert.equal(response.status(), 303);
    const location = response.headers()['location'] ?? '';
    assert.ok(location.startsWith('com.example.app:/oauth2redirect?code='), location);
    const params = new URLSearchParams(location.slice(location.indexOf('?') + 1));
    assert.deepEqual([...params.keys()].sort(), ['code', 'iss', 'state']);
    assert.equal(params.get('state'), 'custom-scheme');
    assert.equal(params.get('iss'), server.issuer);
    const tokens = await redeemCode(params.get('code') ?? '', pkce, 'com.example.app:/oauth2redirect');
    assert.equal(tokens.status, 200);
  });

  it('sign-in works with JavaScript disabled', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    const pkce = makePkce();
    await page.goto(authorizeUrl(pkce, { state: 'no-js' }));
    const arrived = callback.next();
    await submit(page, server.user.login, TEST_PASSWORD);
    const url = await arrived;
    assert.equal(url.searchParams.get('state'), 'no-js');
    const tokens = await redeemCode(
      url.searchParams.get('code') ?? '',
      pkce,
      `http://127.0.0.1:${callback.port}/callback`,
    );
    assert.equal(tokens.status, 200);
  });

  it('a wrong password shows the generic error on the page and keeps the username', async () => {
    const page = await newPage();
    await page.goto(authorizeUrl(makePkce()));
    await submit(page, server.user.login, 'not the password 1');
    await page.waitForSelector('[role="alert"]');
    assert.equal((await page.locator('[role="alert"]').textContent())?.trim(), GENERIC_FAILURE);
    assert.equal(await page.inputValue('#username'), server.user.login);
    assert.equal(await page.inputValue('#password'), '', 'the password is never sent back');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'sign-in-error.png'), fullPage: true });
    const before = callback.received.length;
    await submit(page, undefined, TEST_PASSWORD);
    await page.waitForURL(`${callback.origin}/**`);
    assert.equal(callback.received.length, before + 1, 'the retry on the same page signs in');
    await callback.next();
  });

  it('LG-08 a page from another origin cannot frame the sign-in page', async () => {
    const target = authorizeUrl(makePkce());
    const attacker = await startSmallServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        `<!doctype html><title>Win a prize</title><iframe id="victim" src="${target.replaceAll('&', '&amp;')}"></iframe>`,
      );
    });
    try {
      const page = await newPage();
      const framed: number[] = [];
      page.on('response', (response) => {
        if (response.url().startsWith(`${publicUrl}/oauth2/default/v1/authorize`))
          framed.push(response.status());
      });
      await page.goto(`${attacker.origin}/`);
      assert.deepEqual(framed, [200], 'the server did answer the framed request');
      const frames = page.frames().filter((frame) => frame !== page.mainFrame());
      assert.equal(frames.length, 1);
      const frame = frames[0]!;
      assert.equal(frame.url().startsWith(publicUrl), false, `frame shows ${frame.url()}`);
      assert.equal(await frame.locator('input[name="password"]').count(), 0, 'no sign-in form in the frame');
      assert.equal(await frame.locator('form[action="/sign-in"]').count(), 0);
    } finally {
      await attacker.close();
    }
  });

  it('LG-11 a hostile app name and login_hint do not run script in the browser', async () => {
    const name = '"><script>alert(1)</script>';
    const app = await createApp(server.deps, {
      name,
      applicationType: 'native',
      redirectUris: ['http://127.0.0.1/callback'],
    });
    const page = await newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    const hint = '"><img src=x onerror=alert(2)>';
    await page.goto(authorizeUrl(makePkce(), { client_id: app.client.clientId, login_hint: hint }));
    assert.equal(await page.locator('.subtitle strong').textContent(), name, 'the name is shown as text');
    assert.equal(await page.inputValue('#username'), hint);
    // Only the page's own show-password script (issue 12), allowed by this response's CSP nonce.
    assert.equal(await page.locator('script').count(), 1);
    assert.match((await page.locator('script').textContent()) ?? '', /getElementById\('show-password'\)/);
    assert.deepEqual(dialogs, []);
  });
});
