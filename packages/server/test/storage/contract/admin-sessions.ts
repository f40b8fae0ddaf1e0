// Contract: console sessions (separate from SSO sessions, AD-01) and the admin filter of users.list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdminSessionRow } from '../../../src/storage/store.ts';
import { type GetStore, NOW, uid, userRow } from './fixtures.ts';

const adminSessionRow = (o: Partial<AdminSessionRow> = {}): AdminSessionRow => ({
  idHash: uid('hash'),
  userId: uid('00u'),
  createdAt: NOW,
  lastActiveAt: NOW,
  expiresAt: NOW + 8 * 3600,
  revokedAt: null,
  ...o,
});

export function adminSessionContract(store: GetStore): void {
  describe('adminSessions', () => {
    it('returns live sessions only, and never from the SSO session table', async () => {
      const row = adminSessionRow();
      await store().adminSessions.create(row);
      assert.deepEqual(await store().adminSessions.get(row.idHash, NOW), row);
      assert.equal(await store().sessions.get(row.idHash, NOW), undefined);
      assert.equal(await store().adminSessions.get(row.idHash, row.expiresAt), undefined);
      await store().adminSessions.touch(row.idHash, NOW + 30);
      assert.equal((await store().adminSessions.get(row.idHash, NOW + 30))?.lastActiveAt, NOW + 30);
      await store().adminSessions.revoke(row.idHash, NOW + 40);
      assert.equal(await store().adminSessions.get(row.idHash, NOW + 41), undefined);
    });

    it('revokes every live session of one user', async () => {
      const userId = uid();
      const live = [adminSessionRow({ userId }), adminSessionRow({ userId })];
      const other = adminSessionRow();
      for (const row of [...live, other]) await store().adminSessions.create(row);
      assert.equal(await store().adminSessions.revokeForUser(userId, NOW), 2);
      for (const row of live) assert.equal(await store().adminSessions.get(row.idHash, NOW), undefined);
      assert.deepEqual(await store().adminSessions.get(other.idHash, NOW), other);
    });

    it('lists only admins when asked', async () => {
      const tag = uid('adm').slice(0, 12).toLowerCase();
      const admin = userRow({ login: `${tag}-a@example.com`, isAdmin: true });
      const plain = userRow({ login: `${tag}-b@example.com`, isAdmin: false });
      await store().users.create(admin);
      await store().users.create(plain);
      const ids = async (query: { admin?: boolean }) =>
        (await store().users.list({ limit: 10, search: tag, ...query })).map((user) => user.id);
      assert.deepEqual(await ids({ admin: true }), [admin.id]);
      assert.deepEqual(await ids({ admin: false }), [plain.id]);
      assert.deepEqual(await ids({}), [admin.id, plain.id]);
    });

    // Issue 12: the console's Post/Redirect/Get state, keyed by the admin session.
    it('a flash is read once, by its session only, and not after it expires', async () => {
      const sessionHash = uid('sess');
      const subject = `client:${uid('0oa')}`;
      await store().consoleState.putFlash({ sessionHash, subject, sealed: 'jwe-1', expiresAt: NOW + 60 });
      await store().consoleState.putFlash({ sessionHash, subject, sealed: 'jwe-2', expiresAt: NOW + 60 });
      assert.equal(await store().consoleState.takeFlash(uid('other'), subject, NOW), undefined);
      assert.equal(await store().consoleState.takeFlash(sessionHash, 'client:else', NOW), undefined);
      assert.equal(await store().consoleState.takeFlash(sessionHash, subject, NOW), 'jwe-2');
      assert.equal(await store().consoleState.takeFlash(sessionHash, subject, NOW), undefined);
      await store().consoleState.putFlash({ sessionHash, subject, sealed: 'jwe-3', expiresAt: NOW + 60 });
      assert.equal(await store().consoleState.takeFlash(sessionHash, subject, NOW + 60), undefined);
    });

    it('a form token is spent once (of concurrent uses exactly one wins), then swept after it expires', async () => {
      const row = { tokenHash: uid('form'), sessionHash: uid('sess'), expiresAt: NOW + 60 };
      const results = await Promise.all(
        Array.from({ length: 5 }, () => store().consoleState.spendFormToken(row)),
      );
      assert.deepEqual(
        results.filter((won) => won),
        [true],
      );
      assert.equal(await store().consoleState.spendFormToken(row), false);
      assert.ok((await store().retention.sweep('consoleState', NOW + 60, 500)) >= 1);
      assert.equal(await store().consoleState.spendFormToken(row), true, 'swept');
    });
  });
}
