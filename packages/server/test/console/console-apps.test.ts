// Applications in the console (issue 5; SECURITY-MATRIX AD-02 through the console): the wizard creates
// each type, refused settings are shown next to their field with the registration rule's reason, a web
// app's secret is shown once and stored hashed, and edit, deactivate, secret reset and delete work.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { matchesHash } from '../../src/oauth/random.ts';
import { ADMIN_PASSWORD, type ConsoleClient, fieldError, signedInConsole } from '../fixtures/console.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const NATIVE = {
  type: 'native',
  name: 'My Native App',
  redirect_uris: 'com.example.app:/callback\nhttp://127.0.0.1/callback',
  consent: 'TRUSTED',
  leeway: '30',
};

describe('console applications', () => {
  let server: TestServer;
  let console: ConsoleClient;
  before(async () => {
    server = await startTestServer();
    ({ client: console } = await signedInConsole(server));
  });
  after(async () => server.close());

  const clientIdOf = (location: string | null): string =>
    /\/console\/apps\/(0oa\w+)/.exec(location ?? '')?.[1] ?? '';

  it('the wizard: type cards, then the settings form for that type', async () => {
    const step1 = await console.get('/console/apps/new');
    for (const value of ['native', 'browser', 'web'])
      assert.match(step1.html, new RegExp(`name="type" value="${value}"`));
    const step2 = await console.get('/console/apps/new/settings?type=browser');
    assert.match(step2.html, /<h1>New Single-Page App app<\/h1>/);
    assert.match(step2.html, /<input type="hidden" name="type" value="browser"\/>/);
    const unknown = await console.get('/console/apps/new/settings?type=implicit');
    assert.equal(unknown.response.status, 303);
  });

  it('Done creates a native app and opens its General tab with the Client ID', async () => {
    const { response } = await console.post('/console/apps', { ...NATIVE, refresh_token: 'on' });
    assert.equal(response.status, 303);
    const clientId = clientIdOf(response.headers.get('location'));
    const client = await server.deps.store.clients.get(clientId);
    assert.deepEqual(
      {
        redirectUris: client?.redirectUris,
        grantTypes: client?.grantTypes,
        pkceRequired: client?.pkceRequired,
        auth: client?.tokenEndpointAuthMethod,
        rotation: client?.refreshRotation,
      },
      {
        redirectUris: ['com.example.app:/callback', 'http://127.0.0.1/callback'],
        grantTypes: ['authorization_code', 'refresh_token'],
        pkceRequired: true,
        auth: 'none',
        rotation: 'ROTATE',
      },
    );
    const general = await console.get(`/console/apps/${clientId}?done=app-created`);
    assert.match(general.html, new RegExp(`<input id="client-id" type="text" value="${clientId}" readonly`));
    assert.match(general.html, /data-copy="client-id" hidden/);
    assert.match(general.html, /<script nonce="[^"]+">/);
    const nonce = /<script nonce="([^"]+)">/.exec(general.html)?.[1];
    assert.match(
      general.response.headers.get('content-security-policy') ?? '',
      new RegExp(`script-src 'nonce-${nonce?.replace(/[+/]/g, '\\$&')}'`),
    );
  });

  describe('AD-02 refused settings are shown next to their field, and nothing is created', () => {
    const cases: Array<[string, Record<string, string>, string, RegExp]> = [
      [
        'RU-04 plain http to a remote host',
        { redirect_uris: 'http://app.example.com/cb' },
        'redirect_uris',
        /^http:\/\/app\.example\.com\/cb uses plain http, which is allowed only for loopback hosts/,
      ],
      [
        'a fragment',
        { redirect_uris: 'com.example.app:/cb#x' },
        'redirect_uris',
        /must not contain a fragment/,
      ],
      [
        'a wildcard',
        { redirect_uris: 'https://*.example.com/cb' },
        'redirect_uris',
        /must not contain a wildcard/,
      ],
      [
        'RU-09 a private-use scheme for a browser app',
        { type: 'browser', redirect_uris: 'com.example.app:/cb' },
        'redirect_uris',
        /only native apps may register/,
      ],
      [
        'RU-14 a single-word scheme for a native app',
        { redirect_uris: 'ws://app.example.com/cb' },
        'redirect_uris',
        /^ws:\/\/app\.example\.com\/cb uses the ws: scheme; .*reverse-domain form, such as com\.example\.app:\/callback/,
      ],
      [
        'javascript: as a sign-out URI',
        { post_logout_redirect_uris: 'javascript:alert(1)' },
        'post_logout_redirect_uris',
        /javascript: scheme/,
      ],
      [
        'no sign-in redirect URI',
        { redirect_uris: '' },
        'redirect_uris',
        /Register at least one sign-in redirect URI/,
      ],
      ['a grace period of 61 s', { leeway: '61' }, 'leeway', /0-60 seconds/],
      ['a grace period that is not a number', { leeway: 'soon' }, 'leeway', /whole number of seconds/],
      ['an empty name', { name: '  ' }, 'name', /Name must be 1-100 characters/],
    ];
    for (const [name, overrides, field, expected] of cases) {
      it(name, async () => {
        const before = (await server.deps.store.clients.list()).length;
        const { response, html } = await console.post('/console/apps', { ...NATIVE, ...overrides });
        assert.equal(response.status, 400);
        assert.match(fieldError(html, field) ?? '', expected);
        assert.match(html, new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
        assert.match(html, /Nothing was saved\./);
        assert.equal((await server.deps.store.clients.list()).length, before);
      });
    }
  });

  it('every refused redirect URI is listed, each with its reason', async () => {
    const { html } = await console.post('/console/apps', {
      ...NATIVE,
      redirect_uris: 'com.example.app:/ok\nhttp://a.example/cb\nhttps://b.example/cb#frag',
    });
    const text = fieldError(html, 'redirect_uris') ?? '';
    assert.match(text, /http:\/\/a\.example\/cb uses plain http/);
    assert.match(text, /https:\/\/b\.example\/cb#frag must not contain a fragment/);
    assert.doesNotMatch(text, /com\.example\.app:\/ok/);
  });

  it("AD-02 a web app's secret is shown once, on the Done page only, and stored as a hash", async () => {
    const created = await console.post('/console/apps', {
      type: 'web',
      name: 'My Web App',
      redirect_uris: 'https://app.example.com/callback',
      leeway: '0',
      pkce_required: 'on',
    });
    // Issue 12, Post/Redirect/Get: 303 to the app, whose page shows the secret once (a server-side flash).
    assert.equal(created.response.status, 303);
    const location = created.response.headers.get('location') ?? '';
    const done = await console.get(location);
    const secret = /<input id="client-secret" type="text" value="([^"]+)"/.exec(done.html)?.[1] ?? '';
    assert.ok(secret.length >= 43, 'a 256-bit secret');
    const clientId = clientIdOf(location);
    const client = await server.deps.store.clients.get(clientId);
    assert.ok(client?.clientSecretHash && matchesHash(secret, client.clientSecretHash));
    assert.notEqual(client?.clientSecretHash, secret);
    const again = await console.get(location);
    assert.equal(again.html.includes(secret), false, 'never shown again, also not on a reload');
    const flashes = await server.deps.store.consoleState.takeFlash('', `client:${clientId}`, 0);
    assert.equal(flashes, undefined);
    assert.match(again.html, /Hidden\. Latchkey keeps only a hash of it\./);
  });

  it('issue 12: a web app made in the console does not require PKCE unless asked (as Okta and the CLI)', async () => {
    const form = await console.get('/console/apps/new/settings?type=web');
    assert.doesNotMatch(form.html, /name="pkce_required" value="on" checked/);
    const { response } = await console.post('/console/apps', {
      type: 'web',
      name: 'Express App',
      redirect_uris: 'https://app.example.com/authorization-code/callback',
      leeway: '0',
    });
    assert.equal(response.status, 303);
    const client = await server.deps.store.clients.get(clientIdOf(response.headers.get('location')));
    assert.equal(client?.pkceRequired, false);
    const native = await console.get('/console/apps/new/settings?type=native');
    assert.doesNotMatch(native.html, /name="pkce_required"/, 'public clients always use PKCE');
  });

  it('issue 12: a form sent twice (the same one-time token) creates one app; the second copy is refused', async () => {
    await console.get('/console/apps/new/settings?type=native');
    const once = console.formToken ?? '';
    assert.match(once, /^\d+\.[\w-]+\.[\w-]+$/);
    const before = (await server.deps.store.clients.list()).length;
    const first = await console.post('/console/apps', { ...NATIVE, name: 'Twice', _form: once });
    assert.equal(first.response.status, 303);
    const second = await console.post('/console/apps', { ...NATIVE, name: 'Twice', _form: once });
    assert.equal(second.response.status, 409);
    assert.match(second.html, /This form was already sent/);
    assert.equal((await server.deps.store.clients.list()).length, before + 1);
    for (const bad of ['', 'forged', `${once.split('.')[0]}.abc.def`]) {
      const refused = await console.post('/console/apps', { ...NATIVE, name: 'Forged', _form: bad });
      assert.equal(refused.response.status, 403, bad);
    }
    // A token is bound to the admin session that got it.
    await console.get('/console/apps');
    const mine = console.formToken ?? '';
    assert.notEqual(mine, '');
    const { client: other } = await signedInConsole(server);
    await other.get('/console/apps');
    const stolen = await other.post('/console/apps', { ...NATIVE, name: 'Stolen', _form: mine });
    assert.equal(stolen.response.status, 403);
    assert.equal((await server.deps.store.clients.list()).length, before + 1);
  });

  it('a new secret needs the admin password, replaces the old one and is shown once', async () => {
    const [web] = (await server.deps.store.clients.list()).filter((client) => client.name === 'Web Conf');
    assert.ok(web);
    const wrong = await console.post(`/console/apps/${web.clientId}/secret`, { password: 'nope' });
    assert.equal(wrong.response.status, 401);
    assert.ok(
      matchesHash(
        server.webConf.clientSecret,
        (await server.deps.store.clients.get(web.clientId))?.clientSecretHash ?? '',
      ),
    );
    const posted = await console.post(`/console/apps/${web.clientId}/secret`, { password: ADMIN_PASSWORD });
    assert.equal(posted.response.status, 303);
    assert.equal(
      posted.response.headers.get('location'),
      `/console/apps/${web.clientId}?done=secret-rotated`,
    );
    const right = await console.get(posted.response.headers.get('location') ?? '');
    const secret = /<input id="client-secret" type="text" value="([^"]+)"/.exec(right.html)?.[1] ?? '';
    assert.equal((await console.get(`/console/apps/${web.clientId}`)).html.includes(secret), false);
    const hash = (await server.deps.store.clients.get(web.clientId))?.clientSecretHash ?? '';
    assert.ok(matchesHash(secret, hash));
    assert.equal(matchesHash(server.webConf.clientSecret, hash), false, 'the old secret stops working');
  });

  it('edit, deactivate, activate and delete', async () => {
    const { response } = await console.post('/console/apps', NATIVE);
    const clientId = clientIdOf(response.headers.get('location'));
    const saved = await console.post(`/console/apps/${clientId}`, {
      ...NATIVE,
      name: 'Renamed App',
      redirect_uris: 'com.example.app:/callback2',
      consent: 'REQUIRED',
      leeway: '10',
    });
    assert.equal(saved.response.headers.get('location'), `/console/apps/${clientId}?done=app-saved`);
    const client = await server.deps.store.clients.get(clientId);
    assert.equal(client?.name, 'Renamed App');
    assert.deepEqual(client?.redirectUris, ['com.example.app:/callback2']);
    assert.equal(client?.consentMethod, 'REQUIRED');
    assert.equal(client?.refreshLeewaySeconds, 10);

    const refused = await console.post(`/console/apps/${clientId}`, {
      ...NATIVE,
      redirect_uris: 'http://example.com/cb',
    });
    assert.equal(refused.response.status, 400);
    assert.match(
      refused.html,
      /<textarea id="redirect_uris"[^>]*>http:\/\/example\.com\/cb<\/textarea>/,
      'what was typed stays',
    );
    assert.deepEqual((await server.deps.store.clients.get(clientId))?.redirectUris, [
      'com.example.app:/callback2',
    ]);

    await console.post(`/console/apps/${clientId}/deactivate`);
    assert.equal((await server.deps.store.clients.get(clientId))?.status, 'INACTIVE');
    await console.post(`/console/apps/${clientId}/activate`);
    assert.equal((await server.deps.store.clients.get(clientId))?.status, 'ACTIVE');

    const confirm = await console.get(`/console/apps/${clientId}/delete`);
    assert.match(confirm.html, /Delete Renamed App\?/);
    assert.ok(await server.deps.store.clients.get(clientId), 'the GET deletes nothing');
    const deleted = await console.post(`/console/apps/${clientId}/delete`);
    assert.equal(deleted.response.headers.get('location'), '/console/apps?done=app-deleted');
    assert.equal(await server.deps.store.clients.get(clientId), undefined);
    const events = await server.deps.store.events.list({ clientId, limit: 10 });
    assert.deepEqual(events.map((event) => event.type).sort(), [
      'application.lifecycle.activate',
      'application.lifecycle.create',
      'application.lifecycle.deactivate',
      'application.lifecycle.delete',
      'application.lifecycle.update',
    ]);
    assert.ok(events.every((event) => event.actor?.startsWith('admin')));
  });

  it('the list shows name, type, client id and status; an unknown app is a 404 page', async () => {
    const { html } = await console.get('/console/apps');
    assert.match(html, new RegExp(`<code>${server.nativePub.client.clientId}</code>`));
    assert.match(html, /Single-Page App/);
    const missing = await console.get('/console/apps/0oanotthere');
    assert.equal(missing.response.status, 404);
    assert.match(missing.html, /App 0oanotthere does not exist/);
  });
});
