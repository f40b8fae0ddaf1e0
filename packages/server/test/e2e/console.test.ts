// The admin console in headless Chromium, the flow of issue 5: the first admin comes from the one-time setup
// link -> sign in to the console -> Add Application (Native) -> the Client ID read off the page -> a user
// made in the console runs the PKCE flow with it -> one flow fails on purpose (wrong redirect URI) -> both
// outcomes, with the reason, in the System Log. Screenshots of every console page go to
// test-output/screenshots/console-*.png for review. Also LG-08 for the console in a real browser.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bootstrapAdmin } from '../../src/accounts/bootstrap-admin.ts';
import { makePkce, redeem } from '../fixtures/browser-flow.ts';
import type { TestServer } from '../fixtures/test-server.ts';
import {
  type CallbackServer,
  chromiumSkipReason,
  SCREENSHOT_DIR,
  startBrowserSuite,
  startSmallServer,
} from './browser.ts';

const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'tangerine submarine orbit 42' };
const USER = { name: 'Bob Builder', email: 'bob@example.com', password: 'velvet lighthouse canyon 7' };
const APP_NAME = 'My Native App';
const WRONG_REDIRECT = 'http://127.0.0.1:5000/cb';

describe('admin console in Chromium', { skip: chromiumSkipReason(), timeout: 240_000 }, () => {
  let server: TestServer;
  let publicUrl: string;
  let browser: Browser;
  let callback: CallbackServer;
  let admin: BrowserContext;
  let page: Page;
  let setupUrl: string;
  let clientId: string;

  before(async () => {
    ({ publicUrl, server, callback, browser } = await startBrowserSuite());
    // What `latchkey serve` does at first start with no LATCHKEY_BOOTSTRAP_ADMIN_* set.
    const outcome = await bootstrapAdmin(server.deps, {});
    assert.equal(outcome.kind, 'setup-link');
    setupUrl = outcome.kind === 'setup-link' ? outcome.url : '';
    admin = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    await admin.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: publicUrl });
    admin.setDefaultTimeout(10_000);
    page = await admin.newPage();
  });
  after(async () => {
    await browser?.close();
    await callback?.close();
    await server?.close();
  });

  const shot = (name: string, target: Page = page): Promise<Buffer> =>
    target.screenshot({ path: join(SCREENSHOT_DIR, `console-${name}.png`), fullPage: true });

  it('bootstraps the first admin with the one-time setup link', async () => {
    assert.ok(setupUrl.startsWith(`${publicUrl}/console/setup?token=`), setupUrl);
    await page.goto(setupUrl);
    await shot('setup');
    await page.getByLabel('Full name').fill(ADMIN.name);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirm password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.waitForURL(`${publicUrl}/console/apps?done=welcome`);
    assert.match((await page.locator('.notice').textContent()) ?? '', /Welcome/);
    assert.equal((await page.locator('.who-name').textContent())?.trim(), ADMIN.name);
    // The link is used up.
    const again = await (await admin.newPage()).goto(setupUrl);
    assert.equal(again?.status(), 410);
  });

  it('signs out and signs in to the console', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${publicUrl}/console/sign-in?signed_out=1`);
    await page.goto(`${publicUrl}/console/users`);
    await page.waitForURL(/\/console\/sign-in\?next=/);
    await shot('sign-in');
    await page.getByLabel('Username or email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${publicUrl}/console/users`);
    const cookies = await admin.cookies(publicUrl);
    const session = cookies.find((cookie) => cookie.name === 'latchkey-admin');
    assert.ok(session, 'the console cookie (http: no __Host- prefix)');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
  });

  it('adds a Native application and shows its Client ID with a copy button', async () => {
    await page.getByRole('link', { name: 'Applications' }).click();
    await shot('apps');
    await page.getByRole('link', { name: 'Add application' }).click();
    await page.locator('.type-card', { hasText: 'Native' }).click();
    await shot('app-new-type');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(`${publicUrl}/console/apps/new/settings?type=native`);
    await page.getByLabel('App name').fill(APP_NAME);
    // A redirect URI rejected at registration: the reason shows next to the field.
    await page
      .getByLabel('Sign-in redirect URIs')
      .fill('com.example.app:/callback\nhttp://app.example.com/callback');
    await page.getByRole('checkbox', { name: /^Refresh Token/ }).check();
    await page.getByRole('button', { name: 'Done' }).click();
    const fieldError = page.locator('#redirect_uris-error');
    assert.match(
      (await fieldError.textContent()) ?? '',
      /http:\/\/app\.example\.com\/callback uses plain http, which is allowed only for loopback hosts/,
    );
    assert.equal(await page.getByLabel('Sign-in redirect URIs').getAttribute('aria-invalid'), 'true');
    await shot('app-new-settings-error');
    await page
      .getByLabel('Sign-in redirect URIs')
      .fill('com.example.app:/callback\nhttp://127.0.0.1/callback');
    await shot('app-new-settings');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.waitForURL(/\/console\/apps\/0oa[A-Za-z0-9]+\?done=app-created$/);
    clientId = await page.locator('#client-id').inputValue();
    assert.match(clientId, /^0oa[A-Za-z0-9]{17}$/);
    const copy = page.locator('button[data-copy="client-id"]');
    assert.equal(await copy.isVisible(), true, 'the script reveals the Copy button');
    await copy.click();
    await page.getByText('Copied').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), clientId);
    await shot('app-general');
    const client = await server.deps.store.clients.get(clientId);
    assert.deepEqual(client?.redirectUris, ['com.example.app:/callback', 'http://127.0.0.1/callback']);
    assert.deepEqual(client?.grantTypes, ['authorization_code', 'refresh_token']);
  });

  it('creates a user in the console', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: 'Add user' }).click();
    await page.getByLabel('Full name').fill(USER.name);
    await page.getByLabel('Email').fill(USER.email);
    await page.getByLabel('Password').fill(USER.password);
    await shot('user-new');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.waitForURL(/\/console\/users\/00u[A-Za-z0-9]+\?done=user-created$/);
    await shot('user-detail');
    await page.getByRole('link', { name: 'Users' }).first().click();
    await page.getByLabel('Search').fill('bob');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${publicUrl}/console/users?q=bob`);
    assert.equal(await page.locator('tbody tr').count(), 1);
    await page.goto(`${publicUrl}/console/users`);
    await shot('users');
  });

  function authorizeUrl(redirectUri: string, challenge: string, state: string): string {
    const params = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      scope: 'openid profile offline_access',
      redirect_uri: redirectUri,
      state,
      code_challenge_method: 'S256',
      code_challenge: challenge,
    });
    return `${publicUrl}/oauth2/default/v1/authorize?${params}`;
  }

  it('runs the PKCE flow with that Client ID and user, then fails one on purpose', async () => {
    const endUser = await browser.newContext();
    const signIn = await endUser.newPage();
    const pkce = makePkce();
    const redirectUri = `http://127.0.0.1:${callback.port}/callback`;
    await signIn.goto(authorizeUrl(redirectUri, pkce.challenge, 'console-flow'));
    assert.match((await signIn.locator('.subtitle').textContent()) ?? '', new RegExp(APP_NAME));
    const arrived = callback.next();
    await signIn.fill('#username', USER.email);
    await signIn.fill('#password', USER.password);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    const url = await arrived;
    assert.equal(url.searchParams.get('state'), 'console-flow');
    server.clock.advance(1);
    const tokens = await redeem(server, {
      grant_type: 'authorization_code',
      client_id: clientId,
      redirect_uri: redirectUri,
      code: url.searchParams.get('code') ?? '',
      code_verifier: pkce.verifier,
    });
    const body = await tokens.json();
    assert.equal(tokens.status, 200, JSON.stringify(body));
    assert.ok(body.access_token && body.id_token && body.refresh_token);

    // Events of one second are ordered by id; a second later, the failure is unambiguously the newest.
    server.clock.advance(1);
    const wrong = await signIn.goto(authorizeUrl(WRONG_REDIRECT, makePkce().challenge, 'wrong'));
    assert.equal(wrong?.status(), 400);
    await endUser.close();
  });

  it('finds both outcomes, with the reason, in the System Log', async () => {
    await page.getByRole('link', { name: 'System log' }).click();
    await page.getByLabel('Application').selectOption({ label: APP_NAME });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(new RegExp(`/console/log\\?app=${clientId}`));
    await shot('log');
    const entries = page.locator('.log-entry');
    const texts = await entries.allTextContents();
    const failure = texts.find((text) => text.includes('Authorization request refused'));
    assert.ok(failure, texts.join('\n'));
    assert.ok(
      failure.includes(
        `redirect_uri ${WRONG_REDIRECT} is not registered for ${APP_NAME}; registered: com.example.app:/callback, http://127.0.0.1/callback`,
      ),
      failure,
    );
    assert.ok(failure.includes('Failure'));
    assert.ok(texts.some((text) => text.includes('Tokens issued') && text.includes('Success')));
    assert.ok(texts.some((text) => text.includes('User signed in') && text.includes(USER.email)));
    assert.ok(
      texts.findIndex((text) => text.includes('Authorization request refused')) === 0,
      'newest first',
    );

    await page.getByLabel('Outcome').selectOption('FAILURE');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/outcome=FAILURE/);
    const failures = await page.locator('.log-entry').allTextContents();
    assert.ok(failures.length > 0 && failures.every((text) => text.includes('Failure')));
    await shot('log-failures');

    await page.goto(`${publicUrl}/console/apps/${clientId}/sign-ins`);
    const attempts = await page.locator('.log-entry').allTextContents();
    assert.ok(attempts.some((text) => text.includes(WRONG_REDIRECT)));
    assert.ok(attempts.some((text) => text.includes('Tokens issued')));
    await shot('app-sign-ins');
  });

  it('shows authorization servers and rotates a key after asking for the password', async () => {
    await page.getByRole('link', { name: 'Authorization servers' }).click();
    await shot('servers');
    await page.getByRole('link', { name: 'default', exact: true }).click();
    assert.equal(await page.getByLabel('Issuer').first().inputValue(), `${publicUrl}/oauth2/default`);
    await shot('server-settings');
    await page.getByRole('link', { name: 'Scopes' }).click();
    await page.getByLabel('Name', { exact: true }).fill('orders:read');
    await page.getByLabel('Display name').fill('Read your orders');
    await page.getByRole('button', { name: 'Add scope' }).click();
    await page.waitForURL(/\/scopes\?done=scope-added$/);
    await shot('server-scopes');
    await page.getByRole('link', { name: 'Claims' }).click();
    await shot('server-claims');
    await page.getByRole('link', { name: 'Signing keys' }).click();
    assert.equal(await page.locator('tbody .badge', { hasText: 'Active' }).count(), 1);
    await page.getByRole('link', { name: 'Rotate' }).click();
    await page.getByLabel('Your password').fill('not my password');
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.locator('#password-error').waitFor();
    await shot('key-rotate-confirm');
    await page.getByLabel('Your password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.waitForURL(/\/keys\?done=key-staged$/);
    assert.equal(await page.locator('tbody .badge', { hasText: 'Next' }).count(), 1);
    await shot('server-keys');
  });

  // Issue 12: every console page at 390 px (an iPhone 12-15): no sideways scrolling of the page, and every
  // navigation item reachable through the menu button (a <details>, so it works without script).
  it('is usable on a phone-sized screen: every page, no horizontal overflow, every nav item reachable', async () => {
    const phone = await admin.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    const user = await server.deps.store.users.getByLogin(USER.email);
    assert.ok(user);
    const pages: Array<[string, string]> = [
      ['apps', '/console/apps'],
      ['app-new-type', '/console/apps/new'],
      ['app-new-settings', '/console/apps/new/settings?type=web'],
      ['app-general', `/console/apps/${clientId}`],
      ['app-sign-ins', `/console/apps/${clientId}/sign-ins`],
      ['app-delete', `/console/apps/${clientId}/delete`],
      ['users', '/console/users'],
      ['user-new', '/console/users/new'],
      ['user-detail', `/console/users/${user.id}`],
      ['user-delete', `/console/users/${user.id}/delete`],
      ['servers', '/console/servers'],
      ['server-settings', '/console/servers/default'],
      ['server-scopes', '/console/servers/default/scopes'],
      ['server-claims', '/console/servers/default/claims'],
      ['server-keys', '/console/servers/default/keys'],
      ['key-rotate', '/console/servers/default/keys/rotate'],
      ['tokens', '/console/tokens'],
      ['log', '/console/log'],
    ];
    for (const [name, path] of pages) {
      const response = await phone.goto(`${publicUrl}${path}`);
      assert.equal(response?.status(), 200, path);
      const overflow = await phone.evaluate(() => ({
        document: document.documentElement.scrollWidth - window.innerWidth,
        body: document.body.scrollWidth - window.innerWidth,
      }));
      assert.deepEqual(overflow, { document: 0, body: 0 }, `${path}: no horizontal scrolling`);
      await shot(`${name}-mobile`, phone);
    }
    // The menu: closed at first, then every item is visible, inside the screen, and leads to its page.
    await phone.goto(`${publicUrl}/console/apps`);
    const menu = phone.getByRole('navigation', { name: 'Console menu' });
    assert.equal(await menu.getByRole('link').count(), 0, 'closed until asked');
    await phone.locator('.mobile-nav > summary').click();
    await shot('nav-open-mobile', phone);
    const labels = ['Applications', 'Users', 'Authorization servers', 'API tokens', 'System log'];
    for (const label of labels) {
      const link = menu.getByRole('link', { name: label });
      assert.ok(await link.isVisible(), label);
      const box = await link.boundingBox();
      assert.ok(
        box && box.x >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844,
        `${label} is on screen`,
      );
    }
    await menu.getByRole('link', { name: 'System log' }).click();
    await phone.waitForURL(`${publicUrl}/console/log`);
    await phone.close();
  });

  it('issue 12: a reload after creating a web app creates nothing and does not show the secret again', async () => {
    const before = (await server.deps.store.clients.list()).length;
    await page.goto(`${publicUrl}/console/apps/new/settings?type=web`);
    await page.getByLabel('App name').fill('Reload Web App');
    await page
      .getByLabel('Sign-in redirect URIs')
      .fill('https://app.example.com/authorization-code/callback');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.waitForURL(/\/console\/apps\/0oa\w+\?done=app-created$/);
    assert.ok((await page.locator('#client-secret').inputValue()).length >= 43, 'the secret, once');
    await page.reload();
    assert.equal(await page.locator('#client-secret').count(), 0, 'not shown again');
    assert.equal((await server.deps.store.clients.list()).length, before + 1, 'no second app');
  });

  it('LG-08 a page from another origin cannot frame the console', async () => {
    const attacker = await startSmallServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><title>Prize</title><iframe src="${publicUrl}/console/apps"></iframe>`);
    });
    try {
      const framed = await admin.newPage();
      await framed.goto(`${attacker.origin}/`);
      const frames = framed.frames().filter((frame) => frame !== framed.mainFrame());
      assert.equal(frames.length, 1);
      assert.equal(await frames[0]!.locator('form').count(), 0, 'no console form renders in the frame');
      await framed.close();
    } finally {
      await attacker.close();
    }
  });
});
