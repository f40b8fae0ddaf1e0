// Contract: events, rate limits (their sweep: retention.ts), settings, transactions and ping.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuplicateError } from '../../../src/storage/store.ts';
import { eventRow, type GetStore, NOW, uid } from './fixtures.ts';

export function eventContract(store: GetStore): void {
  describe('events', () => {
    it('round-trips and lists newest first with filters', async () => {
      const serverId = uid();
      const clientId = uid();
      const userId = uid();
      const e1 = eventRow({ time: NOW, serverId, clientId, userId, actor: 'admin', error: null });
      const e2 = eventRow({ time: NOW + 1, serverId, clientId, outcome: 'FAILURE', error: 'invalid_grant' });
      const e3 = eventRow({ time: NOW + 1, serverId, userId, ip: null });
      const e4 = eventRow({ time: NOW + 2, serverId });
      for (const row of [e3, e1, e4, e2]) await store().events.append(row);
      const ids = async (query: Parameters<ReturnType<GetStore>['events']['list']>[0]) =>
        (await store().events.list(query)).map((e) => e.id);

      assert.deepEqual(await store().events.list({ serverId, limit: 10 }), [e4, e3, e2, e1]);
      assert.deepEqual(await ids({ serverId, clientId, limit: 10 }), [e2.id, e1.id]);
      assert.deepEqual(await ids({ userId, limit: 10 }), [e3.id, e1.id]);
      assert.deepEqual(await ids({ serverId, outcome: 'FAILURE', limit: 10 }), [e2.id]);
      assert.deepEqual(await ids({ serverId, since: NOW + 1, limit: 10 }), [e4.id, e3.id, e2.id]);
      assert.deepEqual(await ids({ serverId, until: NOW + 2, limit: 10 }), [e3.id, e2.id, e1.id]);
      assert.deepEqual(await ids({ serverId, since: NOW + 1, until: NOW + 2, limit: 10 }), [e3.id, e2.id]);
      assert.deepEqual(await ids({ serverId: uid(), limit: 10 }), []);
      await assert.rejects(store().events.append(e1), DuplicateError);
    });

    it('pages backwards with `before` and `limit`', async () => {
      const serverId = uid();
      const rows = Array.from({ length: 5 }, (_, i) => eventRow({ time: NOW + i, serverId }));
      for (const row of rows) await store().events.append(row);
      const page1 = await store().events.list({ serverId, limit: 2 });
      assert.deepEqual(page1, [rows[4], rows[3]]);
      const page2 = await store().events.list({ serverId, limit: 2, before: page1[1]?.id ?? '' });
      assert.deepEqual(page2, [rows[2], rows[1]]);
      const page3 = await store().events.list({ serverId, limit: 2, before: page2[1]?.id ?? '' });
      assert.deepEqual(page3, [rows[0]]);
    });
  });
}

export function rateLimitContract(store: GetStore): void {
  describe('rateLimits', () => {
    it('counts concurrent hits per key and window', async () => {
      const key = uid('ip:');
      const hits = await Promise.all(
        Array.from({ length: 30 }, () => store().rateLimits.hit(key, NOW, NOW + 60)),
      );
      assert.deepEqual(
        hits.sort((a, b) => a - b),
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      assert.equal(await store().rateLimits.hit(key, NOW + 60, NOW + 120), 1);
      assert.equal(await store().rateLimits.hit(uid('ip:'), NOW, NOW + 60), 1);
    });
  });
}

export function settingContract(store: GetStore): void {
  describe('settings', () => {
    it('keeps the first value, also under concurrency', async () => {
      const name = uid('setting.');
      assert.equal(await store().settings.get(name), undefined);
      assert.equal(await store().settings.setIfAbsent(name, 'first'), 'first');
      assert.equal(await store().settings.setIfAbsent(name, 'second'), 'first');
      assert.equal(await store().settings.get(name), 'first');

      const raced = uid('setting.');
      const values = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store().settings.setIfAbsent(raced, `v${i}`)),
      );
      assert.equal(new Set(values).size, 1);
      assert.equal(await store().settings.get(raced), values[0]);
    });
  });
}

export function transactionContract(store: GetStore): void {
  describe('transaction', () => {
    it('commits on success and returns the result', async () => {
      const name = uid();
      const result = await store().transaction(async (tx) => {
        await tx.settings.setIfAbsent(name, 'kept');
        return 42;
      });
      assert.equal(result, 42);
      assert.equal(await store().settings.get(name), 'kept');
    });

    it('rolls back everything on throw, including nested transactions', async () => {
      const outer = uid();
      const inner = uid();
      const failure = new Error('boom');
      await assert.rejects(
        store().transaction(async (tx) => {
          await tx.settings.setIfAbsent(outer, 'x');
          await tx.transaction(async (nested) => nested.settings.setIfAbsent(inner, 'y'));
          // The store used outside is routed into the open transaction too.
          assert.equal(await store().settings.get(inner), 'y');
          throw failure;
        }),
        (error) => error === failure,
      );
      assert.equal(await store().settings.get(outer), undefined);
      assert.equal(await store().settings.get(inner), undefined);
    });

    it('rolls back when a statement fails', async () => {
      const name = uid();
      const taken = uid();
      await store().events.append(eventRow({ id: taken, time: NOW }));
      await assert.rejects(
        store().transaction(async (tx) => {
          await tx.settings.setIfAbsent(name, 'x');
          await tx.events.append(eventRow({ id: taken, time: NOW }));
        }),
        DuplicateError,
      );
      assert.equal(await store().settings.get(name), undefined);
    });

    it('runs concurrent transactions without losing writes', async () => {
      const key = uid('tx:');
      await Promise.all(
        Array.from({ length: 10 }, () =>
          store().transaction(async (tx) => {
            await tx.rateLimits.hit(key, NOW, NOW + 60);
          }),
        ),
      );
      assert.equal(await store().rateLimits.hit(key, NOW, NOW + 60), 11);
    });

    it('answers ping', async () => {
      await store().ping();
    });

    it('RL-11 reads the database clock in epoch milliseconds', async () => {
      const before = Date.now();
      const databaseMs = await store().databaseTimeMs();
      // The test database runs on this machine, so its clock is this one's.
      assert.ok(Math.abs(databaseMs - before) < 5000, `${databaseMs} vs ${before}`);
      assert.ok(!Number.isInteger(databaseMs) || databaseMs > 1e12, 'milliseconds, not seconds');
    });
  });
}
