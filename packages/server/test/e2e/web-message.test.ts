// okta-auth-js renews tokens in a hidden iframe in real Chromium (issue 12 §1): `token.getWithoutPrompt()`
// and `token.renewTokens()` without refresh tokens load /authorize?prompt=none&response_mode=okta_post_message
// in an iframe and wait for the message. Also the browser side of WM-01 (the message never reaches another
// origin) and WM-02 (another origin cannot frame the page).
//
// The issuer is http://localhost:<port> and the app http://localhost:<other port>: one site (sites ignore
// ports), so the SSO cookie, SameSite=Lax under http (LATCHKEY_SESSION_COOKIE_SAMESITE=auto), goes with
// the iframe's request. An app on another site needs an https issuer, where the cookie is SameSite=None.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../src/services/apps.ts';
import { defaultAuthorizeParams, makePkce } from '../fixtures/browser-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import {
  allStarted,
  chromiumSkipReason,
  freePort,
  launchChromium,
  type SmallServer,
  startSmallServer,
} from './browser.ts';

const require = createRequire(import.meta.url);
const OKTA_AUTH_JS = readFileSync(
  join(dirname(require.resolve('@okta/okta-auth-js/package.json')), 'umd', 'default.js'),
  'utf8',
);

/** What the tests touch of okta-auth-js in the page (types only: evaluate() sends the code as text). */
interface BrowserTokens {
  accessToken: { accessToken: string };
  idToken: { idToken: string; claims: { sub: string } };
  refreshToken?: unknown;
}
type AppWindow = Window & {
  authClient: {
    token: {
      getWithRedirect(): Promise<void>;
      parseFromUrl(): Promise<{ tokens: BrowserTokens }>;
      getWithoutPrompt(): Promise<{ tokens: BrowserTokens }>;
      getWithPopup(options: object): Promise<{ tokens: BrowserTokens }>;
      renewTokens(): Promise<BrowserTokens>;
    };
    tokenManager: { setTokens(tokens: BrowserTokens): void; getTokensSync(): Partial<BrowserTokens> };
  };
  received: string[];
  popup: Window | null;
};

interface Renewed {
  accessToken: string;
  idToken: string;
  sub: unknown;
}

/** The app: okta-auth-js from the npm package, configured for Latchkey, on every path (/ and /callback). */
function appPage(config: Record<string, unknown>): string {
  return `<!doctype html><meta charset="utf-8"><title>App</title>
<script src="/okta-auth-js.js"></script>
<script>
  const Ctor = typeof OktaAuth === 'function' ? OktaAuth : OktaAuth.OktaAuth;
  window.authClient = new Ctor(${JSON.stringify(config)});
</script><p>App</p>`;
}

describe('okta-auth-js renews through a hidden iframe (okta_post_message)', {
  skip: chromiumSkipReason(),
  timeout: 180_000,
}, () => {
  let server: TestServer;
  let browser: Browser;
  let app: SmallServer;
  let appOrigin: string;
  let clientId: string;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    const port = await freePort();
    const publicUrl = `http://localhost:${port}`;
    let config: Record<string, unknown> = {};
    await allStarted([
      startTestServer({ publicUrl, env: { PORT: String(port), HOST: '127.0.0.1' } }).then((s) => {
        server = s;
      }),
      startSmallServer((request, response) => {
        if (request.url === '/okta-auth-js.js') {
          response.writeHead(200, { 'content-type': 'text/javascript' }).end(OKTA_AUTH_JS);
          return;
        }
        if (request.url === '/favicon.ico') {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(appPage(config));
      }).then((s) => {
        app = s;
      }),
      launchChromium().then((b) => {
        browser = b;
      }),
    ]);
    appOrigin = `http://localhost:${app.port}`;
    // A browser app without the refresh grant: renewal can only go through the iframe.
    const created = await createApp(server.deps, {
      name: 'React sample',
      applicationType: 'browser',
      redirectUris: [`${appOrigin}/callback`],
    });
    clientId = created.client.clientId;
    config = {
      issuer: server.issuer,
      clientId,
      redirectUri: `${appOrigin}/callback`,
      scopes: ['openid', 'profile', 'email'],
      pkce: true,
      tokenManager: { autoRenew: false },
    };
    context = await browser.newContext();
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await server?.close();
  });

  /** Signs in with getWithRedirect on the hosted page; the app keeps the tokens. */
  async function signInThroughTheApp(): Promise<Renewed> {
    await page.goto(`${appOrigin}/`);
    await page.evaluate(() => (window as unknown as AppWindow).authClient.token.getWithRedirect());
    await page.waitForSelector('#username');
    await page.fill('#username', server.user.login);
    await page.fill('#password', TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${appOrigin}/callback?**`);
    return page.evaluate(async () => {
      const client = (window as unknown as AppWindow).authClient;
      const { tokens } = await client.token.parseFromUrl();
      client.tokenManager.setTokens(tokens);
      return {
        accessToken: tokens.accessToken.accessToken,
        idToken: tokens.idToken.idToken,
        sub: tokens.idToken.claims.sub,
      };
    });
  }

  function authorizeRequests(): URL[] {
    const seen: URL[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${server.issuer}/v1/authorize`)) seen.push(new URL(request.url()));
    });
    return seen;
  }

  it('getWithoutPrompt() and renewTokens() get new tokens with the SSO session, no refresh token', async () => {
    const first = await signInThroughTheApp();
    const cookies = await context.cookies(server.issuer);
    const sso = cookies.find((cookie) => cookie.name === 'latchkey-sid');
    assert.ok(sso, 'the SSO cookie');
    assert.equal(
      sso.sameSite,
      'Lax',
      'Lax under http, and still sent: app and issuer are one site (localhost)',
    );
    const seen = authorizeRequests();
    server.clock.advance(60);
    const silent = await page.evaluate(async () => {
      const { tokens } = await (window as unknown as AppWindow).authClient.token.getWithoutPrompt();
      return {
        accessToken: tokens.accessToken.accessToken,
        idToken: tokens.idToken.idToken,
        sub: tokens.idToken.claims.sub,
      };
    });
    assert.equal(silent.sub, first.sub);
    assert.notEqual(silent.accessToken, first.accessToken);
    assert.notEqual(silent.idToken, first.idToken);
    const request = seen.at(-1);
    assert.ok(request, 'the iframe asked /authorize');
    assert.equal(request.searchParams.get('response_mode'), 'okta_post_message');
    assert.equal(request.searchParams.get('prompt'), 'none');

    server.clock.advance(60);
    const renewed = await page.evaluate(async () => {
      const client = (window as unknown as AppWindow).authClient;
      if (client.tokenManager.getTokensSync().refreshToken !== undefined) throw new Error('a refresh token');
      const tokens = await client.token.renewTokens();
      return {
        accessToken: tokens.accessToken.accessToken,
        idToken: tokens.idToken.idToken,
        sub: tokens.idToken.claims.sub,
      };
    });
    assert.equal(renewed.sub, first.sub);
    assert.notEqual(renewed.accessToken, silent.accessToken);
    assert.equal(seen.length, 2, 'renewTokens() went through the iframe too');
    assert.equal(seen[1]?.searchParams.get('response_mode'), 'okta_post_message');
    // The hidden iframe is removed once the message arrived.
    assert.equal(await page.locator('iframe').count(), 0);
  });

  it('without a session: login_required reaches okta-auth-js by message, as with Okta', async () => {
    await context.clearCookies();
    const outcome = await page.evaluate(async () => {
      try {
        await (window as unknown as AppWindow).authClient.token.getWithoutPrompt();
        return { ok: true };
      } catch (error) {
        const e = error as { name: string; errorCode: string; errorSummary: string };
        return { name: e.name, errorCode: e.errorCode, errorSummary: e.errorSummary };
      }
    });
    assert.deepEqual(outcome, {
      name: 'OAuthError',
      errorCode: 'login_required',
      errorSummary: 'The client specified not to prompt, but the user is not logged in.',
    });
  });

  describe('another origin', () => {
    let attacker: SmallServer;
    let attackerHtml = '';

    before(async () => {
      await signInThroughTheApp();
      attacker = await startSmallServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(attackerHtml);
      });
    });
    after(async () => attacker?.close());

    /** The app's own silent request, as okta-auth-js would send it. */
    function victimUrl(): string {
      const params = defaultAuthorizeParams(server, makePkce(), {
        client_id: clientId,
        redirect_uri: `${appOrigin}/callback`,
        scope: 'openid',
        prompt: 'none',
        response_mode: 'okta_post_message',
      });
      return `${server.issuer}/v1/authorize?${new URLSearchParams(params)}`;
    }

    const LISTENER =
      "<script>window.received=[];addEventListener('message',function(e){window.received.push(String(e.origin)+' '+JSON.stringify(e.data))});</script>";

    it('WM-02 a page from another origin cannot frame the message page', async () => {
      attackerHtml = `<!doctype html><title>Prize</title>${LISTENER}<iframe src="${victimUrl().replaceAll('&', '&amp;')}"></iframe>`;
      const attackerPage = await context.newPage();
      const answered: number[] = [];
      attackerPage.on('response', (response) => {
        if (response.url().startsWith(`${server.issuer}/v1/authorize`)) answered.push(response.status());
      });
      await attackerPage.goto(`${attacker.origin}/`);
      await attackerPage.waitForTimeout(1500);
      assert.deepEqual(answered, [200], 'the server answered the framed request');
      const frame = attackerPage.frames().find((f) => f !== attackerPage.mainFrame());
      assert.ok(frame);
      assert.equal(frame.url().startsWith(server.issuer), false, `the frame shows ${frame.url()}`);
      assert.equal(await frame.locator('#authorization-response').count(), 0);
      assert.deepEqual(await attackerPage.evaluate(() => (window as unknown as AppWindow).received), []);
      await attackerPage.close();
    });

    it('WM-01 a popup opened by another origin posts nothing that origin receives', async () => {
      attackerHtml = `<!doctype html><title>Prize</title>${LISTENER}`;
      const attackerPage = await context.newPage();
      await attackerPage.goto(`${attacker.origin}/`);
      const popupOpened = attackerPage.waitForEvent('popup');
      await attackerPage.evaluate((url) => {
        (window as unknown as AppWindow).popup = window.open(url, 'victim');
      }, victimUrl());
      const popup = await popupOpened;
      // The page loaded with a code for the app's origin (the user is signed in) and its script ran...
      await popup.waitForSelector('#authorization-response', { state: 'attached' });
      const message = JSON.parse(
        (await popup.locator('#authorization-response').getAttribute('data-message')) ?? '{}',
      ) as Record<string, unknown>;
      assert.equal(typeof message['code'], 'string');
      assert.equal(
        await popup.locator('#authorization-response').getAttribute('data-target-origin'),
        appOrigin,
      );
      // COOP unsafe-none on this page keeps the opener, so the script did have a window to post to.
      assert.equal(await popup.evaluate(() => window.opener !== null), true);
      await attackerPage.waitForTimeout(1000);
      // ...but the browser delivered nothing to the opener: it is not the app's origin.
      assert.deepEqual(await attackerPage.evaluate(() => (window as unknown as AppWindow).received), []);
      await popup.close();
      await attackerPage.close();
    });

    it('the same popup opened by the app delivers the code (getWithPopup with a session)', async () => {
      await page.goto(`${appOrigin}/`);
      const sub = await page.evaluate(async () => {
        const { tokens } = await (window as unknown as AppWindow).authClient.token.getWithPopup({});
        return tokens.idToken.claims.sub;
      });
      assert.equal(sub, server.user.id);
    });
  });
});
