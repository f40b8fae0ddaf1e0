// SECURITY-MATRIX AD-02 through the admin API: an app with a redirect URI refused by RU-04, RU-05 or
// RU-09, an unsafe grant, client_credentials or PKCE off on a public client, or a grace period outside
// 0-60 s is refused with Okta's 400 E0000001 naming the field (and the RFC 7591 code as the reason), on
// create and on update, and nothing is written.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AdminApi, adminApi, assertFieldError, oidcApp } from '../fixtures/admin-api.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const REDIRECT_URIS = 'settings.oauthClient.redirect_uris';

// RU-04 (wildcards and host tricks at registration), RU-05 (fragments), RU-09 (scheme policy).
const BAD_REDIRECT_URIS: [row: string, uri: string][] = [
  ['RU-04', 'https://*.example.com/cb'],
  ['RU-04', 'https://app.example.com*'],
  ['RU-05', 'https://app.example.com/cb#'],
  ['RU-05', 'https://app.example.com/cb#x'],
  ['RU-09', 'http://app.example.com/cb'],
  ['RU-09', 'http://localhost.evil.test/cb'],
  ['RU-09', 'javascript:alert(1)'],
  ['RU-09', 'JavaScript:alert(1)'],
  ['RU-09', 'data:text/html,<script>alert(1)</script>'],
  ['RU-09', 'vbscript:msgbox(1)'],
  ['RU-09', 'file:///etc/passwd'],
  ['RU-09', '/cb'],
];

describe('admin API app checks (AD-02)', () => {
  let server: TestServer;
  let admin: AdminApi;
  let appCount: number;

  before(async () => {
    server = await startTestServer();
    admin = await adminApi(server);
    appCount = (await server.deps.store.clients.list()).length;
  });
  after(async () => server.close());

  /** A refused create leaves no app behind. */
  async function refusedCreate(body: Record<string, unknown>, field: string): Promise<string> {
    const response = await admin.call('POST', '/apps', body);
    const cause = assertFieldError(response, field);
    assert.equal((await server.deps.store.clients.list()).length, appCount, 'no app was written');
    return cause;
  }

  describe('issue 12: logo_uri (shown on the sign-in page) must be https', () => {
    for (const logo of [
      'http://cdn.example.com/logo.png',
      'javascript:alert(1)',
      'data:image/png;base64,AA',
      'https://u:p@cdn.example.com/l.png',
      'not a url',
    ]) {
      it(`refuses ${logo}`, async () => {
        const cause = await refusedCreate(
          oidcApp('web', { logo_uri: logo }),
          'settings.oauthClient.logo_uri',
        );
        assert.match(cause, /must be an https:\/\/ URL/);
      });
    }

    it('stores an https logo, returns it, and removes it when sent empty', async () => {
      const created = await admin.call(
        'POST',
        '/apps',
        oidcApp('native', { logo_uri: 'https://cdn.example.com/logo.png' }),
      );
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body.settings.oauthClient.logo_uri, 'https://cdn.example.com/logo.png');
      const id = created.body.id as string;
      assert.equal((await server.deps.store.clients.get(id))?.logoUri, 'https://cdn.example.com/logo.png');
      const cleared = await admin.call('PUT', `/apps/${id}`, {
        ...oidcApp('native', { logo_uri: '' }),
        label: created.body.label,
      });
      assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
      assert.equal(cleared.body.settings.oauthClient.logo_uri, undefined);
      await admin.call('DELETE', `/apps/${id}`);
      await server.deps.store.clients.delete(id);
    });
  });

  describe('AD-02 redirect URIs refused at registration', () => {
    for (const [row, uri] of BAD_REDIRECT_URIS) {
      it(`AD-02 ${row} ${uri}`, async () => {
        const response = await admin.call('POST', '/apps', oidcApp('web', { redirect_uris: [uri] }));
        assertFieldError(response, REDIRECT_URIS);
        assert.equal(response.body.errorCauses[0].reason, 'invalid_redirect_uri');
        assert.equal((await server.deps.store.clients.list()).length, appCount);
      });
    }

    it('AD-02 a bad sign-out redirect URI is refused too', async () => {
      const body = oidcApp('native', { post_logout_redirect_uris: ['javascript:alert(1)'] });
      await refusedCreate(body, 'settings.oauthClient.post_logout_redirect_uris');
    });

    it('AD-02 on update as well, leaving the app unchanged', async () => {
      const appId = server.webConf.client.clientId;
      const before = await admin.call('GET', `/apps/${appId}`);
      for (const [, uri] of BAD_REDIRECT_URIS) {
        const body = { settings: { oauthClient: { redirect_uris: ['https://app.example.com/cb', uri] } } };
        assertFieldError(await admin.call('PUT', `/apps/${appId}`, body), REDIRECT_URIS);
      }
      assert.deepEqual((await admin.call('GET', `/apps/${appId}`)).body, before.body);
    });
  });

  describe('RU-14 native redirect URI schemes (RFC 8252 §7.1)', () => {
    for (const uri of [
      'ws://app.example.com/cb',
      'ftp://app.example.com/cb',
      'chrome://settings',
      'jar:http://evil.example/a.jar!/',
      'myapp:/cb',
    ]) {
      it(`RU-14 a native app registering ${uri} gets 400 naming the URI and the rule`, async () => {
        for (const field of ['redirect_uris', 'post_logout_redirect_uris']) {
          const cause = await refusedCreate(
            oidcApp('native', { [field]: [uri] }),
            `settings.oauthClient.${field}`,
          );
          assert.ok(cause.includes(`"${uri}"`), cause);
          assert.match(cause, /reverse-domain form, such as com\.example\.app:\/callback \(RFC 8252 §7\.1\)/);
        }
      });
    }

    it('RU-14 a reverse-domain private-use scheme, https and loopback http are accepted', async () => {
      const redirect_uris = ['com.example.native:/cb', 'https://app.example.com/cb', 'http://127.0.0.1/cb'];
      const response = await admin.call('POST', '/apps', oidcApp('native', { redirect_uris }));
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.settings.oauthClient.redirect_uris, redirect_uris);
      appCount += 1;
    });
  });

  describe('AD-02 grants, PKCE and the grace period', () => {
    const cases: [name: string, body: Record<string, unknown>, field: string][] = [
      [
        'the implicit grant',
        oidcApp('browser', { grant_types: ['authorization_code', 'implicit'] }),
        'settings.oauthClient.grant_types',
      ],
      [
        'the password grant',
        oidcApp('native', { grant_types: ['password'] }),
        'settings.oauthClient.grant_types',
      ],
      [
        'client_credentials on a public client',
        oidcApp('native', { grant_types: ['client_credentials'] }),
        'settings.oauthClient.grant_types',
      ],
      [
        'PKCE off on a native (public) client',
        oidcApp('native', {}, { credentials: { oauthClient: { pkce_required: false } } }),
        'credentials.oauthClient.pkce_required',
      ],
      [
        'PKCE off on a browser (public) client',
        oidcApp(
          'browser',
          {},
          { credentials: { oauthClient: { token_endpoint_auth_method: 'none', pkce_required: false } } },
        ),
        'credentials.oauthClient.pkce_required',
      ],
      [
        'a secret method on a public client',
        oidcApp(
          'native',
          {},
          { credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_basic' } } },
        ),
        'credentials.oauthClient.token_endpoint_auth_method',
      ],
      [
        'a grace period of -1 s',
        oidcApp('native', { refresh_token: { leeway: -1 } }),
        'settings.oauthClient.refresh_token.leeway',
      ],
      [
        'a grace period of 61 s',
        oidcApp('native', { refresh_token: { leeway: 61 } }),
        'settings.oauthClient.refresh_token.leeway',
      ],
      [
        'a grace period of 1.5 s',
        oidcApp('native', { refresh_token: { leeway: 1.5 } }),
        'settings.oauthClient.refresh_token.leeway',
      ],
      [
        'CC-16 a service app with redirect URIs',
        oidcApp('native', { application_type: 'service' }),
        'settings.oauthClient.redirect_uris',
      ],
      [
        'CC-16 a service app asking for authorization_code',
        oidcApp('native', {
          application_type: 'service',
          redirect_uris: [],
          grant_types: ['authorization_code'],
        }),
        'settings.oauthClient.grant_types',
      ],
      [
        'CC-16 a service app without a secret or keys',
        oidcApp(
          'native',
          { application_type: 'service', redirect_uris: [] },
          { credentials: { oauthClient: { token_endpoint_auth_method: 'none' } } },
        ),
        'credentials.oauthClient.token_endpoint_auth_method',
      ],
      [
        'CC-16 private_key_jwt without a JWK Set or jwks_uri',
        oidcApp(
          'native',
          { application_type: 'service', redirect_uris: [] },
          { credentials: { oauthClient: { token_endpoint_auth_method: 'private_key_jwt' } } },
        ),
        'settings.oauthClient.jwks_uri',
      ],
      [
        'CC-16 a JWK Set holding a private key',
        oidcApp(
          'native',
          {
            application_type: 'service',
            redirect_uris: [],
            jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'secret' }] },
          },
          { credentials: { oauthClient: { token_endpoint_auth_method: 'private_key_jwt' } } },
        ),
        'settings.oauthClient.jwks',
      ],
      [
        'CC-16 a jwks_uri over plain http',
        oidcApp(
          'native',
          { application_type: 'service', redirect_uris: [], jwks_uri: 'http://keys.example.com/jwks.json' },
          { credentials: { oauthClient: { token_endpoint_auth_method: 'private_key_jwt' } } },
        ),
        'settings.oauthClient.jwks_uri',
      ],
      [
        'CC-16 client_credentials for a native (public) app',
        oidcApp('native', { grant_types: ['client_credentials'] }),
        'settings.oauthClient.grant_types',
      ],
      [
        'response_types token',
        oidcApp('native', { response_types: ['token'] }),
        'settings.oauthClient.response_types[0]',
      ],
    ];
    for (const [name, body, field] of cases) {
      it(`AD-02 ${name} → 400 naming ${field}`, async () => {
        const cause = await refusedCreate(body, field);
        assert.ok(cause.length > field.length + 5, 'the cause says what is wrong');
      });
    }

    it('AD-02 unsafe grants are explained, with the RFC 7591 code as the reason', async () => {
      const response = await admin.call('POST', '/apps', oidcApp('native', { grant_types: ['implicit'] }));
      const cause = assertFieldError(response, 'settings.oauthClient.grant_types');
      assert.match(cause, /implicit/);
      assert.equal(response.body.errorCauses[0].reason, 'invalid_client_metadata');
    });

    it('AD-02 the bounds 0 and 60 s are accepted; public clients always require PKCE', async () => {
      for (const leeway of [0, 60]) {
        const response = await admin.call('POST', '/apps', oidcApp('native', { refresh_token: { leeway } }));
        assert.equal(response.status, 200, response.text);
        assert.equal(response.body.settings.oauthClient.refresh_token.leeway, leeway);
        assert.equal(response.body.credentials.oauthClient.pkce_required, true);
      }
      appCount += 2;
    });

    it('AD-02 turning PKCE off or adding an unsafe grant later is refused too', async () => {
      const appId = server.nativePub.client.clientId;
      const off = { credentials: { oauthClient: { pkce_required: false } } };
      assertFieldError(
        await admin.call('PUT', `/apps/${appId}`, off),
        'credentials.oauthClient.pkce_required',
      );
      const implicit = { settings: { oauthClient: { grant_types: ['authorization_code', 'implicit'] } } };
      assertFieldError(
        await admin.call('PUT', `/apps/${appId}`, implicit),
        'settings.oauthClient.grant_types',
      );
      const stored = await server.deps.store.clients.get(appId);
      assert.equal(stored?.pkceRequired, true);
      assert.deepEqual(stored?.grantTypes, ['authorization_code', 'refresh_token']);
    });
  });

  describe('Okta shape checks', () => {
    it('requires name oidc_client, a label and the OAuth settings', async () => {
      await refusedCreate({ ...oidcApp('native'), name: 'bookmark' }, 'name');
      const { label: _label, ...noLabel } = oidcApp('native');
      await refusedCreate(noLabel, 'label');
      await refusedCreate(
        { name: 'oidc_client', label: 'x', settings: { oauthClient: { application_type: 'native' } } },
        REDIRECT_URIS,
      );
      await refusedCreate(oidcApp('native', {}, { label: ' ' }), 'label');
    });

    it('refuses a chosen client id or secret: both are generated', async () => {
      await refusedCreate(
        oidcApp('web', {}, { credentials: { oauthClient: { client_id: 'my-own-id' } } }),
        'credentials.oauthClient.client_id',
      );
      await refusedCreate(
        oidcApp('web', {}, { credentials: { oauthClient: { client_secret: 'x'.repeat(32) } } }),
        'credentials.oauthClient.client_secret',
      );
    });
  });
});
