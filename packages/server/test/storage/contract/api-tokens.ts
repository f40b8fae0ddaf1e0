// Contract: admin API tokens, custom claims, and deleting users (issue 5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ApiTokenRow, type ClaimRow, DuplicateError } from '../../../src/storage/store.ts';
import { type GetStore, NOW, serverRow, uid, userRow } from './fixtures.ts';

const tokenRow = (o: Partial<ApiTokenRow> = {}): ApiTokenRow => ({
  id: uid('00T'),
  name: 'ci-bot',
  tokenHash: uid('hash'),
  createdBy: 'cli:ops',
  createdAt: NOW,
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
  ...o,
});

const claimRow = (serverId: string, o: Partial<ClaimRow> = {}): ClaimRow => ({
  id: uid('ocl'),
  serverId,
  name: 'department',
  claimType: 'RESOURCE',
  valueType: 'EXPRESSION',
  value: '"engineering"',
  scopes: ['profile', 'email'],
  alwaysIncludeInToken: true,
  status: 'ACTIVE',
  createdAt: NOW,
  updatedAt: NOW,
  ...o,
});

export function apiTokenContract(store: GetStore): void {
  describe('apiTokens', () => {
    it('round-trips, finds by hash, lists and refuses a second token with the same hash', async () => {
      const row = tokenRow({ createdBy: null, lastUsedAt: NOW + 1 });
      await store().apiTokens.create(row);
      assert.deepEqual(await store().apiTokens.get(row.id), row);
      assert.deepEqual(await store().apiTokens.getByHash(row.tokenHash), row);
      assert.equal(await store().apiTokens.getByHash(uid()), undefined);
      assert.ok((await store().apiTokens.list()).some((token) => token.id === row.id));
      await assert.rejects(
        store().apiTokens.create({ ...row, id: uid('00T') }),
        (error: unknown) => error instanceof DuplicateError && error.entity === 'API token',
      );
    });

    it('AD-04 keeps the expiry (epoch seconds, or null for never) and the creator', async () => {
      const expiring = tokenRow({ expiresAt: NOW + 86_400, createdBy: '00uadmin' });
      await store().apiTokens.create(expiring);
      assert.deepEqual(await store().apiTokens.getByHash(expiring.tokenHash), expiring);
      assert.equal(typeof (await store().apiTokens.get(expiring.id))?.expiresAt, 'number');
      const never = tokenRow();
      await store().apiTokens.create(never);
      assert.equal((await store().apiTokens.get(never.id))?.expiresAt, null);
    });

    it('revokes once and only moves last use forwards', async () => {
      const row = tokenRow();
      await store().apiTokens.create(row);
      await store().apiTokens.touch(row.id, NOW + 60);
      await store().apiTokens.touch(row.id, NOW + 30);
      assert.equal((await store().apiTokens.get(row.id))?.lastUsedAt, NOW + 60);
      assert.equal(await store().apiTokens.revoke(row.id, NOW + 70), true);
      assert.equal(await store().apiTokens.revoke(row.id, NOW + 80), false);
      assert.equal(await store().apiTokens.revoke(uid(), NOW), false);
      assert.equal((await store().apiTokens.get(row.id))?.revokedAt, NOW + 70);
    });
  });

  describe('claims', () => {
    it('round-trips, lists per server by name and type, updates and deletes', async () => {
      const server = serverRow();
      const other = serverRow();
      await store().authorizationServers.create(server);
      await store().authorizationServers.create(other);
      const access = claimRow(server.id, { name: 'b-claim' });
      const identity = claimRow(server.id, {
        name: 'a-claim',
        claimType: 'IDENTITY',
        value: 'user.email',
        scopes: [],
        alwaysIncludeInToken: false,
        status: 'INACTIVE',
      });
      const sameNameOtherType = claimRow(server.id, { name: 'b-claim', claimType: 'IDENTITY' });
      for (const row of [access, identity, sameNameOtherType, claimRow(other.id)]) {
        await store().claims.create(row);
      }
      assert.deepEqual(await store().claims.get(server.id, access.id), access);
      assert.equal(await store().claims.get(other.id, access.id), undefined);
      assert.deepEqual(await store().claims.listForServer(server.id), [identity, sameNameOtherType, access]);

      const patch = {
        value: 'user.login',
        scopes: ['openid'],
        alwaysIncludeInToken: false,
        updatedAt: NOW + 5,
      };
      assert.equal(await store().claims.update(server.id, access.id, patch), true);
      assert.deepEqual(await store().claims.get(server.id, access.id), { ...access, ...patch });
      assert.equal(await store().claims.update(other.id, access.id, { value: 'x' }), false);
      assert.equal(await store().claims.update(server.id, access.id, {}), true);
      assert.equal(await store().claims.delete(other.id, access.id), false);
      assert.equal(await store().claims.delete(server.id, access.id), true);
      assert.equal(await store().claims.get(server.id, access.id), undefined);
    });

    it('refuses a second claim of the same type and name on one server', async () => {
      const server = serverRow();
      await store().authorizationServers.create(server);
      await store().claims.create(claimRow(server.id));
      await assert.rejects(
        store().claims.create(claimRow(server.id)),
        (error: unknown) => error instanceof DuplicateError && error.entity === 'claim',
      );
    });
  });

  describe('users.delete', () => {
    it('deletes one user and reports whether it existed', async () => {
      const row = userRow();
      await store().users.create(row);
      assert.equal(await store().users.delete(row.id), true);
      assert.equal(await store().users.get(row.id), undefined);
      assert.equal(await store().users.delete(row.id), false);
    });
  });
}
