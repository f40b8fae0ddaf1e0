// Contract: authorization servers and scopes, clients, users.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuplicateError } from '../../../src/storage/store.ts';
import {
  accessRow,
  clientRow,
  codeRow,
  type GetStore,
  NOW,
  refreshRow,
  serverRow,
  uid,
  userRow,
} from './fixtures.ts';

const isDuplicate = (entity: string) => (error: unknown) =>
  error instanceof DuplicateError && error.entity === entity;

export function authorizationServerContract(store: GetStore): void {
  describe('authorizationServers', () => {
    it('round-trips, lists and updates servers', async () => {
      const row = serverRow({ refreshTokenAbsoluteSeconds: 7_776_000, status: 'INACTIVE' });
      await store().authorizationServers.create(row);
      assert.deepEqual(await store().authorizationServers.get(row.id), row);
      assert.equal(await store().authorizationServers.get(uid()), undefined);
      assert.ok((await store().authorizationServers.list()).some((s) => s.id === row.id));

      const patch = {
        name: 'renamed',
        audience: 'api://other',
        codeLifetimeSeconds: 120,
        updatedAt: NOW + 9,
      };
      assert.equal(await store().authorizationServers.update(row.id, patch), true);
      assert.deepEqual(await store().authorizationServers.get(row.id), { ...row, ...patch });
      assert.equal(await store().authorizationServers.update(row.id, {}), true);
      assert.equal(await store().authorizationServers.update(uid(), { name: 'x' }), false);
      assert.equal(await store().authorizationServers.update(uid(), {}), false);
      await assert.rejects(store().authorizationServers.create(row), isDuplicate('authorization server'));
    });

    it('adds, lists and deletes scopes per server', async () => {
      const a = serverRow();
      const b = serverRow();
      await store().authorizationServers.create(a);
      await store().authorizationServers.create(b);
      const email = {
        serverId: a.id,
        name: 'email',
        displayName: 'Email',
        description: 'Your email',
        metadataPublish: 'ALL_CLIENTS',
        createdAt: NOW,
      } as const;
      const hidden = { ...email, name: 'admin', metadataPublish: 'NO_CLIENTS' } as const;
      await store().authorizationServers.addScope(email);
      await store().authorizationServers.addScope(hidden);
      await store().authorizationServers.addScope({ ...email, serverId: b.id });
      assert.deepEqual(await store().authorizationServers.listScopes(a.id), [hidden, email]);
      await assert.rejects(store().authorizationServers.addScope(email), isDuplicate('scope'));

      assert.equal(await store().authorizationServers.deleteScope(a.id, 'email'), true);
      assert.equal(await store().authorizationServers.deleteScope(a.id, 'email'), false);
      assert.deepEqual(await store().authorizationServers.listScopes(a.id), [hidden]);
      assert.equal((await store().authorizationServers.listScopes(b.id)).length, 1);
    });
  });
}

export function clientContract(store: GetStore): void {
  describe('clients', () => {
    it('round-trips every field, including arrays, booleans and nulls', async () => {
      const pub = clientRow();
      const web = clientRow({
        applicationType: 'web',
        tokenEndpointAuthMethod: 'client_secret_basic',
        clientSecretHash: 'a'.repeat(64),
        redirectUris: ['https://app.example.com/cb?x=1&y="2"'],
        postLogoutRedirectUris: ['https://app.example.com/'],
        grantTypes: ['authorization_code'],
        pkceRequired: false,
        loopbackAnyPort: true,
        consentMethod: 'REQUIRED',
        refreshRotation: 'STATIC',
        refreshLeewaySeconds: 0,
        status: 'INACTIVE',
      });
      await store().clients.create(pub);
      await store().clients.create(web);
      assert.deepEqual(await store().clients.get(pub.clientId), pub);
      assert.deepEqual(await store().clients.get(web.clientId), web);
      assert.equal(await store().clients.get(uid()), undefined);
      const listed = await store().clients.list();
      assert.deepEqual(
        listed.filter((c) => c.clientId === pub.clientId || c.clientId === web.clientId).length,
        2,
      );
    });

    it('refuses a duplicate client id', async () => {
      const row = clientRow();
      await store().clients.create(row);
      await assert.rejects(store().clients.create({ ...row, name: 'other' }), isDuplicate('client'));
    });

    it('updates fields and reports unknown ids', async () => {
      const row = clientRow();
      await store().clients.create(row);
      const patch = {
        redirectUris: ['http://[::1]/cb'],
        pkceRequired: false,
        clientSecretHash: 'b'.repeat(64),
      };
      assert.equal(await store().clients.update(row.clientId, patch), true);
      assert.deepEqual(await store().clients.get(row.clientId), { ...row, ...patch });
      assert.equal(await store().clients.update(row.clientId, { clientSecretHash: null }), true);
      assert.equal((await store().clients.get(row.clientId))?.clientSecretHash, null);
      assert.equal(await store().clients.update(uid(), { name: 'x' }), false);
    });

    it('deletes a client even when codes, tokens and events refer to it', async () => {
      const row = clientRow();
      await store().clients.create(row);
      await store().authorizationCodes.create(codeRow({ clientId: row.clientId }));
      await store().accessTokens.create(accessRow({ clientId: row.clientId }));
      await store().refreshTokens.create(refreshRow({ clientId: row.clientId }));
      await store().events.append({
        id: uid(),
        time: NOW,
        type: 'app.oauth2.authorize',
        outcome: 'SUCCESS',
        serverId: null,
        clientId: row.clientId,
        userId: null,
        actor: null,
        ip: null,
        error: null,
        reason: 'history',
      });
      assert.equal(await store().clients.delete(row.clientId), true);
      assert.equal(await store().clients.get(row.clientId), undefined);
      assert.equal(await store().clients.delete(row.clientId), false);
      assert.equal((await store().events.list({ clientId: row.clientId, limit: 5 })).length, 1);
    });
  });
}

export function userContract(store: GetStore): void {
  describe('users', () => {
    it('round-trips every field', async () => {
      const full = userRow({ isAdmin: true, lockedUntil: NOW + 60, failedLogins: 2 });
      const sparse = userRow({
        givenName: null,
        familyName: null,
        passwordHash: null,
        passwordChangedAt: null,
      });
      await store().users.create(full);
      await store().users.create(sparse);
      assert.deepEqual(await store().users.get(full.id), full);
      assert.deepEqual(await store().users.get(sparse.id), sparse);
      assert.equal(await store().users.get(uid()), undefined);
    });

    it('treats logins case-insensitively: lookup and uniqueness', async () => {
      const row = userRow({ login: `${uid('Mixed.Case-')}@Example.com` });
      await store().users.create(row);
      assert.deepEqual(await store().users.getByLogin(row.login.toUpperCase()), row);
      assert.deepEqual(await store().users.getByLogin(row.login.toLowerCase()), row);
      await assert.rejects(
        store().users.create(userRow({ login: row.login.toLowerCase() })),
        isDuplicate('user'),
      );
      assert.equal(await store().users.getByLogin(uid()), undefined);
    });

    it('updates, follows login changes and refuses a taken login', async () => {
      const a = userRow();
      const b = userRow();
      await store().users.create(a);
      await store().users.create(b);
      const login = uid('Renamed-');
      assert.equal(await store().users.update(a.id, { login, status: 'DEPROVISIONED', isAdmin: true }), true);
      assert.deepEqual(await store().users.getByLogin(login.toLowerCase()), {
        ...a,
        login,
        status: 'DEPROVISIONED',
        isAdmin: true,
      });
      assert.equal(await store().users.getByLogin(a.login), undefined);
      await assert.rejects(store().users.update(b.id, { login: login.toUpperCase() }), isDuplicate('user'));
      assert.equal(await store().users.update(uid(), { name: 'x' }), false);
      assert.equal(await store().users.update(b.id, {}), true);
    });

    it('lists by login with a limit, `after` paging and a case-insensitive search', async () => {
      const tag = uid('t').replaceAll('-', '');
      const rows = [
        userRow({ login: `${tag}-Carol`, email: 'carol@example.com', name: 'Carol' }),
        userRow({ login: `${tag}-alice`, email: 'alice@example.com', name: 'Alice 100%' }),
        userRow({ login: `${tag}-bob`, email: `BOB.${tag}@Example.com`, name: 'Bob' }),
      ];
      for (const row of rows) await store().users.create(row);
      const logins = (list: { login: string }[]) => list.map((u) => u.login);

      const page1 = await store().users.list({ limit: 2, search: tag.toUpperCase() });
      assert.deepEqual(logins(page1), [`${tag}-alice`, `${tag}-bob`]);
      const page2 = await store().users.list({ limit: 2, search: tag, after: page1[1]?.login ?? '' });
      assert.deepEqual(logins(page2), [`${tag}-Carol`]);
      assert.deepEqual(logins(await store().users.list({ limit: 10, search: `bob.${tag}` })), [`${tag}-bob`]);
      assert.equal((await store().users.list({ limit: 10, search: `${tag}_alice` })).length, 0);
      assert.equal((await store().users.list({ limit: 10, search: `${tag}%` })).length, 0);
      assert.ok((await store().users.list({ limit: 10 })).length >= 3);
    });

    it('LG-03: counts failures and locks at the threshold', async () => {
      const row = userRow();
      await store().users.create(row);
      const policy = { now: NOW, threshold: 3, lockSeconds: 900 };
      const { users } = store();
      // Failures count; the one that reaches the threshold locks and says so.
      for (let i = 1; i <= 3; i++) {
        assert.equal(await users.beginLogin(row.id, policy), true);
        assert.equal(await users.failLogin(row.id, policy), i === 3);
      }
      assert.deepEqual(await users.get(row.id), { ...row, failedLogins: 3, lockedUntil: NOW + 900 });
      assert.equal(await users.beginLogin(row.id, policy), false, 'locked: no attempt starts');
      // Once the lock has ended, counting starts again; a success clears the failures.
      const later = { ...policy, now: NOW + 900 };
      assert.equal(await users.beginLogin(row.id, later), true);
      assert.deepEqual(await users.get(row.id), { ...row, failedLogins: 0, lockedUntil: null });
      assert.equal(await users.failLogin(row.id, later), false);
      assert.equal(await users.beginLogin(row.id, later), true);
      assert.equal(await users.completeLogin(row.id, later), true);
      assert.deepEqual(await users.get(row.id), { ...row, failedLogins: 0, lockedUntil: null });
      for (let i = 0; i < 3; i++)
        await users.beginLogin(row.id, later).then(() => users.failLogin(row.id, later));
      await users.resetFailedLogins(row.id);
      assert.deepEqual(await users.get(row.id), { ...row, failedLogins: 0, lockedUntil: null });
      assert.equal(await users.beginLogin(uid(), policy), false);
    });

    it('LG-03: concurrent attempts: no more than `threshold` start, and an earlier success is refused once locked', async () => {
      const row = userRow();
      await store().users.create(row);
      const { users } = store();
      const policy = { now: NOW, threshold: 5, lockSeconds: 60 };
      const started = await Promise.all(Array.from({ length: 40 }, () => users.beginLogin(row.id, policy)));
      assert.equal(started.filter(Boolean).length, 5, 'attempts in flight count towards the threshold');
      assert.deepEqual(await users.get(row.id), { ...row, failedLogins: 0, lockedUntil: null });
      for (let i = 0; i < 4; i++) await users.failLogin(row.id, policy);
      assert.equal(await users.failLogin(row.id, policy), true, 'the fifth failure locks');
      assert.equal(await users.beginLogin(row.id, policy), false);
      assert.equal((await users.get(row.id))?.lockedUntil, NOW + 60);
    });

    it('LG-03: right passwords checked at once do not lock their own account', async () => {
      const row = userRow();
      await store().users.create(row);
      const { users } = store();
      const policy = { now: NOW, threshold: 5, lockSeconds: 60 };
      for (let round = 0; round < 3; round++) {
        const started = await Promise.all(Array.from({ length: 5 }, () => users.beginLogin(row.id, policy)));
        assert.deepEqual(started, [true, true, true, true, true]);
        const done = await Promise.all(started.map(() => users.completeLogin(row.id, policy)));
        assert.deepEqual(done, [true, true, true, true, true]);
      }
      assert.deepEqual(await users.get(row.id), { ...row, failedLogins: 0, lockedUntil: null });
    });

    it('LG-03: a success is refused when failures beside it locked the account', async () => {
      const row = userRow();
      await store().users.create(row);
      const { users } = store();
      const policy = { now: NOW, threshold: 3, lockSeconds: 60 };
      for (let i = 0; i < 3; i++) assert.equal(await users.beginLogin(row.id, policy), true);
      await users.failLogin(row.id, policy);
      await users.failLogin(row.id, policy);
      assert.equal(await users.completeLogin(row.id, policy), true, 'not locked yet: the success clears');
      for (let i = 0; i < 3; i++) assert.equal(await users.beginLogin(row.id, policy), true);
      await users.failLogin(row.id, policy);
      await users.failLogin(row.id, policy);
      assert.equal(await users.beginLogin(row.id, policy), false, 'two failures and one in flight: full');
      assert.equal((await users.get(row.id))?.lockedUntil, null);
    });

    it('LG-03: attempts left in flight by a process that died lapse after a minute', async () => {
      const row = userRow();
      await store().users.create(row);
      const { users } = store();
      const policy = { now: NOW, threshold: 2, lockSeconds: 60 };
      assert.equal(await users.beginLogin(row.id, policy), true);
      assert.equal(await users.beginLogin(row.id, policy), true);
      assert.equal(await users.beginLogin(row.id, policy), false);
      assert.equal(await users.beginLogin(row.id, { ...policy, now: NOW + 61 }), true);
    });
  });
}
