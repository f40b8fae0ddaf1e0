// Group commit on SQLite (storage/wal-sync.ts, sqlite-driver.ts): concurrent transactions share fsyncs,
// the event loop stays free while the disk syncs, and nothing that was answered is lost to a SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createKyselyStore } from '../../src/storage/kysely-store.ts';
import { migrateToLatest } from '../../src/storage/migrations/index.ts';
import { openStore } from '../../src/storage/open-store.ts';
import { openSqlite } from '../../src/storage/sqlite.ts';
import { StoreUnavailableError } from '../../src/storage/store.ts';
import { WalSync } from '../../src/storage/wal-sync.ts';
import { accessRow, codeRow, NOW } from './contract/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'latchkey-group-commit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite group commit', () => {
  it('lets concurrent transactions share one fsync, each answered only after its fsync', async () => {
    const file = join(dir, 'batch.db');
    const walSync = new WalSync(`${file}-wal`);
    const db = openSqlite(file, { walSync });
    await migrateToLatest(db);
    const store = createKyselyStore(db, 'sqlite');
    try {
      const before = { ...walSync.stats };
      const results = await Promise.all(
        Array.from({ length: 100 }, () =>
          store.transaction(async (tx) => {
            await tx.accessTokens.create(accessRow());
            return walSync.stats.syncs;
          }),
        ),
      );
      const syncs = walSync.stats.syncs - before.syncs;
      const waiters = walSync.stats.waiters - before.waiters;
      assert.equal(waiters, 100, 'every commit waited for an fsync');
      assert.ok(syncs < 50, `100 commits took ${syncs} fsyncs: they should share them`);
      assert.equal(results.length, 100);
    } finally {
      await store.close();
    }
  });

  it('AC-01: one code redeemed by 50 transactions landing in one batch has exactly one winner', async () => {
    const file = join(dir, 'race.db');
    const walSync = new WalSync(`${file}-wal`);
    const db = openSqlite(file, { walSync });
    await migrateToLatest(db);
    const store = createKyselyStore(db, 'sqlite');
    try {
      const code = codeRow();
      await store.authorizationCodes.create(code);
      const syncsBefore = walSync.stats.syncs;
      const won = await Promise.all(
        Array.from({ length: 50 }, () =>
          store.transaction(async (tx) => {
            if (!(await tx.authorizationCodes.consume(code.codeHash, NOW + 1))) return false;
            await tx.accessTokens.create(accessRow({ grantId: code.grantId }));
            return true;
          }),
        ),
      );
      assert.equal(won.filter(Boolean).length, 1);
      assert.ok(walSync.stats.syncs - syncsBefore <= 2, 'the winner and the losers shared one batch');
    } finally {
      await store.close();
    }
  });

  it('a transaction that fails inside a batch takes back only its own writes', async () => {
    const file = join(dir, 'savepoints.db');
    const db = openSqlite(file, { walSync: new WalSync(`${file}-wal`) });
    await migrateToLatest(db);
    const store = createKyselyStore(db, 'sqlite');
    try {
      const rows = Array.from({ length: 60 }, () => accessRow());
      const outcomes = await Promise.allSettled(
        rows.map((row, index) =>
          store.transaction(async (tx) => {
            await tx.accessTokens.create(row);
            if (index % 3 === 0) throw new Error(`member ${index} fails after its write`);
          }),
        ),
      );
      for (const [index, row] of rows.entries()) {
        const failed = index % 3 === 0;
        assert.equal(outcomes[index]?.status, failed ? 'rejected' : 'fulfilled');
        assert.equal((await store.accessTokens.get(row.jti)) === undefined, failed, `member ${index}`);
      }
    } finally {
      await store.close();
    }
  });

  it('RL-08: when SQLite fails the batch, no member that was answered with success is lost', async () => {
    const file = join(dir, 'full.db');
    const db = openSqlite(file, { walSync: new WalSync(`${file}-wal`) });
    await migrateToLatest(db);
    const store = createKyselyStore(db, 'sqlite');
    const rows = Array.from({ length: 200 }, () => accessRow({ scope: 'openid '.repeat(400) }));
    let outcomes: PromiseSettledResult<void>[];
    try {
      // A database that may grow by only a few pages: some batch runs out of room (SQLITE_FULL) part
      // way through, after earlier members released their savepoints.
      const [{ page_count: pages }] = (await sql<{ page_count: number }>`pragma page_count`.execute(db))
        .rows as [{ page_count: number }];
      await sql.raw(`pragma max_page_count = ${pages + 40}`).execute(db);
      outcomes = await Promise.allSettled(
        rows.map((row) => store.transaction((tx) => tx.accessTokens.create(row))),
      );
    } finally {
      await store.close();
    }
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    assert.ok(refused.length > 0, 'the database filled up');
    // The member that hit the limit and the members of its batch alike: 503, nothing saved, retry later.
    for (const reason of refused) assert.ok(reason instanceof StoreUnavailableError, String(reason));
    assert.ok(
      outcomes.some((outcome) => outcome.status === 'fulfilled'),
      'some writes fit',
    );
    const reopened = await openStore(`sqlite:${file}`);
    try {
      for (const [index, row] of rows.entries()) {
        const saved = (await reopened.accessTokens.get(row.jti)) !== undefined;
        if (outcomes[index]?.status === 'fulfilled')
          assert.ok(saved, `member ${index} was answered, not saved`);
      }
    } finally {
      await reopened.close();
    }
  });

  it('reads outside a transaction do not wait for one that is open on the writer', async () => {
    const store = await openStore(`sqlite:${join(dir, 'reader.db')}`);
    try {
      const row = accessRow();
      await store.accessTokens.create(row);
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const open = store.transaction(async (tx) => {
        await tx.accessTokens.revoke(row.jti, NOW + 5);
        await held;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Served by the reader connection: the last commit, not the open transaction's write.
      assert.equal((await store.accessTokens.get(row.jti))?.revokedAt, null);
      release();
      await open;
      assert.equal((await store.accessTokens.get(row.jti))?.revokedAt, NOW + 5);
    } finally {
      await store.close();
    }
  });

  it('RL-08: a SIGKILL in the middle of a batch loses nothing that was answered', async () => {
    const file = join(dir, 'kill.db');
    // Migrate first, so the child starts writing at once.
    await (await openStore(`sqlite:${file}`)).close();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '../fixtures/sqlite-writer-child.ts'), file],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const answered: string[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the child answered too few writes in 20 s')), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        answered.push(...lines);
        if (answered.length >= 500) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => reject(new Error('the child exited early')));
    }).catch((error) => {
      child.kill('SIGKILL');
      throw error;
    });
    await new Promise((resolve) => child.once('close', resolve));
    const store = await openStore(`sqlite:${file}`);
    try {
      const missing: string[] = [];
      for (const jti of answered) {
        if ((await store.accessTokens.get(jti)) === undefined) missing.push(jti);
      }
      assert.deepEqual(missing, [], `${missing.length} of ${answered.length} answered writes were lost`);
    } finally {
      await store.close();
    }
  });
});
