// Users in the console (issue 5): list and search, create (the password policy's reason next to the field),
// set password, unlock, sign out everywhere, deactivate; an admin cannot lock themselves out.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authenticatePassword, LOCKOUT_THRESHOLD } from '../../src/accounts/authenticate.ts';
import type { UserRow } from '../../src/storage/store.ts';
import { obtainCode, redeem } from '../fixtures/browser-flow.ts';
import { type ConsoleClient, fieldError, signedInConsole } from '../fixtures/console.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';

const NEW_PASSWORD = 'juniper harbour signal 88';

describe('console users', () => {
  let server: TestServer;
  let console: ConsoleClient;
  let admin: UserRow;
  before(async () => {
    server = await startTestServer();
    ({ client: console, admin } = await signedInConsole(server));
  });
  after(async () => server.close());

  const userIdOf = (location: string | null): string =>
    /\/console\/users\/(00u\w+)/.exec(location ?? '')?.[1] ?? '';

  it('creates a user; the policy reason shows next to the password field', async () => {
    const weak = await console.post('/console/users', {
      name: 'Carol Tester',
      email: 'carol@example.com',
      password: '12345678',
    });
    assert.equal(weak.response.status, 400);
    assert.match(fieldError(weak.html, 'password') ?? '', /too common/);
    assert.match(
      weak.html,
      /<input id="email" name="email" type="email" value="carol@example.com"/,
      'the form keeps what was typed',
    );
    assert.equal(await server.deps.store.users.getByLogin('carol@example.com'), undefined);

    const email = await console.post('/console/users', {
      name: 'Carol Tester',
      email: 'carol',
      password: NEW_PASSWORD,
    });
    assert.match(fieldError(email.html, 'email') ?? '', /is not an email address/);

    const created = await console.post('/console/users', {
      name: 'Carol Tester',
      email: 'carol@example.com',
      password: NEW_PASSWORD,
    });
    assert.equal(created.response.status, 303);
    const user = await server.deps.store.users.get(userIdOf(created.response.headers.get('location')));
    assert.equal(user?.login, 'carol@example.com');
    assert.equal(user?.isAdmin, false);
    assert.equal((await authenticatePassword(server.deps, 'carol@example.com', NEW_PASSWORD)).ok, true);

    const duplicate = await console.post('/console/users', {
      name: 'Carol Again',
      email: 'carol@example.com',
    });
    assert.match(fieldError(duplicate.html, 'login') ?? '', /already exists/);
  });

  it('lists and searches users with ?q=', async () => {
    const all = await console.get('/console/users');
    assert.match(all.html, /alice@example\.com/);
    const found = await console.get('/console/users?q=liddell');
    assert.match(found.html, /Alice Liddell/);
    assert.doesNotMatch(found.html, /Carol Tester/);
    const none = await console.get('/console/users?q=%25');
    assert.match(none.html, /No matching users/, 'a % is searched for literally');
  });

  it('unlocks a locked user', async () => {
    for (let i = 0; i < LOCKOUT_THRESHOLD; i += 1)
      await authenticatePassword(server.deps, server.user.login, 'wrong');
    const locked = await console.get(`/console/users/${server.user.id}`);
    assert.match(locked.html, /badge-warning">Locked</);
    assert.equal((await authenticatePassword(server.deps, server.user.login, TEST_PASSWORD)).ok, false);
    const { response } = await console.post(`/console/users/${server.user.id}/unlock`);
    assert.equal(response.headers.get('location'), `/console/users/${server.user.id}?done=user-unlocked`);
    assert.equal((await authenticatePassword(server.deps, server.user.login, TEST_PASSWORD)).ok, true);
  });

  it('signs a user out everywhere: their refresh tokens stop working', async () => {
    const { code, pkce, redirectUri } = await obtainCode(server);
    const tokens = await (
      await redeem(server, {
        grant_type: 'authorization_code',
        client_id: server.nativePub.client.clientId,
        redirect_uri: redirectUri,
        code,
        code_verifier: pkce.verifier,
      })
    ).json();
    const { response } = await console.post(`/console/users/${server.user.id}/sign-out`);
    assert.equal(response.status, 303);
    const refresh = await redeem(server, {
      grant_type: 'refresh_token',
      client_id: server.nativePub.client.clientId,
      refresh_token: tokens.refresh_token,
    });
    assert.equal(refresh.status, 400);
    const [event] = (await server.deps.store.events.list({ userId: server.user.id, limit: 20 })).filter(
      (e) => e.type === 'user.session.clear',
    );
    assert.match(
      event?.reason ?? '',
      /signed alice@example\.com out everywhere: \d+ session\(s\), 1 refresh token\(s\)/,
    );
  });

  it('sets a password (the policy applies) and deactivates and activates a user', async () => {
    const user = await server.deps.store.users.getByLogin('carol@example.com');
    assert.ok(user);
    const weak = await console.post(`/console/users/${user.id}/password`, { password: 'short' });
    assert.equal(weak.response.status, 400);
    assert.match(fieldError(weak.html, 'new-password') ?? '', /at least 8 characters/);
    const set = await console.post(`/console/users/${user.id}/password`, {
      password: 'another fine passphrase 1',
    });
    assert.equal(set.response.headers.get('location'), `/console/users/${user.id}?done=password-set`);
    assert.equal((await authenticatePassword(server.deps, user.login, 'another fine passphrase 1')).ok, true);

    await console.post(`/console/users/${user.id}/deactivate`);
    assert.equal((await server.deps.store.users.get(user.id))?.status, 'DEPROVISIONED');
    await console.post(`/console/users/${user.id}/activate`);
    assert.equal((await server.deps.store.users.get(user.id))?.status, 'ACTIVE');
  });

  it('an admin cannot deactivate or delete their own account', async () => {
    const page = await console.get(`/console/users/${admin.id}`);
    assert.match(page.html, /This is your own account/);
    const { response, html } = await console.post(`/console/users/${admin.id}/deactivate`);
    assert.equal(response.status, 400);
    assert.match(html, /You cannot deactivate or delete your own account/);
    assert.equal((await server.deps.store.users.get(admin.id))?.status, 'ACTIVE');
  });

  it('an admin changing their own password stays signed in with a new session', async () => {
    const before = console.jar.get('__Host-latchkey-admin');
    server.clock.advance(1);
    const { response } = await console.post(`/console/users/${admin.id}/password`, {
      password: NEW_PASSWORD,
    });
    assert.equal(response.status, 303);
    const after = console.jar.get('__Host-latchkey-admin');
    assert.ok(after && after !== before);
    assert.equal((await console.get('/console/users')).response.status, 200);
  });
});
