// The console session's life (SECURITY-MATRIX AD-01; ASVS 7.3.1, 7.3.2, 7.4.3): 30 minutes idle, 8 hours
// absolute, ended by sign-out, by deactivation, by losing the admin role and by a password change; a
// password prompt before key rotation and user deletion; safe `next` targets (LG-10).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setPassword } from '../../src/accounts/users.ts';
import { ADMIN_PASSWORD, ConsoleClient, createAdmin, signedInConsole } from '../fixtures/console.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

describe('console sessions', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  const status = async (client: ConsoleClient) => (await client.get('/console/users')).response.status;

  it('AD-01 the session ends after 30 idle minutes; activity keeps it alive', async () => {
    const { client } = await signedInConsole(server);
    server.clock.advance(29 * 60);
    assert.equal(await status(client), 200, 'used within the idle window');
    server.clock.advance(29 * 60);
    assert.equal(await status(client), 200, 'the last request restarted the idle window');
    server.clock.advance(30 * 60);
    assert.equal(await status(client), 303);
  });

  it('AD-01 the session ends 8 hours after sign-in, however active', async () => {
    const { client } = await signedInConsole(server);
    for (let minutes = 0; minutes < 8 * 60 - 20; minutes += 20) {
      server.clock.advance(20 * 60);
      assert.equal(await status(client), 200, `after ${minutes + 20} minutes`);
    }
    server.clock.advance(20 * 60);
    assert.equal(await status(client), 303);
  });

  it('AD-01 sign-out ends the session on the server: the old cookie no longer works', async () => {
    const { client } = await signedInConsole(server);
    const cookie = client.jar.header();
    const { response } = await client.post('/console/sign-out');
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/console/sign-in?signed_out=1');
    assert.ok(response.headers.getSetCookie().some((line) => /^__Host-latchkey-admin=;/.test(line)));
    const replay = await fetch(client.url('/console/users'), { redirect: 'manual', headers: { cookie } });
    assert.equal(replay.status, 303);
  });

  it('AD-01 each sign-in gets a new session id', async () => {
    const admin = await createAdmin(server);
    const client = new ConsoleClient(server);
    await client.signIn(admin.login);
    const first = client.jar.get('__Host-latchkey-admin');
    await client.signIn(admin.login);
    const second = client.jar.get('__Host-latchkey-admin');
    assert.ok(first && second && first !== second);
    const replay = await fetch(client.url('/console/users'), {
      redirect: 'manual',
      headers: { cookie: `__Host-latchkey-admin=${first}` },
    });
    assert.equal(replay.status, 303, 'the previous session ended');
  });

  describe('AD-01 the session ends when the admin may no longer use the console', () => {
    const cases: Array<[string, (userId: string) => Promise<unknown>]> = [
      ['deactivated', (id) => server.deps.store.users.update(id, { status: 'DEPROVISIONED' })],
      ['admin role removed', (id) => server.deps.store.users.update(id, { isAdmin: false })],
      [
        'password changed elsewhere',
        async (id) => {
          server.clock.advance(1);
          await setPassword(server.deps, id, 'a brand new passphrase 9');
        },
      ],
    ];
    for (const [name, change] of cases) {
      it(name, async () => {
        const { client, admin } = await signedInConsole(server);
        await change(admin.id);
        assert.equal(await status(client), 303);
      });
    }
  });

  it('AD-01 key rotation asks for the password again; a wrong one stages nothing', async () => {
    const { client } = await signedInConsole(server);
    const next = async () =>
      (await server.deps.store.signingKeys.listForServer('default')).filter((key) => key.status === 'NEXT');
    assert.deepEqual(await next(), []);
    const page = await client.get('/console/servers/default/keys/rotate');
    assert.match(page.html, /<input id="password" name="password" type="password"/);
    const wrong = await client.post('/console/servers/default/keys/rotate', { password: 'not my password' });
    assert.equal(wrong.response.status, 401);
    assert.match(wrong.html, /That password is not correct\./);
    assert.deepEqual(await next(), []);
    const missing = await client.post('/console/servers/default/keys/rotate');
    assert.equal(missing.response.status, 401);
    const right = await client.post('/console/servers/default/keys/rotate', { password: ADMIN_PASSWORD });
    assert.equal(right.response.status, 303);
    assert.equal(right.response.headers.get('location'), '/console/servers/default/keys?done=key-staged');
    assert.equal((await next()).length, 1);
    const [event] = (await server.deps.store.events.list({ serverId: 'default', limit: 5 })).filter(
      (e) => e.type === 'authorization_server.key.rotate',
    );
    assert.match(event?.reason ?? '', /staged the next signing key/);
  });

  it('AD-01 user deletion asks for the password again', async () => {
    const { client } = await signedInConsole(server);
    const victim = await createAdmin(server, 'Temp Person');
    await client.post(`/console/users/${victim.id}/deactivate`);
    const wrong = await client.post(`/console/users/${victim.id}/delete`, { password: 'wrong' });
    assert.equal(wrong.response.status, 401);
    assert.ok(await server.deps.store.users.get(victim.id), 'not deleted');
    const right = await client.post(`/console/users/${victim.id}/delete`, { password: ADMIN_PASSWORD });
    assert.equal(right.response.status, 303);
    assert.equal(await server.deps.store.users.get(victim.id), undefined);
  });

  describe('LG-10 after sign-in, only a console path is followed', () => {
    const cases: Array<[string, string]> = [
      ['/console/users?q=ada', '/console/users?q=ada'],
      ['//evil.example', '/console/apps'],
      ['/console//evil.example', '/console/apps'],
      ['https://evil.example/console', '/console/apps'],
      ['/\\evil.example', '/console/apps'],
      ['/consolex', '/console/apps'],
      ['javascript:alert(1)', '/console/apps'],
    ];
    for (const [next, expected] of cases) {
      it(next, async () => {
        const admin = await createAdmin(server);
        const client = new ConsoleClient(server);
        await client.get('/console/sign-in');
        const { response } = await client.post('/console/sign-in', {
          username: admin.login,
          password: ADMIN_PASSWORD,
          next,
        });
        assert.equal(response.status, 303);
        assert.equal(response.headers.get('location'), expected);
      });
    }
  });
});
