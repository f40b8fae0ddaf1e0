// Headless Chromium through the rest of an app's life (issue 3): the consent page (Allow and Deny) and
// RP-initiated logout with and without an id_token_hint, each ending in a real HTTP redirect to the app.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type CreatedApp, createApp } from '../../src/services/apps.ts';
import { makePkce, type Pkce, redeem } from '../fixtures/browser-flow.ts';
import { TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import { type CallbackServer, chromiumSkipReason, SCREENSHOT_DIR, startBrowserSuite } from './browser.ts';

describe('Chromium: consent and logout', { skip: chromiumSkipReason(), timeout: 180_000 }, () => {
  let server: TestServer;
  let publicUrl: string;
  let browser: Browser;
  let callback: CallbackServer;
  let app: CreatedApp;
  let context: BrowserContext;
  let page: Page;
  let redirectUri: string;

  before(async () => {
    ({ publicUrl, server, callback, browser } = await startBrowserSuite());
    redirectUri = `http://127.0.0.1:${callback.port}/callback`;
    app = await createApp(server.deps, {
      name: 'Photo Book',
      applicationType: 'browser',
      redirectUris: [redirectUri],
      postLogoutRedirectUris: [redirectUri],
      consentMethod: 'REQUIRED',
    });
    context = await browser.newContext();
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await callback?.close();
    await server?.close();
  });

  function authorizeUrl(pkce: Pkce, extra: Record<string, string> = {}): string {
    const params = new URLSearchParams({
      client_id: app.client.clientId,
      response_type: 'code',
      scope: 'openid profile email',
      redirect_uri: redirectUri,
      state: 'st',
      code_challenge_method: 'S256',
      code_challenge: pkce.challenge,
      ...extra,
    });
    return `${publicUrl}/oauth2/default/v1/authorize?${params}`;
  }

  async function tokensFor(code: string, pkce: Pkce): Promise<{ id_token: string }> {
    const response = await redeem(server, {
      grant_type: 'authorization_code',
      client_id: app.client.clientId,
      redirect_uri: redirectUri,
      code,
      code_verifier: pkce.verifier,
    });
    assert.equal(response.status, 200);
    return response.json();
  }

  it('consent page: sign in, the scopes in plain words, Allow returns a code', async () => {
    const pkce = makePkce();
    await page.goto(authorizeUrl(pkce));
    await page.fill('#username', server.user.login);
    await page.fill('#password', TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    const text = (await page.textContent('main')) ?? (await page.textContent('body')) ?? '';
    assert.match(text, /Photo Book/);
    assert.match(text, /See your email address/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'consent.png'), fullPage: true });
    await page.getByRole('button', { name: 'Allow' }).click();
    const arrived = await callback.next();
    assert.equal(arrived.searchParams.get('state'), 'st');
    assert.equal(arrived.searchParams.get('iss'), server.issuer);
    await tokensFor(arrived.searchParams.get('code') ?? '', pkce);
  });

  it('consent page: prompt=consent asks again, Deny returns access_denied', async () => {
    await page.goto(authorizeUrl(makePkce(), { prompt: 'consent' }));
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    await page.getByRole('button', { name: 'Deny' }).click();
    const arrived = await callback.next();
    assert.equal(arrived.searchParams.get('error'), 'access_denied');
    assert.equal(arrived.searchParams.get('code'), null);
  });

  it('LO-01 logout with an id_token_hint: straight back to the app with state, and the session is gone', async () => {
    const pkce = makePkce();
    await page.goto(authorizeUrl(pkce));
    const arrived = await callback.next();
    const { id_token } = await tokensFor(arrived.searchParams.get('code') ?? '', pkce);
    const logout = new URLSearchParams({
      id_token_hint: id_token,
      post_logout_redirect_uri: redirectUri,
      state: 'bye',
    });
    await page.goto(`${publicUrl}/oauth2/default/v1/logout?${logout}`);
    const back = await callback.next();
    assert.equal(back.search, '?state=bye');
    await page.goto(authorizeUrl(makePkce(), { prompt: 'none' }));
    assert.equal((await callback.next()).searchParams.get('error'), 'login_required');
  });

  it('LO-04 logout without a hint asks first; confirming signs out and returns to the app', async () => {
    const pkce = makePkce();
    await page.goto(authorizeUrl(pkce));
    await page.fill('#username', server.user.login);
    await page.fill('#password', TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The consent given in the first test is remembered for this browser app.
    await callback.next();
    const logout = new URLSearchParams({
      client_id: app.client.clientId,
      post_logout_redirect_uri: redirectUri,
      state: 'x',
    });
    await page.goto(`${publicUrl}/oauth2/default/v1/logout?${logout}`);
    await page.getByRole('heading', { name: 'Sign out?' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'logout-confirm.png'), fullPage: true });
    const before = callback.received.length;
    assert.equal(callback.received.length, before, 'no redirect before the user confirms');
    await page.locator('button[value="sign-out"]').click();
    assert.equal((await callback.next()).search, '?state=x');
    await page.goto(authorizeUrl(makePkce(), { prompt: 'none' }));
    assert.equal((await callback.next()).searchParams.get('error'), 'login_required');
  });
});
