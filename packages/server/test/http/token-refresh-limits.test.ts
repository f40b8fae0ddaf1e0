// What a refresh may not do: widen the scope (RT-05), outlive the idle or absolute lifetime (RT-06), or
// serve a user who may no longer sign in (RT-07). SECURITY-MATRIX §E; OKTA-COMPAT §5.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser, deactivateUser } from '../../src/accounts/users.ts';
import type { UserRow } from '../../src/storage/store.ts';
import { expectInvalidRefresh, obtainTokens, refresh, refreshRowOf } from '../fixtures/refresh-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import { claimsOf, expectTokenError, expectTokens } from '../fixtures/token-assertions.ts';

const WEEK = 7 * 24 * 3600;
const SERVER_CACHE_SECONDS = 6;

describe('/v1/token refresh limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it('RT-05 a narrower scope narrows the AT (and the ID token); the rotated RT keeps the original scope', async () => {
    const first = await obtainTokens(server);
    const original = 'openid profile email offline_access';
    assert.equal(first.scope, original);

    const narrowed = await expectTokens(
      await refresh(server, 'nativePub', first.refresh_token ?? '', { scope: 'email openid' }),
    );
    assert.equal(narrowed.scope, 'openid email');
    assert.deepEqual(claimsOf(narrowed.access_token)['scp'], ['openid', 'email']);
    const idToken = claimsOf(narrowed.id_token ?? '');
    assert.equal(idToken['email'], server.user.email);
    assert.equal('name' in idToken, false);
    assert.equal((await refreshRowOf(server, narrowed.refresh_token ?? '')).scope, original);

    const withoutOpenid = await expectTokens(
      await refresh(server, 'nativePub', narrowed.refresh_token ?? '', { scope: 'profile' }),
    );
    assert.equal(withoutOpenid.scope, 'profile');
    assert.equal(withoutOpenid.id_token, undefined);
    assert.ok(withoutOpenid.refresh_token);

    const full = await expectTokens(await refresh(server, 'nativePub', withoutOpenid.refresh_token ?? ''));
    assert.equal(full.scope, original);
    assert.ok(full.id_token);
  });

  it('RT-05 a scope that adds admin: 400 invalid_scope, and the RT is not consumed', async () => {
    const token = (await obtainTokens(server)).refresh_token ?? '';
    await expectTokenError(await refresh(server, 'nativePub', token, { scope: 'openid admin' }), {
      status: 400,
      error: 'invalid_scope',
      description:
        'Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: [admin].',
    });
    assert.equal((await refreshRowOf(server, token)).rotatedAt, null);
    await expectTokens(await refresh(server, 'nativePub', token));
  });

  for (const app of ['nativePub', 'webConf'] as const) {
    it(`RT-06 ${app}: each use restarts the idle window; idle longer than it → invalid_grant`, async () => {
      let token = (await obtainTokens(server, app)).refresh_token ?? '';
      // 12 days of use, never idle for a week: the window restarts each time.
      for (let use = 0; use < 2; use += 1) {
        server.clock.advance(WEEK - 24 * 3600);
        token = (await expectTokens(await refresh(server, app, token))).refresh_token ?? '';
      }
      server.clock.advance(WEEK);
      await expectInvalidRefresh(await refresh(server, app, token));
    });

    it(`RT-06 ${app}: a family older than the absolute lifetime despite continuous use → invalid_grant`, async () => {
      const { store } = server.deps;
      await store.authorizationServers.update('default', { refreshTokenAbsoluteSeconds: 7200 });
      server.clock.advance(SERVER_CACHE_SECONDS);
      try {
        const first = await obtainTokens(server, app);
        const expiresAt = (await refreshRowOf(server, first.refresh_token ?? '')).expiresAt;
        assert.equal(expiresAt, server.clock.now() + 7200);
        let token = first.refresh_token ?? '';
        for (let minute = 30; minute < 120; minute += 30) {
          server.clock.advance(1800);
          token = (await expectTokens(await refresh(server, app, token))).refresh_token ?? '';
          assert.equal((await refreshRowOf(server, token)).expiresAt, expiresAt);
        }
        server.clock.advance(1800);
        await expectInvalidRefresh(await refresh(server, app, token));
      } finally {
        await store.authorizationServers.update('default', { refreshTokenAbsoluteSeconds: 0 });
        server.clock.advance(SERVER_CACHE_SECONDS);
      }
    });
  }

  describe('RT-07 a user who may no longer sign in gets no new tokens', () => {
    let user: UserRow;
    const password = `${TEST_PASSWORD} of bob`;
    const signInAsBob = async () =>
      (await obtainTokens(server, 'nativePub', { credentials: { username: user.login, password } }))
        .refresh_token ?? '';
    before(async () => {
      user = await createUser(server.deps, { email: 'bob@example.com', name: 'Bob', password });
    });

    it('LG-14 a brute-force lock blocks password sign-in only: the locked user keeps refreshing', async () => {
      const token = await signInAsBob();
      await server.deps.store.users.update(user.id, { lockedUntil: server.clock.now() + 600 });
      const refreshed = await expectTokens(await refresh(server, 'nativePub', token));
      assert.ok(refreshed.refresh_token && refreshed.access_token);
      await server.deps.store.users.resetFailedLogins(user.id);
    });

    it('RT-07 user deactivated: invalid_grant, no new AT', async () => {
      const token = await signInAsBob();
      await deactivateUser(server.deps, user.id);
      await expectInvalidRefresh(await refresh(server, 'nativePub', token));
      assert.equal((await refreshRowOf(server, token)).rotatedAt, null);
    });

    it.todo(
      'RT-07 admin revokes consent: consent revocation does not end refresh tokens yet ' +
        '(deletion and password change: sessions-revocation.test.ts)',
    );
  });
});
