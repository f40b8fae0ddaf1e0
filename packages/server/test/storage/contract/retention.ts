// Contract: the retention sweeper's deletes (issue 8 §7). Rows are dated far before NOW so that no other
// test's rows are at stake; each kind deletes what expired at or before the cutoff and keeps the rest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  accessRow,
  codeRow,
  eventId,
  eventRow,
  type GetStore,
  NOW,
  refreshRow,
  requestRow,
  sessionRow,
  uid,
} from './fixtures.ts';

const T = NOW - 50_000_000;

export function retentionContract(store: GetStore): void {
  describe('retention', () => {
    it('deletes expired codes, requests, access tokens, sessions and admin sessions; keeps live ones', async () => {
      const s = store();
      const [oldCode, liveCode] = [codeRow({ expiresAt: T }), codeRow({ expiresAt: T + 10 })];
      const [oldRequest, liveRequest] = [requestRow({ expiresAt: T }), requestRow({ expiresAt: T + 10 })];
      const [oldAccess, liveAccess] = [accessRow({ expiresAt: T }), accessRow({ expiresAt: T + 10 })];
      const [oldSession, liveSession] = [sessionRow({ expiresAt: T }), sessionRow({ expiresAt: T + 10 })];
      const admin = (expiresAt: number) => ({
        idHash: uid('asid'),
        userId: uid('00u'),
        createdAt: T - 100,
        lastActiveAt: T - 100,
        expiresAt,
        revokedAt: null,
      });
      const [oldAdmin, liveAdmin] = [admin(T), admin(T + 10)];
      for (const row of [oldCode, liveCode]) await s.authorizationCodes.create(row);
      for (const row of [oldRequest, liveRequest]) await s.authorizationRequests.create(row);
      for (const row of [oldAccess, liveAccess]) await s.accessTokens.create(row);
      for (const row of [oldSession, liveSession]) await s.sessions.create(row);
      for (const row of [oldAdmin, liveAdmin]) await s.adminSessions.create(row);

      for (const kind of [
        'authorizationCodes',
        'authorizationRequests',
        'accessTokens',
        'sessions',
        'adminSessions',
      ] as const) {
        assert.ok((await s.retention.sweep(kind, T, 500)) >= 1, kind);
      }
      assert.equal(await s.authorizationCodes.find(oldCode.codeHash), undefined);
      assert.ok(await s.authorizationCodes.find(liveCode.codeHash));
      assert.equal(await s.authorizationRequests.get(oldRequest.id), undefined);
      assert.ok(await s.authorizationRequests.get(liveRequest.id));
      assert.equal(await s.accessTokens.get(oldAccess.jti), undefined);
      assert.ok(await s.accessTokens.get(liveAccess.jti));
      assert.equal(await s.sessions.get(oldSession.idHash, T - 1), undefined);
      assert.ok(await s.sessions.get(liveSession.idHash, T - 1));
      assert.equal(await s.adminSessions.get(oldAdmin.idHash, T - 1), undefined);
      assert.ok(await s.adminSessions.get(liveAdmin.idHash, T - 1));
    });

    it('deletes in batches of at most `limit`', async () => {
      const cutoff = T - 1_000;
      for (let i = 0; i < 5; i++) await store().authorizationCodes.create(codeRow({ expiresAt: cutoff - i }));
      const counts = [];
      for (let i = 0; i < 4; i++) counts.push(await store().retention.sweep('authorizationCodes', cutoff, 2));
      assert.deepEqual(counts, [2, 2, 1, 0]);
    });

    it('keeps a refresh-token family while one member is usable, then deletes it whole', async () => {
      const familyId = uid('fam');
      const rotated = refreshRow({ familyId, idleExpiresAt: T, rotatedAt: T - 10, expiresAt: T + 1000 });
      const live = refreshRow({ familyId, generation: 1, idleExpiresAt: T + 100, expiresAt: T + 1000 });
      const deadFamily = uid('fam');
      const dead = [
        refreshRow({ familyId: deadFamily, idleExpiresAt: T - 5, rotatedAt: T - 10 }),
        refreshRow({ familyId: deadFamily, generation: 1, idleExpiresAt: T + 100, expiresAt: T }),
      ];
      for (const row of [rotated, live, ...dead]) await store().refreshTokens.create(row);

      assert.ok((await store().retention.sweep('refreshTokens', T, 500)) >= 2);
      assert.ok(await store().refreshTokens.get(rotated.tokenHash), 'the rotated member is reuse evidence');
      assert.ok(await store().refreshTokens.get(live.tokenHash));
      for (const row of dead) assert.equal(await store().refreshTokens.get(row.tokenHash), undefined);

      await store().retention.sweep('refreshTokens', T + 100, 500);
      assert.equal(await store().refreshTokens.get(rotated.tokenHash), undefined);
      assert.equal(await store().refreshTokens.get(live.tokenHash), undefined);
    });

    it('deletes events logged before the cutoff and rate-limit windows that ended', async () => {
      const serverId = uid();
      const old = eventRow({ time: T - 1, serverId, id: eventId(T - 1) });
      const kept = eventRow({ time: T, serverId, id: eventId(T) });
      for (const row of [old, kept]) await store().events.append(row);
      assert.ok((await store().retention.sweep('events', T, 500)) >= 1);
      assert.deepEqual(
        (await store().events.list({ serverId, limit: 10 })).map((e) => e.id),
        [kept.id],
      );

      const ended = uid('ip:');
      const live = uid('ip:');
      await store().rateLimits.hit(ended, T - 60, T);
      await store().rateLimits.hit(live, T, T + 60);
      assert.ok((await store().retention.sweep('rateLimits', T, 500)) >= 1);
      assert.equal(await store().rateLimits.hit(ended, T - 60, T), 1);
      assert.equal(await store().rateLimits.hit(live, T, T + 60), 2);
    });
  });
}
