import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { createKyselyStore } from '../../src/storage/kysely-store.ts';
import { migrateToLatest } from '../../src/storage/migrations/index.ts';
import { openStore, parseDatabaseUrl, runMigrations } from '../../src/storage/open-store.ts';
import { openSqlite } from '../../src/storage/sqlite.ts';
import { StoreUnavailableError } from '../../src/storage/store.ts';
import { describeStoreContract } from './store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'latchkey-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A nested path: opening must create the parent folders.
describeStoreContract('SQLite', () => openStore(`sqlite:${join(dir, 'contract', 'data', 'latchkey.db')}`));

describe('SQLite wiring', () => {
  it('runs WAL with group commit (synchronous=NORMAL + a shared WAL fsync), foreign keys and a busy timeout (RL-08)', async () => {
    const db = openSqlite(join(dir, 'pragmas.db'));
    try {
      const pragma = async (name: string) => {
        const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(db);
        return rows[0] === undefined ? undefined : Object.values(rows[0])[0];
      };
      assert.equal(await pragma('journal_mode'), 'wal');
      // NORMAL: the driver, not SQLite, fsyncs the WAL before a commit is reported (wal-sync.ts).
      assert.equal(await pragma('synchronous'), 1);
      assert.equal(await pragma('wal_autocheckpoint'), 0);
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('busy_timeout'), 5000);
    } finally {
      await db.destroy();
    }
  });

  it('takes the write lock when a transaction begins (BEGIN IMMEDIATE)', async () => {
    const file = join(dir, 'immediate.db');
    const store = await openStore(`sqlite:${file}`);
    const other = new BetterSqlite3(file, { timeout: 0 });
    try {
      await store.transaction(async () => {
        // No write has happened yet; a deferred BEGIN would not hold the lock at this point.
        assert.throws(() => other.exec('begin immediate'), { code: 'SQLITE_BUSY' });
      });
      other.exec('begin immediate');
      other.exec('rollback');
    } finally {
      other.close();
      await store.close();
    }
  });

  it('fails with StoreUnavailableError after busy_timeout while another connection holds the lock', async () => {
    const file = join(dir, 'busy.db');
    const db = openSqlite(file, { busyTimeoutMs: 100 });
    await migrateToLatest(db);
    const store = createKyselyStore(db, 'sqlite');
    const other = new BetterSqlite3(file);
    try {
      other.exec('begin exclusive');
      const started = Date.now();
      await assert.rejects(store.settings.setIfAbsent('busy', 'x'), StoreUnavailableError);
      await assert.rejects(
        store.transaction(async (tx) => tx.settings.get('busy')),
        StoreUnavailableError,
      );
      assert.ok(Date.now() - started < 2000, 'gave up within about busy_timeout');
      other.exec('rollback');
      assert.equal(await store.settings.setIfAbsent('busy', 'x'), 'x');
    } finally {
      other.close();
      await store.close();
    }
  });
});

describe('openStore and runMigrations', () => {
  it('accepts the documented DATABASE_URL forms and names them when rejecting others', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite::memory:'), { dialect: 'sqlite', filename: ':memory:' });
    assert.deepEqual(parseDatabaseUrl('sqlite:/var/lib/latchkey.db'), {
      dialect: 'sqlite',
      filename: '/var/lib/latchkey.db',
    });
    assert.equal(parseDatabaseUrl('sqlite:./data/x.db').dialect, 'sqlite');
    assert.equal(parseDatabaseUrl('postgresql://u@h/db').dialect, 'postgres');
    for (const bad of ['mysql://u:secret@h/db', 'sqlite:', '', 'data.db']) {
      assert.throws(
        () => parseDatabaseUrl(bad),
        (error: Error) => {
          assert.match(error.message, /DATABASE_URL/);
          assert.match(error.message, /sqlite:.*postgres:\/\//);
          assert.doesNotMatch(error.message, /secret/);
          return true;
        },
      );
    }
  });

  it('opens an in-memory database', async () => {
    const store = await openStore('sqlite::memory:');
    assert.equal(store.dialect, 'sqlite');
    assert.equal(await store.settings.setIfAbsent('a', 'b'), 'b');
    await store.close();
  });

  it('applies each migration once', async () => {
    const url = `sqlite:${join(dir, 'migrate.db')}`;
    assert.deepEqual(await runMigrations(url), [
      '0001-initial',
      '0002-consents',
      '0003-admin-api',
      '0004-admin-sessions',
      '0005-token-user-indexes',
      '0006-retention',
      '0007-api-token-expiry',
      '0008-token-client-indexes',
      '0009-sign-ins-in-flight',
      '0010-console-state-logo',
      '0011-machine-tokens',
      '0012-self-registered-clients',
    ]);
    assert.deepEqual(await runMigrations(url), []);
    const store = await openStore(url, { migrate: false });
    await store.ping();
    await store.close();
  });

  it('names the migration that failed', async () => {
    const file = join(dir, 'broken.db');
    const raw = new BetterSqlite3(file);
    raw.exec('create table users (id text)');
    raw.close();
    await assert.rejects(runMigrations(`sqlite:${file}`), /Migration "0001-initial" failed/);
  });
});
