// /api/v1/users: Okta's user shape; create, read, partial update and password set; activate, deactivate,
// unlock; DELETE as at Okta (deactivate first, then delete). A password is never returned, a refused
// request writes nothing, and ending a user ends their sessions and tokens.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyPassword } from '../../src/accounts/passwords.ts';
import { type AdminApi, adminApi, assertFieldError, assertOktaError } from '../fixtures/admin-api.ts';
import { signInWithTokens } from '../fixtures/session-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { assertActive, assertInactive } from '../fixtures/token-endpoints.ts';

const PASSWORD = 'a long and unusual passphrase 7';

describe('admin API users', () => {
  let server: TestServer;
  let admin: AdminApi;

  before(async () => {
    server = await startTestServer();
    admin = await adminApi(server);
  });
  after(async () => server.close());

  const newUser = (login: string, extra: Record<string, unknown> = {}) => ({
    profile: { firstName: 'Bob', lastName: 'Builder', email: login, login },
    ...extra,
  });

  it('creates a user with a password; the response never holds it', async () => {
    const created = await admin.call(
      'POST',
      '/users',
      newUser('bob@example.com', { credentials: { password: { value: PASSWORD } } }),
    );
    assert.equal(created.status, 200, created.text);
    assert.match(created.body.id, /^00u[A-Za-z0-9]{17}$/);
    assert.equal(created.body.status, 'ACTIVE');
    assert.deepEqual(created.body.profile, {
      login: 'bob@example.com',
      email: 'bob@example.com',
      firstName: 'Bob',
      lastName: 'Builder',
      displayName: 'Bob Builder',
    });
    assert.deepEqual(created.body.credentials, { password: {}, provider: { type: 'OKTA', name: 'OKTA' } });
    assert.ok(!created.text.includes(PASSWORD) && !created.text.includes('argon2'), 'no password, no hash');
    const row = await server.deps.store.users.get(created.body.id);
    assert.ok(
      row?.passwordHash && (await verifyPassword(row.passwordHash, PASSWORD)),
      'the password was set',
    );
    const fetched = await admin.call('GET', '/users/bob@example.com');
    assert.deepEqual(fetched.body, created.body);
  });

  it('refuses bad input with the field and writes nothing', async () => {
    const count = async () => (await server.deps.store.users.list({ limit: 100 })).length;
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ profile: { firstName: 'No', email: 'not-an-email' } }, 'profile.email'],
      [{ profile: { firstName: 'No' } }, 'profile.email'],
      [{ profile: { email: 'x@example.com' } }, 'profile.firstName'],
      [
        newUser('weak@example.com', { credentials: { password: { value: 'short' } } }),
        'credentials.password.value',
      ],
      [
        newUser('weak2@example.com', { credentials: { password: { value: 'password' } } }),
        'credentials.password.value',
      ],
      [newUser('ALICE@example.com'), 'profile.login'],
      [{ profile: 'bob' }, 'profile'],
    ];
    for (const [body, field] of cases) assertFieldError(await admin.call('POST', '/users', body), field);
    assert.equal(await count(), before);
  });

  it('lists by login, searches with q and pages with a Link header', async () => {
    for (const name of ['carol', 'dave', 'erin'])
      await admin.call('POST', '/users', newUser(`${name}@example.org`));
    const found = await admin.call('GET', '/users?q=example.org');
    assert.deepEqual(
      found.body.map((user: { profile: { login: string } }) => user.profile.login),
      ['carol@example.org', 'dave@example.org', 'erin@example.org'],
    );
    const first = await admin.call('GET', '/users?q=example.org&limit=2');
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1] ?? '';
    assert.equal(new URL(next).searchParams.get('after'), 'dave@example.org');
    const rest = await admin.call('GET', `/users?${new URL(next).searchParams}`);
    assert.deepEqual(
      rest.body.map((user: { profile: { login: string } }) => user.profile.login),
      ['erin@example.org'],
    );
  });

  it('changes the profile; a refused change (weak password) changes nothing', async () => {
    const { body: user } = await admin.call('POST', '/users', newUser('frank@example.com'));
    const changed = await admin.call('POST', `/users/${user.id}`, {
      profile: { email: 'frank@example.net', lastName: null },
    });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.profile.email, 'frank@example.net');
    assert.equal(changed.body.profile.lastName, null);
    assert.equal(changed.body.profile.login, 'frank@example.com');
    const refused = await admin.call('POST', `/users/${user.id}`, {
      profile: { email: 'frank@changed.example' },
      credentials: { password: { value: '12345678' } },
    });
    assertFieldError(refused, 'credentials.password.value');
    assert.equal((await admin.call('GET', `/users/${user.id}`)).body.profile.email, 'frank@example.net');
    assertFieldError(
      await admin.call('POST', `/users/${user.id}`, { profile: { login: 'alice@example.com' } }),
      'profile.login',
    );
  });

  it("sets a password, which ends the user's sessions and tokens", async () => {
    const login = 'gina@example.com';
    const { body: user } = await admin.call(
      'POST',
      '/users',
      newUser(login, { credentials: { password: { value: PASSWORD } } }),
    );
    const { tokens } = await signInWithTokens(server, {
      credentials: { username: login, password: PASSWORD },
    });
    await assertActive(server, tokens.access_token);
    const set = await admin.call('POST', `/users/${user.id}`, {
      credentials: { password: { value: `${PASSWORD}!` } },
    });
    assert.equal(set.status, 200, set.text);
    await assertInactive(server, tokens.access_token);
    if (tokens.refresh_token) await assertInactive(server, tokens.refresh_token);
    const row = await server.deps.store.users.get(user.id);
    assert.ok(
      row?.passwordHash && (await verifyPassword(row.passwordHash, `${PASSWORD}!`)),
      'the new password was set',
    );
    const types = (await server.deps.store.events.list({ userId: user.id, limit: 20 })).map(
      (event) => event.type,
    );
    assert.ok(types.includes('user.account.update_password'), types.join());
  });

  it('deactivates, activates and unlocks', async () => {
    const { body: user } = await admin.call('POST', '/users', newUser('hank@example.com'));
    const deactivated = await admin.call('POST', `/users/${user.id}/lifecycle/deactivate`);
    assert.equal(deactivated.status, 200);
    assert.deepEqual(deactivated.body, {});
    assert.equal((await admin.call('GET', `/users/${user.id}`)).body.status, 'DEPROVISIONED');
    assertFieldError(await admin.call('POST', `/users/${user.id}/lifecycle/unlock`), 'status');
    assert.equal((await admin.call('POST', `/users/${user.id}/lifecycle/activate`)).status, 200);
    assert.equal((await admin.call('GET', `/users/${user.id}`)).body.status, 'ACTIVE');
    assertFieldError(await admin.call('POST', `/users/${user.id}/lifecycle/activate`), 'status');
    await server.deps.store.users.update(user.id, { failedLogins: 3, lockedUntil: server.clock.now() + 900 });
    assert.equal((await admin.call('GET', `/users/${user.id}`)).body.status, 'LOCKED_OUT');
    assert.equal((await admin.call('POST', `/users/${user.id}/lifecycle/unlock`)).status, 200);
    const row = await server.deps.store.users.get(user.id);
    assert.deepEqual([row?.failedLogins, row?.lockedUntil, row?.status], [0, null, 'ACTIVE']);
  });

  it('DELETE deactivates an active user first, then deletes with sessions, tokens and consents', async () => {
    const login = 'ivy@example.com';
    const { body: user } = await admin.call(
      'POST',
      '/users',
      newUser(login, { credentials: { password: { value: PASSWORD } } }),
    );
    const { tokens } = await signInWithTokens(server, {
      credentials: { username: login, password: PASSWORD },
    });
    await server.deps.store.consents.put({
      userId: user.id,
      clientId: server.nativePub.client.clientId,
      serverId: 'default',
      scopes: ['openid'],
      createdAt: server.clock.now(),
      updatedAt: server.clock.now(),
    });
    assert.equal((await admin.call('DELETE', `/users/${user.id}`)).status, 204);
    assert.equal((await admin.call('GET', `/users/${user.id}`)).body.status, 'DEPROVISIONED');
    await assertInactive(server, tokens.access_token);
    assert.equal((await admin.call('DELETE', `/users/${user.id}`)).status, 204);
    assertOktaError(
      await admin.call('GET', `/users/${user.id}`),
      404,
      'E0000007',
      `Not found: Resource not found: ${user.id} (User)`,
    );
    assert.deepEqual(await server.deps.store.consents.listForUser(user.id), []);
    const types = (await server.deps.store.events.list({ userId: user.id, limit: 20 })).map(
      (event) => event.type,
    );
    for (const type of ['user.lifecycle.create', 'user.lifecycle.deactivate', 'user.lifecycle.delete']) {
      assert.ok(types.includes(type), `${type} in ${types.join()}`);
    }
  });

  it('answers 404 E0000007 for an unknown user on every user route', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/users/00unknown'],
      ['POST', '/users/00unknown', { profile: { email: 'x@example.com' } }],
      ['DELETE', '/users/00unknown'],
      ['POST', '/users/00unknown/lifecycle/activate'],
      ['POST', '/users/00unknown/lifecycle/deactivate'],
      ['POST', '/users/00unknown/lifecycle/unlock'],
    ];
    for (const [method, path, body] of routes) {
      assertOktaError(
        await admin.call(method, path, body),
        404,
        'E0000007',
        'Not found: Resource not found: 00unknown (User)',
      );
    }
  });
});
