// Issue 12, the hosted sign-in page in Chromium: the card is centred, the app's name and logo are shown,
// the show-password control works with JavaScript and the page still signs in without it, and "Forgot
// password?" says what to do. Screenshots (desktop and 390 px, with and without script) go to
// test-output/screenshots/sign-in-*.png for review.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { updateApp } from '../../src/services/apps.ts';
import { defaultAuthorizeParams, makePkce } from '../fixtures/browser-flow.ts';
import { TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import { type CallbackServer, chromiumSkipReason, SCREENSHOT_DIR, startBrowserSuite } from './browser.ts';

const LOGO = 'https://cdn.example.com/native-pub.png';
// A 2×2 PNG, answered by Playwright for the logo URL (the test machine has no network).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR42mNk+M9Qz0AEYBxVSF+FAP5FDvcfRYWgAAAAAElFTkSuQmCC',
  'base64',
);

describe('hosted sign-in page in Chromium', { skip: chromiumSkipReason(), timeout: 120_000 }, () => {
  let server: TestServer;
  let publicUrl: string;
  let browser: Browser;
  let callback: CallbackServer;

  before(async () => {
    ({ publicUrl, server, callback, browser } = await startBrowserSuite());
    await updateApp(server.deps, server.nativePub.client.clientId, { logoUri: LOGO });
  });
  after(async () => {
    await browser?.close();
    await callback?.close();
    await server?.close();
  });

  async function open(options: { javaScriptEnabled: boolean; width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({
      javaScriptEnabled: options.javaScriptEnabled,
      viewport: { width: options.width, height: options.height },
    });
    await context.route(LOGO, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PNG }));
    const page = await context.newPage();
    const params = defaultAuthorizeParams(server, makePkce(), {
      redirect_uri: `http://127.0.0.1:${callback.port}/callback`,
    });
    await page.goto(`${publicUrl}/oauth2/default/v1/authorize?${new URLSearchParams(params)}`);
    return page;
  }

  const shot = (page: Page, name: string): Promise<Buffer> =>
    page.screenshot({ path: join(SCREENSHOT_DIR, `sign-in-${name}.png`), fullPage: true });

  for (const [label, width, height] of [
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ] as const) {
    it(`${label}: centred card with the app's name and logo; Show/Hide password; Forgot password?`, async () => {
      const page = await open({ javaScriptEnabled: true, width, height });
      await shot(page, label);
      const card = await page.locator('main.card').boundingBox();
      assert.ok(card);
      assert.ok(Math.abs(card.x + card.width / 2 - width / 2) <= 2, 'centred horizontally');
      if (card.height < height) {
        const middle = card.y + card.height / 2;
        assert.ok(
          Math.abs(middle - height / 2) <= height * 0.15,
          `centred vertically (${middle} of ${height})`,
        );
      }
      assert.match((await page.locator('.subtitle').textContent()) ?? '', /to continue to Native Pub/);
      const logo = page.locator('img.app-logo');
      assert.equal(await logo.getAttribute('alt'), 'Native Pub logo');
      assert.ok(
        (await logo.evaluate((img: HTMLImageElement) => img.naturalWidth)) > 0,
        'the logo loaded (CSP allows it)',
      );
      assert.equal(
        await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
        0,
        'no sideways scrolling',
      );

      const toggle = page.getByRole('button', { name: 'Show password' });
      await page.fill('#password', TEST_PASSWORD);
      await toggle.click();
      assert.equal(await page.locator('#password').getAttribute('type'), 'text');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      assert.equal((await toggle.textContent())?.trim(), 'Hide');
      await shot(page, `${label}-password-shown`);
      await toggle.click();
      assert.equal(await page.locator('#password').getAttribute('type'), 'password');

      await page.getByText('Forgot password?').click();
      assert.match(
        (await page.locator('.forgot p').textContent()) ?? '',
        /Ask your administrator.*latchkey users set-password/,
      );
      await shot(page, `${label}-forgot`);
      await page.context().close();
    });
  }

  it('without JavaScript: no Show button, Forgot password? still opens, and sign-in works', async () => {
    const page = await open({ javaScriptEnabled: false, width: 390, height: 844 });
    assert.equal(await page.locator('#show-password').isVisible(), false);
    await page.getByText('Forgot password?').click();
    assert.ok(await page.locator('.forgot p').isVisible());
    await shot(page, 'no-script');
    await page.fill('#username', server.user.login);
    await page.fill('#password', TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const arrived = await callback.next();
    assert.ok(arrived.searchParams.get('code'), arrived.href);
    await page.context().close();
  });
});
