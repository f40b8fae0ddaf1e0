import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { toStoreError } from '../../src/storage/errors.ts';
import { openStore, runMigrations } from '../../src/storage/open-store.ts';
import { StoreUnavailableError } from '../../src/storage/store.ts';
import { eventRow, userRow } from './contract/fixtures.ts';
import { describeStoreContract } from './store-contract.ts';

const url = process.env['TEST_DATABASE_URL'];
const schema = `latchkey_test_${randomBytes(6).toString('hex')}`;

describe('PostgreSQL', { skip: url === undefined ? 'TEST_DATABASE_URL not set' : false }, () => {
  const databaseUrl = url ?? '';
  after(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`drop schema if exists ${client.escapeIdentifier(schema)} cascade`);
    } finally {
      await client.end();
    }
  });

  describeStoreContract('PostgreSQL', () => openStore(databaseUrl, { schema }));

  it('keeps its tables, and its migration bookkeeping, in the chosen schema', async () => {
    assert.deepEqual(await runMigrations(databaseUrl, { schema }), []);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        'select table_name from information_schema.tables where table_schema = $1',
        [schema],
      );
      const tables = rows.map((r) => r.table_name);
      for (const table of ['users', 'events', 'kysely_migration']) assert.ok(tables.includes(table), table);
    } finally {
      await client.end();
    }
  });

  it('RL-12 reruns a transaction that PostgreSQL aborted as a deadlock (40P01); both succeed', async () => {
    const store = await openStore(databaseUrl, { schema, migrate: false });
    try {
      const first = userRow();
      const second = userRow();
      await store.users.create(first);
      await store.users.create(second);
      // Two transactions take the same two row locks in opposite order: PostgreSQL aborts one of them
      // after deadlock_timeout (1 s); the store runs it again, and it finds the way clear.
      let attempts = 0;
      let arrived = 0;
      let bothHoldOne: () => void = () => {};
      const barrier = new Promise<void>((resolve) => {
        bothHoldOne = resolve;
      });
      const crosswise = (a: string, b: string, name: string) =>
        store.transaction(async (tx) => {
          attempts += 1;
          await tx.users.update(a, { name: `${name} 1` });
          arrived += 1;
          if (arrived === 2) bothHoldOne();
          await Promise.race([barrier, new Promise((resolve) => setTimeout(resolve, 3000))]);
          await tx.users.update(b, { name: `${name} 2` });
          return name;
        });
      const results = await Promise.all([
        crosswise(first.id, second.id, 'A'),
        crosswise(second.id, first.id, 'B'),
      ]);
      assert.deepEqual(results, ['A', 'B']);
      assert.equal(attempts, 3, 'one of the two ran twice');
    } finally {
      await store.close();
    }
  });

  it('RL-12 gives up after a few serialization failures (40001) with StoreUnavailableError (503)', async () => {
    const store = await openStore(databaseUrl, { schema, migrate: false });
    const raw = new pg.Client({ connectionString: databaseUrl });
    await raw.connect();
    try {
      let attempts = 0;
      await assert.rejects(
        store.transaction(async () => {
          attempts += 1;
          // A real 40001 from the server, as a serializable transaction's conflict would raise it.
          await raw
            .query("do $$ begin raise exception 'could not serialize' using errcode = '40001'; end $$")
            .catch((error: unknown) => {
              throw toStoreError(error);
            });
        }),
        StoreUnavailableError,
      );
      assert.equal(attempts, 4, 'a bounded number of runs');
    } finally {
      await raw.end();
      await store.close();
    }
  });

  it('reads int8 as numbers on its own pool only', async () => {
    const store = await openStore(databaseUrl, { schema, migrate: false });
    try {
      const time = 2 ** 40;
      await store.events.append(eventRow({ time, serverId: schema }));
      const [event] = await store.events.list({ serverId: schema, since: time, limit: 1 });
      assert.equal(event?.time, time);
      assert.equal(typeof pg.types.getTypeParser(20)('5'), 'string');
    } finally {
      await store.close();
    }
  });
});

describe('PostgreSQL outage', () => {
  it('reports an unreachable server as StoreUnavailableError promptly', async () => {
    const started = Date.now();
    await assert.rejects(openStore('postgres://postgres@127.0.0.1:1/latchkey'), StoreUnavailableError);
    assert.ok(Date.now() - started < 6000);
  });
});
