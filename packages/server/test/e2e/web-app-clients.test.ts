// Issue 12: server-side web-app libraries as people first try them.
// - @okta/oidc-middleware (Express 4, Passport, openid-client v5) never sends PKCE: a web app made in the
//   console with its defaults must work with it, as it does against Okta; requiring PKCE is what broke it.
// - A client sending client_secret_post to an app registered for client_secret_basic (openid-client's
//   Passport strategy default) is refused, and the error_description says how the app is registered and
//   how to change it.
// The sign-in page is driven with the fixture's cookie jar; the app's own cookies with a second jar.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { updateApp } from '../../src/services/apps.ts';
import { CookieJar, get, signIn } from '../fixtures/browser-flow.ts';
import { signedInConsole } from '../fixtures/console.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { freePort } from './browser.ts';

type Handler = (...args: unknown[]) => unknown;
interface ExpressOidc {
  router: Handler;
  ensureAuthenticated(): Handler;
  on(event: 'ready' | 'error', listener: (error?: unknown) => void): void;
}
interface ExpressApp {
  use(...handlers: unknown[]): void;
  get(path: string, ...handlers: unknown[]): void;
  listen(port: number, host: string, ready: () => void): Server;
}

// CommonJS packages without types; Express 4 is the one the middleware depends on.
const require = createRequire(import.meta.url);
const middlewareRequire = createRequire(require.resolve('@okta/oidc-middleware'));
const { ExpressOIDC } = require('@okta/oidc-middleware') as {
  ExpressOIDC: new (options: Record<string, unknown>) => ExpressOidc;
};
const express = middlewareRequire('express') as () => ExpressApp;
const session = require('express-session') as (options: Record<string, unknown>) => Handler;

describe('web-app clients (issue 12)', () => {
  let server: TestServer;
  let app: Server | undefined;
  let appBase: string;
  let clientId: string;

  before(async () => {
    const port = await freePort();
    server = await startTestServer({ publicUrl: `http://127.0.0.1:${port}`, env: { PORT: String(port) } });
    appBase = `http://127.0.0.1:${await freePort()}`;
    // The web app as an admin makes it in the console, with the form's defaults.
    const { client: console } = await signedInConsole(server);
    const created = await console.post('/console/apps', {
      type: 'web',
      name: 'Express App',
      redirect_uris: `${appBase}/authorization-code/callback`,
      leeway: '0',
    });
    const location = created.response.headers.get('location') ?? '';
    clientId = /\/console\/apps\/(0oa\w+)/.exec(location)?.[1] ?? '';
    const secret = /<input id="client-secret" type="text" value="([^"]+)"/.exec(
      (await console.get(location)).html,
    )?.[1];
    assert.ok(clientId !== '' && secret !== undefined);

    const oidc = new ExpressOIDC({
      issuer: server.issuer,
      client_id: clientId,
      client_secret: secret,
      appBaseUrl: appBase,
      scope: 'openid profile',
      testing: { disableHttpsCheck: true },
    });
    const web = express();
    web.use(
      session({ secret: 'a session secret for the test app', resave: false, saveUninitialized: false }),
    );
    web.use(oidc.router);
    web.get(
      '/',
      oidc.ensureAuthenticated(),
      (request: { userContext?: { userinfo?: { sub?: string } } }, response: { json(body: unknown): void }) =>
        response.json({ sub: request.userContext?.userinfo?.sub }),
    );
    await new Promise<void>((resolve, reject) => {
      oidc.on('ready', () => resolve());
      oidc.on('error', reject);
    });
    await new Promise<void>((resolve) => {
      app = web.listen(Number(new URL(appBase).port), '127.0.0.1', resolve);
    });
  });
  after(async () => {
    await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
    await server?.close();
  });

  it('@okta/oidc-middleware signs a user in to a web app made in the console with its defaults', async () => {
    const client = await server.deps.store.clients.get(clientId);
    assert.equal(client?.pkceRequired, false, 'the console default for web apps');
    const appJar = new CookieJar();
    const login = await get(`${appBase}/login`, appJar);
    assert.equal(login.status, 302);
    const authorize = new URL(login.headers.get('location') ?? '');
    assert.equal(authorize.searchParams.get('code_challenge'), null, 'the middleware sends no PKCE');
    const answer = await signIn(server, authorize.href, new CookieJar());
    assert.equal(answer.status, 303);
    const callback = await get(answer.headers.get('location') ?? '', appJar);
    assert.equal(callback.status, 302, await callback.text());
    assert.equal(callback.headers.get('location'), '/');
    const home = await get(`${appBase}/`, appJar);
    assert.deepEqual(await home.json(), { sub: server.user.id });
  });

  it('with PKCE required, the same middleware is refused with a description that says why', async () => {
    await updateApp(server.deps, clientId, { pkceRequired: true });
    try {
      const login = await get(`${appBase}/login`, new CookieJar());
      const refused = await get(login.headers.get('location') ?? '');
      const back = new URL(refused.headers.get('location') ?? '');
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.match(back.searchParams.get('error_description') ?? '', /PKCE code challenge is required/i);
    } finally {
      await updateApp(server.deps, clientId, { pkceRequired: false });
    }
  });

  it('client_secret_post against an app registered for client_secret_basic: the description says what to change', async () => {
    const { clientId: webId } = server.webConf.client;
    const config = await client.discovery(
      new URL(server.issuer),
      webId,
      server.webConf.clientSecret,
      client.ClientSecretPost(server.webConf.clientSecret),
      { execute: [client.allowInsecureRequests] },
    );
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'https://app.example.com/cb',
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'state-1',
    });
    const answer = await signIn(server, url.href, new CookieJar());
    await assert.rejects(
      client.authorizationCodeGrant(config, new URL(answer.headers.get('location') ?? ''), {
        pkceCodeVerifier: verifier,
        expectedState: 'state-1',
      }),
      (error: { error?: string; error_description?: string }) => {
        assert.equal(error.error, 'invalid_client');
        assert.equal(
          error.error_description,
          `Client authentication failed: the app is registered for client_secret_basic, so send the credentials in the Authorization header (HTTP Basic), or change the app's Client authentication in the console (or run: latchkey apps update ${webId} --auth-method client_secret_post).`,
        );
        return true;
      },
    );
  });
});
