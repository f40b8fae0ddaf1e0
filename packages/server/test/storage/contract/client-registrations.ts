// Contract: dynamic client registration (RFC 7591 initial access tokens, RFC 7592 registration access tokens).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RegistrationTokenRow } from '../../../src/storage/store.ts';
import { type GetStore, NOW, uid } from './fixtures.ts';

const tokenRow = (o: Partial<RegistrationTokenRow> = {}): RegistrationTokenRow => ({
  id: uid('00R'),
  name: 'ci',
  tokenHash: uid('hash'),
  createdBy: 'cli:ops',
  createdAt: NOW,
  expiresAt: NOW + 3600,
  revokedAt: null,
  ...o,
});

export function clientRegistrationContract(store: GetStore): void {
  describe('client registrations', () => {
    it('DR-10 initial access tokens round-trip by hash, list oldest first, revoke once', async () => {
      const first = tokenRow({ createdAt: NOW - 10, expiresAt: null, createdBy: null });
      const second = tokenRow();
      await store().registrationTokens.create(first);
      await store().registrationTokens.create(second);
      assert.deepEqual(await store().registrationTokens.getByHash(first.tokenHash), first);
      assert.equal(await store().registrationTokens.getByHash(`${first.tokenHash}x`), undefined);
      const ids = (await store().registrationTokens.list()).map((t) => t.id);
      assert.ok(ids.indexOf(first.id) < ids.indexOf(second.id));
      assert.equal(await store().registrationTokens.revoke(second.id, NOW + 1), true);
      assert.equal(await store().registrationTokens.revoke(second.id, NOW + 2), false);
      assert.equal((await store().registrationTokens.getByHash(second.tokenHash))?.revokedAt, NOW + 1);
    });

    it('DR-10 registration access tokens: one per client, deleted with it', async () => {
      const row = { clientId: uid('0oa'), accessTokenHash: uid('hash'), createdAt: NOW };
      await store().clientRegistrations.create(row);
      assert.deepEqual(await store().clientRegistrations.get(row.clientId), row);
      await assert.rejects(store().clientRegistrations.create(row));
      assert.equal(await store().clientRegistrations.delete(row.clientId), true);
      assert.equal(await store().clientRegistrations.delete(row.clientId), false);
      assert.equal(await store().clientRegistrations.get(row.clientId), undefined);
    });
  });
}
