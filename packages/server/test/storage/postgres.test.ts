import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { openStore, runMigrations } from '../../src/storage/open-store.ts';
import { StoreUnavailableError } from '../../src/storage/store.ts';
import { eventRow } from './contract/fixtures.ts';
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
