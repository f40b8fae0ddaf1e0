// /api/v1/apps: Okta's app shape, create/read/update/delete, lifecycle and client-secret rotation. A web
// app's secret is returned once (creation, rotation), stored only as a hash (AD-02) and never read back.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/oauth/random.ts';
import {
  type AdminApi,
  adminApi,
  assertFieldError,
  assertOktaError,
  oidcApp,
} from '../fixtures/admin-api.ts';
import { authorizeUrl, defaultAuthorizeParams, get, makePkce } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { basic } from '../fixtures/token-assertions.ts';

describe('admin API apps', () => {
  let server: TestServer;
  let admin: AdminApi;

  before(async () => {
    server = await startTestServer();
    admin = await adminApi(server);
  });
  after(async () => server.close());

  /** 200 for the sign-in page, 400 for the error page (an inactive or unknown app). */
  async function authorizeStatus(clientId: string, redirectUri: string): Promise<number> {
    const params = defaultAuthorizeParams(server, makePkce(), {
      client_id: clientId,
      redirect_uri: redirectUri,
    });
    return (await get(authorizeUrl(server, params))).status;
  }

  /** Introspection as the web app with Basic: 200 with a good secret, 401 with a bad one. */
  async function introspectStatus(clientId: string, secret: string): Promise<number> {
    const response = await fetch(server.url('/v1/introspect'), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(clientId, secret),
      },
      body: new URLSearchParams({ token: 'not-a-token' }),
    });
    return response.status;
  }

  it('lists apps in Okta shape, pages with limit/after and a Link header, and finds by q', async () => {
    const all = await admin.call('GET', '/apps');
    assert.equal(all.status, 200);
    assert.equal(all.body.length, 4);
    const native = all.body.find((app: { id: string }) => app.id === server.nativePub.client.clientId);
    assert.deepEqual(native.settings.oauthClient.redirect_uris, server.nativePub.client.redirectUris);
    assert.equal(native.credentials.oauthClient.token_endpoint_auth_method, 'none');
    assert.equal(native.credentials.oauthClient.client_secret, undefined);
    const first = await admin.call('GET', '/apps?limit=3');
    assert.equal(first.body.length, 3);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    assert.ok(next?.startsWith('https://idp.test/api/v1/apps?'), first.headers.get('link') ?? '');
    const rest = await admin.call('GET', `/apps?${new URL(next ?? '').searchParams}`);
    assert.equal(rest.body.length, 1);
    assert.deepEqual(
      [...first.body, ...rest.body].map((app: { id: string }) => app.id).sort(),
      all.body.map((app: { id: string }) => app.id).sort(),
    );
    const found = await admin.call('GET', '/apps?q=spa%20pub');
    assert.deepEqual(
      found.body.map((app: { label: string }) => app.label),
      ['SPA Pub'],
    );
    assertFieldError(await admin.call('GET', '/apps?limit=0'), 'limit');
  });

  it('creates a web app: the secret is returned once, stored hashed and never shown again', async () => {
    const created = await admin.call(
      'POST',
      '/apps',
      oidcApp('web', { grant_types: ['authorization_code', 'refresh_token'] }),
    );
    assert.equal(created.status, 200, created.text);
    const { id } = created.body;
    assert.match(id, /^0oa[A-Za-z0-9]{17}$/);
    assert.equal(created.body.name, 'oidc_client');
    assert.equal(created.body.signOnMode, 'OPENID_CONNECT');
    assert.equal(created.body.status, 'ACTIVE');
    const credentials = created.body.credentials.oauthClient;
    assert.equal(credentials.client_id, id);
    assert.equal(credentials.token_endpoint_auth_method, 'client_secret_basic');
    assert.equal(typeof credentials.client_secret, 'string');
    assert.equal(
      (await server.deps.store.clients.get(id))?.clientSecretHash,
      sha256Hex(credentials.client_secret),
    );
    assert.deepEqual(created.body.settings.oauthClient.refresh_token, { rotation_type: 'STATIC', leeway: 0 });
    const shown = await admin.call('GET', `/apps/${id}`);
    assert.equal(shown.body.credentials.oauthClient.client_secret, undefined);
    assert.ok(!shown.text.includes(credentials.client_secret), 'GET never shows the secret');
    assert.equal(await introspectStatus(id, credentials.client_secret), 200);
    const events = await server.deps.store.events.list({ clientId: id, limit: 5 });
    assert.equal(events[0]?.type, 'application.lifecycle.create');
    assert.equal(events[0]?.actor, admin.tokenId);
    assert.ok(!JSON.stringify(events).includes(credentials.client_secret), 'the log never holds the secret');
  });

  it('rotates a web app secret: the new one works, the old one stops at once', async () => {
    const { id, credentials } = (await admin.call('POST', '/apps', oidcApp('web'))).body;
    const old = credentials.oauthClient.client_secret;
    const rotated = await admin.call('POST', `/apps/${id}/lifecycle/newSecret`);
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal(rotated.body.client_id, id);
    assert.notEqual(rotated.body.client_secret, old);
    assert.equal(await introspectStatus(id, old), 401);
    assert.equal(await introspectStatus(id, rotated.body.client_secret), 200);
    const publicApp = server.nativePub.client.clientId;
    assertFieldError(
      await admin.call('POST', `/apps/${publicApp}/lifecycle/newSecret`),
      'credentials.oauthClient.token_endpoint_auth_method',
    );
  });

  it('creates a native app with Okta defaults, or inactive with ?activate=false', async () => {
    const created = await admin.call('POST', '/apps', oidcApp('native'));
    assert.equal(created.body.credentials.oauthClient.client_secret, undefined);
    assert.equal(created.body.credentials.oauthClient.pkce_required, true);
    assert.deepEqual(created.body.settings.oauthClient.refresh_token, {
      rotation_type: 'ROTATE',
      leeway: 30,
    });
    assert.equal(created.body.settings.oauthClient.consent_method, 'TRUSTED');
    const inactive = await admin.call('POST', '/apps?activate=false', oidcApp('native'));
    assert.equal(inactive.body.status, 'INACTIVE');
    assert.equal((await server.deps.store.clients.get(inactive.body.id))?.status, 'INACTIVE');
  });

  it('updates what is sent and keeps the rest; type and id cannot change', async () => {
    const { body: app } = await admin.call(
      'POST',
      '/apps',
      oidcApp('native', { post_logout_redirect_uris: ['com.example.admin:/logout'] }),
    );
    const changed = await admin.call('PUT', `/apps/${app.id}`, {
      label: 'Renamed',
      settings: { oauthClient: { redirect_uris: ['com.example.admin:/cb2'], consent_method: 'REQUIRED' } },
    });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.label, 'Renamed');
    assert.deepEqual(changed.body.settings.oauthClient.redirect_uris, ['com.example.admin:/cb2']);
    assert.deepEqual(changed.body.settings.oauthClient.post_logout_redirect_uris, [
      'com.example.admin:/logout',
    ]);
    assert.equal(changed.body.settings.oauthClient.consent_method, 'REQUIRED');
    // A GET → PUT round trip (what Okta scripts do) is accepted as it is.
    const roundTrip = await admin.call(
      'PUT',
      `/apps/${app.id}`,
      (await admin.call('GET', `/apps/${app.id}`)).body,
    );
    assert.equal(roundTrip.status, 200, roundTrip.text);
    assert.deepEqual({ ...roundTrip.body, lastUpdated: 'x' }, { ...changed.body, lastUpdated: 'x' });
    const retype = { settings: { oauthClient: { application_type: 'browser' } } };
    assertFieldError(
      await admin.call('PUT', `/apps/${app.id}`, retype),
      'settings.oauthClient.application_type',
    );
    const reId = { credentials: { oauthClient: { client_id: 'other' } } };
    assertFieldError(await admin.call('PUT', `/apps/${app.id}`, reId), 'credentials.oauthClient.client_id');
  });

  it('deactivates (no more sign-in), activates, and deletes only an inactive app', async () => {
    const { body: app } = await admin.call('POST', '/apps', oidcApp('native'));
    const redirect = 'com.example.admin:/callback';
    assert.equal(await authorizeStatus(app.id, redirect), 200);
    assertOktaError(
      await admin.call('DELETE', `/apps/${app.id}`),
      403,
      'E0000056',
      'Delete application forbidden.',
    );
    const deactivated = await admin.call('POST', `/apps/${app.id}/lifecycle/deactivate`);
    assert.equal(deactivated.status, 200);
    assert.deepEqual(deactivated.body, {});
    assert.equal((await admin.call('GET', `/apps/${app.id}`)).body.status, 'INACTIVE');
    assert.equal(await authorizeStatus(app.id, redirect), 400);
    assert.equal((await admin.call('POST', `/apps/${app.id}/lifecycle/activate`)).status, 200);
    assert.equal(await authorizeStatus(app.id, redirect), 200);
    await admin.call('POST', `/apps/${app.id}/lifecycle/deactivate`);
    assert.equal((await admin.call('DELETE', `/apps/${app.id}`)).status, 204);
    assertOktaError(
      await admin.call('GET', `/apps/${app.id}`),
      404,
      'E0000007',
      `Not found: Resource not found: ${app.id} (App)`,
    );
    // Newest first, in order even within one second of the (manual) clock.
    const events = await server.deps.store.events.list({ clientId: app.id, limit: 10 });
    const types = events.map((event) => event.type).filter((type) => type.startsWith('application.'));
    assert.deepEqual(types.reverse(), [
      'application.lifecycle.create',
      'application.lifecycle.deactivate',
      'application.lifecycle.activate',
      'application.lifecycle.deactivate',
      'application.lifecycle.delete',
    ]);
  });

  it('answers 404 E0000007 for an unknown app on every app route', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/apps/0oaunknown'],
      ['PUT', '/apps/0oaunknown', { label: 'x' }],
      ['DELETE', '/apps/0oaunknown'],
      ['POST', '/apps/0oaunknown/lifecycle/activate'],
      ['POST', '/apps/0oaunknown/lifecycle/deactivate'],
      ['POST', '/apps/0oaunknown/lifecycle/newSecret'],
    ];
    for (const [method, path, body] of routes) {
      assertOktaError(
        await admin.call(method, path, body),
        404,
        'E0000007',
        'Not found: Resource not found: 0oaunknown (App)',
      );
    }
  });
});
