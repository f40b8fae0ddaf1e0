// RU-04, RU-05, RU-09 registration side: services/apps.ts (behind the CLI, console and admin API) refuses
// wildcards, fragments, non-loopback http, script/data/file schemes in any letter case and relative URIs with
// ValidationError code `invalid_redirect_uri`, for sign-in and sign-out URIs alike (RFC 9700 §2.6, RFC 8252).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/deps.ts';
import { type AppSettings, createApp, updateApp } from '../../src/services/apps.ts';
import { ValidationError } from '../../src/services/errors.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';

describe('redirect URI registration (services/apps.ts)', () => {
  let store: Store;
  let deps: { store: Store; clock: ManualClock };
  before(async () => {
    store = await openStore('sqlite::memory:');
    deps = { store, clock: new ManualClock() };
  });
  after(async () => store.close());

  const register = (settings: Partial<AppSettings>) =>
    createApp(deps, {
      name: 'Registration test',
      applicationType: 'web',
      redirectUris: ['https://app.example.com/cb'],
      ...settings,
    });
  const refused = (field: string) => (error: unknown) => {
    assert.ok(error instanceof ValidationError, String(error));
    assert.deepEqual({ code: error.code, field: error.field }, { code: 'invalid_redirect_uri', field });
    return true;
  };

  for (const [row, uri] of [
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
  ] as const) {
    it(`${row} registering ${uri} gives invalid_redirect_uri`, async () => {
      for (const type of ['web', 'native', 'browser'] as const) {
        await assert.rejects(
          register({ applicationType: type, redirectUris: [uri] }),
          refused('redirect_uris'),
        );
        await assert.rejects(
          register({
            applicationType: type,
            postLogoutRedirectUris: [uri],
            redirectUris: ['http://127.0.0.1/cb'],
          }),
          refused('post_logout_redirect_uris'),
        );
      }
    });
  }

  it('RU-09 http://localhost:PORT and the private-use scheme are accepted', async () => {
    const spa = await register({
      applicationType: 'browser',
      redirectUris: ['http://localhost:8080/callback'],
    });
    assert.deepEqual(spa.client.redirectUris, ['http://localhost:8080/callback']);
    const native = await register({
      applicationType: 'native',
      redirectUris: ['com.example.app:/oauth2redirect', 'http://localhost:8080/callback'],
      postLogoutRedirectUris: ['com.example.app:/logout'],
    });
    assert.deepEqual(native.client.redirectUris, [
      'com.example.app:/oauth2redirect',
      'http://localhost:8080/callback',
    ]);
  });

  it('RU-09 updating an app to a refused URI gives invalid_redirect_uri and changes nothing', async () => {
    const { client } = await register({});
    await assert.rejects(
      updateApp(deps, client.clientId, {
        redirectUris: ['https://app.example.com/cb', 'JavaScript:alert(1)'],
      }),
      refused('redirect_uris'),
    );
    assert.deepEqual((await store.clients.get(client.clientId))?.redirectUris, [
      'https://app.example.com/cb',
    ]);
  });
});
