// loginWithLoopback (RFC 8252 §7.3) against the real server: the URL is only printed (openBrowser false),
// a fetch-driven "browser" signs in and follows the redirect to the ephemeral loopback port, and the tokens
// come back validated. Then the time-out and an error redirect.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../../server/test/fixtures/test-server.ts';
import { OAuthResponseError } from '../src/index.ts';
import { LoginTimeoutError, loginWithLoopback } from '../src/node/index.ts';
import { signInAndGetRedirect, startLatchkey } from './helpers/server.ts';

describe('loginWithLoopback', () => {
  let server: TestServer;

  before(async () => {
    server = await startLatchkey();
  });
  after(() => server?.close());

  /** Plays the browser: sign in, then deliver the redirect to the loopback listener and read its page. */
  function browse(url: string): Promise<{ status: number; page: string; redirect: URL }> {
    return (async () => {
      const location = await signInAndGetRedirect(server, url);
      const response = await fetch(location);
      return { status: response.status, page: await response.text(), redirect: new URL(location) };
    })();
  }

  it('prints the URL, receives the redirect on 127.0.0.1, answers the browser and returns validated tokens', async () => {
    let printed: { url: string; opened: boolean } | undefined;
    let browser: ReturnType<typeof browse> | undefined;
    const result = await loginWithLoopback({
      issuer: server.issuer,
      clientId: server.nativePub.client.clientId,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      openBrowser: false,
      appName: 'Test CLI',
      onAuthorizationUrl: (url, opened) => {
        printed = { url, opened };
        // Not awaited: the listener answers the browser only after the code exchange.
        browser = browse(url);
      },
    });
    assert.ok(printed && browser);
    assert.equal(printed.opened, false);
    const authorize = new URL(printed.url);
    const redirectUri = new URL(authorize.searchParams.get('redirect_uri')!);
    assert.equal(redirectUri.hostname, '127.0.0.1');
    assert.equal(redirectUri.pathname, '/callback');
    assert.notEqual(redirectUri.port, '', 'an ephemeral port');
    assert.equal(result.redirectUri, redirectUri.toString());
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');

    const { status, page, redirect } = await browser;
    assert.equal(redirect.origin, redirectUri.origin);
    assert.equal(status, 200);
    assert.match(page, /You are signed in to Test CLI\. You may close this window/);

    assert.ok(result.tokens.accessToken && result.tokens.refreshToken && result.tokens.idToken);
    assert.equal(result.claims?.sub, server.user.id);
    assert.equal(result.claims?.nonce, authorize.searchParams.get('nonce'));
    await assert.rejects(fetch(redirectUri), 'the listener is closed afterwards');
  });

  it('times out cleanly with a clear error and closes the listener', async () => {
    let redirectUri: URL | undefined;
    const started = Date.now();
    await assert.rejects(
      loginWithLoopback({
        issuer: server.issuer,
        clientId: server.nativePub.client.clientId,
        scopes: ['openid'],
        openBrowser: false,
        timeoutMs: 300,
        onAuthorizationUrl: async (url) => {
          redirectUri = new URL(new URL(url).searchParams.get('redirect_uri')!);
          // Still busy when the time is up: the time-out must not escape as an unhandled rejection.
          await new Promise((resolve) => setTimeout(resolve, 400));
        },
      }),
      (error) => {
        assert.ok(error instanceof LoginTimeoutError);
        assert.equal(error.timeoutMs, 300);
        assert.match(
          error.message,
          /No sign-in came back to http:\/\/127\.0\.0\.1:\d+\/callback within 0\.3 s/,
        );
        assert.match(error.message, /run the sign-in again/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 5000);
    assert.ok(redirectUri);
    await assert.rejects(fetch(redirectUri), 'nothing listens any more');
  });

  it("the server's error redirect fails the login with its description and shows it in the browser", async () => {
    let browser: Promise<Response> | undefined;
    await assert.rejects(
      loginWithLoopback({
        issuer: server.issuer,
        clientId: server.nativePub.client.clientId,
        scopes: ['openid', 'not.a.scope'],
        openBrowser: false,
        onAuthorizationUrl: (url) => {
          // Invalid scope: /authorize redirects at once, without the sign-in page.
          browser = fetch(url);
        },
      }),
      (error) => error instanceof OAuthResponseError && error.error === 'invalid_scope',
    );
    const response = await browser!;
    assert.equal(response.status, 400);
    const page = await response.text();
    assert.match(page, /Sign-in failed/);
    assert.match(page, /Unknown scopes: \[not\.a\.scope\]/);
  });

  it('a failing onAuthorizationUrl ends the login with its error and closes the listener', async () => {
    let redirectUri: URL | undefined;
    await assert.rejects(
      loginWithLoopback({
        issuer: server.issuer,
        clientId: server.nativePub.client.clientId,
        scopes: ['openid'],
        openBrowser: false,
        onAuthorizationUrl: (url) => {
          redirectUri = new URL(new URL(url).searchParams.get('redirect_uri')!);
          throw new Error('terminal gone');
        },
      }),
      /terminal gone/,
    );
    await assert.rejects(fetch(redirectUri!), 'nothing listens any more');
  });

  it('an abort signal cancels the wait', async () => {
    const controller = new AbortController();
    await assert.rejects(
      loginWithLoopback({
        issuer: server.issuer,
        clientId: server.nativePub.client.clientId,
        scopes: ['openid'],
        openBrowser: false,
        signal: controller.signal,
        onAuthorizationUrl: () => controller.abort(),
      }),
      /The sign-in was cancelled/,
    );
  });
});
