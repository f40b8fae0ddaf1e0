// Contract: remembered consent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsentRow } from '../../../src/storage/store.ts';
import { type GetStore, NOW, uid } from './fixtures.ts';

const consentRow = (o: Partial<ConsentRow> = {}): ConsentRow => ({
  userId: uid('00u'),
  clientId: uid('0oa'),
  serverId: 'default',
  scopes: ['openid', 'profile'],
  createdAt: NOW,
  updatedAt: NOW,
  ...o,
});

export function consentContract(store: GetStore): void {
  describe('consents', () => {
    it('round-trips, replaces on put, lists per user and revokes', async () => {
      const row = consentRow();
      await store().consents.put(row);
      assert.deepEqual(await store().consents.get(row.userId, row.clientId, row.serverId), row);
      assert.equal(await store().consents.get(row.userId, row.clientId, 'other'), undefined);
      const wider = { ...row, scopes: ['openid', 'profile', 'email'], updatedAt: NOW + 5 };
      await store().consents.put(wider);
      assert.deepEqual(await store().consents.get(row.userId, row.clientId, row.serverId), {
        ...wider,
        createdAt: NOW,
      });
      const second = consentRow({ userId: row.userId, clientId: `${row.clientId}b` });
      await store().consents.put(second);
      assert.deepEqual(
        (await store().consents.listForUser(row.userId)).map((consent) => consent.clientId),
        [row.clientId, second.clientId],
      );
      assert.equal(await store().consents.revoke(row.userId, row.clientId, row.serverId), true);
      assert.equal(await store().consents.revoke(row.userId, row.clientId, row.serverId), false);
      assert.equal(await store().consents.get(row.userId, row.clientId, row.serverId), undefined);
    });

    it('survives concurrent puts for the same key', async () => {
      const row = consentRow();
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => store().consents.put({ ...row, updatedAt: NOW + i })),
      );
      assert.ok(await store().consents.get(row.userId, row.clientId, row.serverId));
    });
  });
}
