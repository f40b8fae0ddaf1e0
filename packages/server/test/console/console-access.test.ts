// Who gets into the console (SECURITY-MATRIX AD-01, LG-07, LG-08): no session, an end-user SSO session, a
// non-admin, a missing or foreign CSRF token, a cross-site post; the admin cookie's attributes; the
// headers of every console page.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser } from '../../src/accounts/users.ts';
import { recordEvent } from '../../src/audit.ts';
import { GENERIC_FAILURE } from '../../src/http/console/auth-routes.ts';
import { createApp } from '../../src/services/apps.ts';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  makePkce,
  signIn,
} from '../fixtures/browser-flow.ts';
import { ConsoleClient, signedInConsole } from '../fixtures/console.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';

const PAGES = [
  '/console',
  '/console/apps',
  '/console/apps/new',
  '/console/users',
  '/console/servers',
  '/console/servers/default/keys',
  '/console/log',
];
const POSTS = [
  '/console/apps',
  '/console/users',
  '/console/servers/default/keys/rotate',
  '/console/sign-out',
];

describe('console access', () => {
  let server: TestServer;
  let console: ConsoleClient;
  before(async () => {
    server = await startTestServer();
    ({ client: console } = await signedInConsole(server));
  });
  after(async () => server.close());

  describe('AD-01 without a console session, pages redirect to the sign-in', () => {
    for (const path of PAGES) {
      it(path, async () => {
        const { response } = await new ConsoleClient(server).get(path);
        assert.equal(response.status, 303);
        const location = response.headers.get('location') ?? '';
        assert.ok(location.startsWith('/console/sign-in'), location);
        // The console home is where a sign-in lands anyway, so it needs no `next`.
        const home = path === '/console' || path === '/console/apps';
        assert.equal(
          location,
          home ? '/console/sign-in' : `/console/sign-in?next=${encodeURIComponent(path)}`,
        );
      });
    }
  });

  describe('AD-01 without a console session, form posts get 401 and change nothing', () => {
    for (const path of POSTS.filter((p) => p !== '/console/sign-out')) {
      it(path, async () => {
        const anonymous = new ConsoleClient(server);
        await anonymous.get('/console/sign-in');
        const before = (await server.deps.store.clients.list()).length;
        const { response, html } = await anonymous.post(path, { name: 'x', type: 'native' });
        assert.equal(response.status, 401);
        assert.match(html, /Sign in again/);
        assert.equal((await server.deps.store.clients.list()).length, before);
      });
    }
  });

  it('AD-01 an end-user SSO session does not open the console', async () => {
    const jar = new CookieJar();
    const done = await signIn(server, authorizeUrl(server, defaultAuthorizeParams(server, makePkce())), jar);
    assert.equal(done.status, 303, 'alice is signed in to the SSO session');
    const response = await fetch(`${server.baseUrl}/console/apps`, {
      redirect: 'manual',
      headers: { cookie: jar.header() },
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/console/sign-in');
  });

  it('AD-01 a user without the admin role cannot sign in, and sees the generic failure', async () => {
    const client = new ConsoleClient(server);
    const withRightPassword = await client.signIn(server.user.login, TEST_PASSWORD);
    const withWrongPassword = await new ConsoleClient(server).signIn(server.user.login, 'not the password');
    for (const { response, html } of [withRightPassword, withWrongPassword]) {
      assert.equal(response.status, 401);
      assert.match(html, new RegExp(`role="alert"[^>]*><span>${GENERIC_FAILURE}</span>`));
      assert.equal(
        response.headers.getSetCookie().some((cookie) => cookie.includes('latchkey-admin=')),
        false,
      );
    }
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]*"/, '');
    assert.equal(strip(withRightPassword.html), strip(withWrongPassword.html), 'the role is not disclosed');
    const [event] = (await server.deps.store.events.list({ userId: server.user.id, limit: 5 })).filter(
      (e) => e.type === 'user.session.access_admin_app' && e.reason.includes('admin role'),
    );
    assert.equal(event?.reason, 'Console sign-in failed: the user does not have the admin role.');
  });

  describe('AD-01 an admin form post without a valid CSRF token is refused with 403', () => {
    const cases: Array<[string, () => Promise<string | undefined>]> = [
      ['no token', async () => undefined],
      ['a made-up token', async () => 'x'.repeat(52)],
      [
        "another session's token",
        async () => {
          const other = new ConsoleClient(server);
          await other.get('/console/sign-in');
          return other.csrf;
        },
      ],
    ];
    for (const [name, token] of cases) {
      it(name, async () => {
        const csrf = await token();
        const before = (await server.deps.store.clients.list()).length;
        const response = await fetch(console.url('/console/apps'), {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: console.jar.header() },
          body: new URLSearchParams({
            ...(csrf === undefined ? {} : { _csrf: csrf }),
            type: 'native',
            name: 'Forged',
            redirect_uris: 'com.example.forged:/cb',
            leeway: '30',
          }),
        });
        assert.equal(response.status, 403);
        assert.match(await response.text(), /This form has expired/);
        assert.equal((await server.deps.store.clients.list()).length, before);
      });
    }
  });

  describe('AD-01 a cross-site form post is refused before anything else', () => {
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }]) {
      it(JSON.stringify(headers), async () => {
        await console.get('/console/apps/new');
        const { response } = await console.post(
          '/console/apps',
          { type: 'native', name: 'Cross', redirect_uris: 'com.example.x:/cb', leeway: '30' },
          headers,
        );
        assert.equal(response.status, 403);
        assert.equal(response.headers.get('access-control-allow-origin'), null);
      });
    }
  });

  it('AD-01 no CORS: a cross-origin read of a console page gets no Access-Control-Allow-Origin', async () => {
    const { response } = await console.get('/console/users', { origin: 'https://evil.example' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
  });

  it('LG-07 the console cookie: __Host- prefix, Secure, HttpOnly, SameSite=Strict, Path=/, no Domain', async () => {
    const admin = await new ConsoleClient(server).signIn((await signedInConsole(server)).admin.login);
    const line = admin.response.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith('__Host-latchkey-admin='));
    assert.ok(line, admin.response.headers.getSetCookie().join('\n'));
    const attributes = line.split(';').map((part) => part.trim().toLowerCase());
    for (const expected of ['secure', 'httponly', 'samesite=strict', 'path=/', `max-age=${8 * 3600}`]) {
      assert.ok(attributes.includes(expected), `${expected} in ${line}`);
    }
    assert.equal(
      attributes.some((part) => part.startsWith('domain=')),
      false,
    );
    const value = line.split(';')[0]?.split('=')[1] ?? '';
    assert.ok(value.length >= 43, 'a 256-bit random id');
  });

  it('LG-11 hostile app and user names are shown as text on console pages', async () => {
    const hostile = '"><script>alert(1)</script>{{7*7}}';
    await createApp(server.deps, {
      name: hostile,
      applicationType: 'native',
      redirectUris: ['com.example.x:/cb'],
    });
    await createUser(server.deps, { email: 'mallory@example.com', name: hostile });
    await recordEvent(server.deps, { type: 'user.authentication.sso', outcome: 'FAILURE', reason: hostile });
    for (const path of ['/console/apps', '/console/users', '/console/log']) {
      const { html } = await console.get(path);
      assert.equal(html.includes('<script>alert(1)'), false, path);
      assert.ok(html.includes('&quot;>&lt;script>alert(1)&lt;/script>{{7*7}}'), path);
      assert.equal([...html.matchAll(/<script/g)].length, 1, 'only the nonce script');
    }
  });

  describe('LG-08 console pages cannot be framed and are not cached', () => {
    for (const path of ['/console/sign-in', ...PAGES.filter((p) => p !== '/console')]) {
      it(path, async () => {
        const client = path === '/console/sign-in' ? new ConsoleClient(server) : console;
        const { response } = await client.get(path);
        assert.equal(response.status, 200);
        const csp = response.headers.get('content-security-policy') ?? '';
        assert.match(csp, /frame-ancestors 'none'/);
        assert.match(csp, /script-src (?:'none'|'nonce-[A-Za-z0-9+/=]+')(;|$)/);
        assert.match(csp, /style-src 'self'/);
        assert.equal(response.headers.get('x-frame-options'), 'DENY');
        assert.equal(response.headers.get('cache-control'), 'no-store');
      });
    }
  });
});
