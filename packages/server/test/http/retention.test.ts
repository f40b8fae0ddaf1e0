// Issue 8 §7: the retention sweeper. After real flows (sign-in, code, tokens, refresh, events) and time
// passing, expired rows go and live ones stay; under a constant load every table stays bounded; events
// are kept LATCHKEY_EVENT_RETENTION_DAYS. On SQLite and PostgreSQL.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { type RetentionSweeper, startRetentionSweeper } from '../../src/services/retention-sweeper.ts';
import { obtainTokens, refresh } from '../fixtures/refresh-flow.ts';
import { databases, startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { expectTokens } from '../fixtures/token-assertions.ts';

const TABLES = [
  'authorization_requests',
  'authorization_codes',
  'access_tokens',
  'refresh_tokens',
  'sessions',
  'events',
] as const;
type Counts = Record<(typeof TABLES)[number], number>;

async function countRows(server: TestServer): Promise<Counts> {
  const counts = {} as Counts;
  if (server.postgres === undefined) {
    const db = new Database(server.deps.config.databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      for (const table of TABLES)
        counts[table] = (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
    return counts;
  }
  const client = new pg.Client({ connectionString: server.postgres.url });
  await client.connect();
  try {
    for (const table of TABLES) {
      const { rows } = await client.query(
        `select count(*)::int as n from ${client.escapeIdentifier(server.postgres.schema)}.${table}`,
      );
      counts[table] = rows[0].n;
    }
  } finally {
    await client.end();
  }
  return counts;
}

const DAY = 86_400;

for (const database of databases) {
  describe(`retention sweeper (${database})`, () => {
    let server: TestServer;
    let sweeper: RetentionSweeper;
    before(async () => {
      server = await startTestServer({ database, env: { LATCHKEY_EVENT_RETENTION_DAYS: '30' } });
      sweeper = startRetentionSweeper(server.deps, { intervalMs: 3_600_000 });
    });
    after(async () => {
      await sweeper.stop();
      await server.close();
    });

    it('keeps what is live, then deletes it once expired; events go after the retention', async () => {
      const tokens = await obtainTokens(server, 'nativePub', { extra: { scope: 'openid offline_access' } });
      assert.ok(tokens.refresh_token);
      const rotated = await expectTokens(await refresh(server, 'nativePub', tokens.refresh_token));
      assert.ok(rotated.refresh_token);
      const before = await countRows(server);
      await sweeper.run();
      const same = await countRows(server);
      assert.ok(same.refresh_tokens >= 2 && same.sessions >= 1, JSON.stringify(same));
      assert.equal(same.events, before.events, 'nothing is past the retention yet');

      // An hour on: codes, requests and access tokens have expired; the session (24 h) and refresh
      // tokens (idle 7 days) are still usable, so are kept with the rotated member of their family.
      server.clock.advance(3600 + 601);
      await sweeper.run();
      const hourLater = await countRows(server);
      assert.equal(hourLater.authorization_codes, 0);
      assert.equal(hourLater.authorization_requests, 0);
      assert.equal(hourLater.access_tokens, 0);
      assert.equal(hourLater.refresh_tokens, same.refresh_tokens);

      // The refreshed token still works after the sweep.
      await expectTokens(await refresh(server, 'nativePub', rotated.refresh_token));

      server.clock.advance(100 * DAY);
      await sweeper.run();
      const later = await countRows(server);
      assert.deepEqual(later, { ...later, access_tokens: 0, refresh_tokens: 0, sessions: 0, events: 0 });
    });

    it('under a constant load every table stays bounded', async () => {
      const peaks: number[] = [];
      for (let round = 0; round < 4; round++) {
        for (let flow = 0; flow < 5; flow++) await obtainTokens(server, 'nativePub');
        server.clock.advance(2 * DAY);
        await sweeper.run();
        const counts = await countRows(server);
        peaks.push(
          counts.authorization_codes + counts.access_tokens + counts.authorization_requests + counts.sessions,
        );
      }
      assert.deepEqual(peaks, [0, 0, 0, 0], 'two days after each round, nothing of it is left but events');
      const events = (await countRows(server)).events;
      server.clock.advance(31 * DAY);
      await sweeper.run();
      assert.ok((await countRows(server)).events < events);
    });
  });
}
