// Contract: sessions, authorization requests and codes, access and refresh tokens, signing keys.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuplicateError } from '../../../src/storage/store.ts';
import {
  accessRow,
  codeRow,
  type GetStore,
  keyRow,
  NOW,
  refreshRow,
  requestRow,
  serverRow,
  sessionRow,
  uid,
} from './fixtures.ts';

const count = (results: boolean[]): number => results.filter(Boolean).length;

export function sessionContract(store: GetStore): void {
  describe('sessions', () => {
    it('returns live sessions only', async () => {
      const row = sessionRow({ amr: ['pwd', 'otp'] });
      await store().sessions.create(row);
      assert.deepEqual(await store().sessions.get(row.idHash, NOW), row);
      assert.equal(await store().sessions.get(row.idHash, row.expiresAt), undefined);
      assert.equal(await store().sessions.get(uid(), NOW), undefined);

      await store().sessions.touch(row.idHash, NOW + 30);
      assert.equal((await store().sessions.get(row.idHash, NOW + 30))?.lastActiveAt, NOW + 30);
      await store().sessions.revoke(row.idHash, NOW + 40);
      assert.equal(await store().sessions.get(row.idHash, NOW + 41), undefined);
    });

    it('revokes every live session of one user', async () => {
      const userId = uid();
      const live = [sessionRow({ userId }), sessionRow({ userId })];
      const revoked = sessionRow({ userId, revokedAt: NOW - 1 });
      const other = sessionRow();
      for (const row of [...live, revoked, other]) await store().sessions.create(row);
      assert.equal(await store().sessions.revokeForUser(userId, NOW), 2);
      for (const row of live) assert.equal(await store().sessions.get(row.idHash, NOW), undefined);
      assert.deepEqual(await store().sessions.get(other.idHash, NOW), other);
      assert.equal(await store().sessions.revokeForUser(userId, NOW), 0);
    });
  });
}

export function authorizationRequestContract(store: GetStore): void {
  describe('authorizationRequests', () => {
    it('round-trips params and completes exactly once', async () => {
      const row = requestRow();
      await store().authorizationRequests.create(row);
      assert.deepEqual(await store().authorizationRequests.get(row.id), row);
      assert.equal(await store().authorizationRequests.get(uid()), undefined);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store().authorizationRequests.complete(row.id, NOW + 1)),
      );
      assert.equal(count(results), 1);
      assert.equal(await store().authorizationRequests.complete(row.id, NOW + 2), false);
      assert.deepEqual(await store().authorizationRequests.get(row.id), { ...row, completedAt: NOW + 1 });
    });

    it('refuses to complete an expired or unknown request', async () => {
      const row = requestRow();
      await store().authorizationRequests.create(row);
      assert.equal(await store().authorizationRequests.complete(row.id, row.expiresAt), false);
      assert.equal(await store().authorizationRequests.complete(uid(), NOW), false);
      assert.equal((await store().authorizationRequests.get(row.id))?.completedAt, null);
    });
  });
}

export function authorizationCodeContract(store: GetStore): void {
  describe('authorizationCodes', () => {
    it('round-trips every field', async () => {
      const full = codeRow();
      const sparse = codeRow({
        nonce: null,
        codeChallenge: null,
        codeChallengeMethod: null,
        sessionIdHash: null,
      });
      await store().authorizationCodes.create(full);
      await store().authorizationCodes.create(sparse);
      assert.deepEqual(await store().authorizationCodes.find(full.codeHash), full);
      assert.deepEqual(await store().authorizationCodes.find(sparse.codeHash), sparse);
      assert.equal(await store().authorizationCodes.find(uid()), undefined);
      await assert.rejects(store().authorizationCodes.create(full), DuplicateError);
    });

    it('is consumed exactly once by 50 concurrent callers', async () => {
      const row = codeRow();
      await store().authorizationCodes.create(row);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store().authorizationCodes.consume(row.codeHash, NOW + 1)),
      );
      assert.equal(count(results), 1);
      assert.equal((await store().authorizationCodes.find(row.codeHash))?.consumedAt, NOW + 1);
      assert.equal(await store().authorizationCodes.consume(row.codeHash, NOW + 2), false);
    });

    it('refuses expired and unknown codes', async () => {
      const row = codeRow();
      await store().authorizationCodes.create(row);
      assert.equal(await store().authorizationCodes.consume(row.codeHash, row.expiresAt), false);
      assert.equal(await store().authorizationCodes.consume(uid(), NOW), false);
      assert.equal((await store().authorizationCodes.find(row.codeHash))?.consumedAt, null);
    });
  });
}

export function tokenContract(store: GetStore): void {
  describe('accessTokens', () => {
    it('round-trips and revokes one grant only', async () => {
      const grantId = uid();
      const mine = [accessRow({ grantId }), accessRow({ grantId, userId: null })];
      const other = accessRow();
      for (const row of [...mine, other]) await store().accessTokens.create(row);
      assert.deepEqual(await store().accessTokens.get(mine[1]?.jti ?? ''), mine[1]);
      assert.equal(await store().accessTokens.get(uid()), undefined);
      assert.equal(await store().accessTokens.revokeGrant(grantId, NOW + 5), 2);
      for (const row of mine) assert.equal((await store().accessTokens.get(row.jti))?.revokedAt, NOW + 5);
      assert.deepEqual(await store().accessTokens.get(other.jti), other);
      assert.equal(await store().accessTokens.revokeGrant(grantId, NOW + 6), 0);
    });

    it('revokes one token by jti, once', async () => {
      const grantId = uid();
      const target = accessRow({ grantId });
      const sibling = accessRow({ grantId });
      for (const row of [target, sibling]) await store().accessTokens.create(row);
      assert.equal(await store().accessTokens.revoke(target.jti, NOW + 5), true);
      assert.equal((await store().accessTokens.get(target.jti))?.revokedAt, NOW + 5);
      assert.deepEqual(await store().accessTokens.get(sibling.jti), sibling);
      assert.equal(await store().accessTokens.revoke(target.jti, NOW + 6), false);
      assert.equal((await store().accessTokens.get(target.jti))?.revokedAt, NOW + 5);
      assert.equal(await store().accessTokens.revoke(uid(), NOW), false);
    });

    it('revokes every live token of one user (RT-07)', async () => {
      const userId = uid('00u');
      const live = [accessRow({ userId }), accessRow({ userId })];
      const revoked = accessRow({ userId, revokedAt: NOW - 1 });
      const other = accessRow();
      const clientOnly = accessRow({ userId: null });
      for (const row of [...live, revoked, other, clientOnly]) await store().accessTokens.create(row);
      assert.equal(await store().accessTokens.revokeForUser(userId, NOW + 5), 2);
      for (const row of live) assert.equal((await store().accessTokens.get(row.jti))?.revokedAt, NOW + 5);
      assert.deepEqual(await store().accessTokens.get(revoked.jti), revoked);
      assert.deepEqual(await store().accessTokens.get(other.jti), other);
      assert.deepEqual(await store().accessTokens.get(clientOnly.jti), clientOnly);
      assert.equal(await store().accessTokens.revokeForUser(userId, NOW + 6), 0);
    });

    it('revokes every live token of one app (RT-08)', async () => {
      const clientId = uid('0oa');
      const live = [accessRow({ clientId }), accessRow({ clientId, userId: null })];
      const revoked = accessRow({ clientId, revokedAt: NOW - 1 });
      const other = accessRow();
      for (const row of [...live, revoked, other]) await store().accessTokens.create(row);
      assert.equal(await store().accessTokens.revokeForClient(clientId, NOW + 5), 2);
      for (const row of live) assert.equal((await store().accessTokens.get(row.jti))?.revokedAt, NOW + 5);
      assert.deepEqual(await store().accessTokens.get(revoked.jti), revoked);
      assert.deepEqual(await store().accessTokens.get(other.jti), other);
      assert.equal(await store().accessTokens.revokeForClient(clientId, NOW + 6), 0);
    });
  });

  describe('refreshTokens', () => {
    it('round-trips and revokes one grant only', async () => {
      const grantId = uid();
      const familyId = uid();
      const first = refreshRow({ grantId, familyId, rotatedAt: NOW + 1, successorSealed: 'eyJ.sealed' });
      const second = refreshRow({ grantId, familyId, generation: 1, expiresAt: null, amr: ['pwd', 'mfa'] });
      const other = refreshRow();
      for (const row of [first, second, other]) await store().refreshTokens.create(row);
      assert.deepEqual(await store().refreshTokens.get(first.tokenHash), first);
      assert.deepEqual(await store().refreshTokens.get(second.tokenHash), second);
      assert.equal(await store().refreshTokens.get(uid()), undefined);
      assert.equal(await store().refreshTokens.revokeGrant(grantId, NOW + 5), 2);
      assert.equal((await store().refreshTokens.get(second.tokenHash))?.revokedAt, NOW + 5);
      assert.deepEqual(await store().refreshTokens.get(other.tokenHash), other);
      await assert.rejects(store().refreshTokens.create(other), DuplicateError);
    });

    it('rotates exactly once among 50 concurrent callers, keeping the sealed successor', async () => {
      const row = refreshRow();
      await store().refreshTokens.create(row);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store().refreshTokens.rotate(row.tokenHash, { now: NOW + 1, successorSealed: `sealed-${i}` }),
        ),
      );
      assert.equal(count(results), 1);
      const winner = results.indexOf(true);
      assert.deepEqual(await store().refreshTokens.get(row.tokenHash), {
        ...row,
        rotatedAt: NOW + 1,
        successorSealed: `sealed-${winner}`,
      });
      assert.equal(
        await store().refreshTokens.rotate(row.tokenHash, { now: NOW + 2, successorSealed: 'x' }),
        false,
      );
    });

    it('neither rotates nor touches a revoked, rotated or unknown token', async () => {
      const revoked = refreshRow({ revokedAt: NOW });
      const rotated = refreshRow({ rotatedAt: NOW, successorSealed: 'sealed' });
      for (const row of [revoked, rotated]) await store().refreshTokens.create(row);
      for (const hash of [revoked.tokenHash, rotated.tokenHash, uid()]) {
        assert.equal(await store().refreshTokens.rotate(hash, { now: NOW + 1, successorSealed: 'x' }), false);
        assert.equal(await store().refreshTokens.touch(hash, NOW + 999), false);
      }
      assert.deepEqual(await store().refreshTokens.get(revoked.tokenHash), revoked);
      assert.deepEqual(await store().refreshTokens.get(rotated.tokenHash), rotated);
    });

    it('restarts the idle window of a live token only', async () => {
      const row = refreshRow();
      const other = refreshRow();
      for (const r of [row, other]) await store().refreshTokens.create(r);
      assert.equal(await store().refreshTokens.touch(row.tokenHash, NOW + 999), true);
      assert.deepEqual(await store().refreshTokens.get(row.tokenHash), { ...row, idleExpiresAt: NOW + 999 });
      assert.deepEqual(await store().refreshTokens.get(other.tokenHash), other);
    });

    it('revokes every live token of one user, across families and clients (RT-07)', async () => {
      const userId = uid('00u');
      const live = [refreshRow({ userId }), refreshRow({ userId }), refreshRow({ userId, rotatedAt: NOW })];
      const revoked = refreshRow({ userId, revokedAt: NOW - 1 });
      const other = refreshRow();
      for (const row of [...live, revoked, other]) await store().refreshTokens.create(row);
      assert.equal(await store().refreshTokens.revokeForUser(userId, NOW + 5), 3);
      for (const row of live) {
        assert.equal((await store().refreshTokens.get(row.tokenHash))?.revokedAt, NOW + 5);
        assert.equal(await store().refreshTokens.touch(row.tokenHash, NOW + 999), false);
      }
      assert.deepEqual(await store().refreshTokens.get(revoked.tokenHash), revoked);
      assert.deepEqual(await store().refreshTokens.get(other.tokenHash), other);
      assert.equal(await store().refreshTokens.revokeForUser(userId, NOW + 6), 0);
    });

    it('revokes every live token of one app, across families and users (RT-08)', async () => {
      const clientId = uid('0oa');
      const live = [
        refreshRow({ clientId }),
        refreshRow({ clientId }),
        refreshRow({ clientId, rotatedAt: NOW }),
      ];
      const revoked = refreshRow({ clientId, revokedAt: NOW - 1 });
      const other = refreshRow();
      for (const row of [...live, revoked, other]) await store().refreshTokens.create(row);
      assert.equal(await store().refreshTokens.revokeForClient(clientId, NOW + 5), 3);
      for (const row of live) {
        assert.equal((await store().refreshTokens.get(row.tokenHash))?.revokedAt, NOW + 5);
        assert.equal(await store().refreshTokens.touch(row.tokenHash, NOW + 999), false);
      }
      assert.deepEqual(await store().refreshTokens.get(revoked.tokenHash), revoked);
      assert.deepEqual(await store().refreshTokens.get(other.tokenHash), other);
      assert.equal(await store().refreshTokens.revokeForClient(clientId, NOW + 6), 0);
    });
  });
}

export function signingKeyContract(store: GetStore): void {
  describe('signingKeys', () => {
    it('lists the keys of one server and updates their status', async () => {
      const server = serverRow();
      const otherServer = serverRow();
      await store().authorizationServers.create(server);
      await store().authorizationServers.create(otherServer);
      const active = keyRow(server.id, { status: 'ACTIVE', activatedAt: NOW, createdAt: NOW - 100 });
      const next = keyRow(server.id);
      await store().signingKeys.create(next);
      await store().signingKeys.create(active);
      await store().signingKeys.create(keyRow(otherServer.id));
      assert.deepEqual(await store().signingKeys.listForServer(server.id), [active, next]);

      const patch = { status: 'RETIRED', retiredAt: NOW + 10 } as const;
      assert.equal(await store().signingKeys.update(active.kid, patch), true);
      assert.equal(await store().signingKeys.update(uid(), { status: 'REVOKED' }), false);
      assert.deepEqual(await store().signingKeys.listForServer(server.id), [{ ...active, ...patch }, next]);
      assert.deepEqual(await store().signingKeys.listForServer(uid()), []);
    });

    it('RL-10 updates conditionally on the current status, so a stale rotation cannot undo a revocation', async () => {
      const server = serverRow();
      await store().authorizationServers.create(server);
      const key = keyRow(server.id, { status: 'ACTIVE', activatedAt: NOW });
      await store().signingKeys.create(key);
      const keys = store().signingKeys;
      assert.equal(await keys.update(key.kid, { status: 'REVOKED' }, { ifStatus: 'ACTIVE' }), true);
      assert.equal(
        await keys.update(key.kid, { status: 'RETIRED', retiredAt: NOW }, { ifStatus: 'ACTIVE' }),
        false,
      );
      assert.equal(await keys.update(key.kid, {}, { ifStatus: 'ACTIVE' }), false);
      assert.equal(await keys.update(key.kid, {}, { ifStatus: 'REVOKED' }), true);
      assert.deepEqual(await keys.listForServer(server.id), [{ ...key, status: 'REVOKED' }]);
    });
  });
}
