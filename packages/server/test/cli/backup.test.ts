// Issue 11 §3: `latchkey backup` while a server is under load (concurrent token requests), `latchkey
// restore` into a fresh location, and a server started on the restored file serves what was there: the
// apps, the users and a refresh token issued before the backup. Restore refuses files that are not
// Latchkey databases and databases a running server uses; both commands point PostgreSQL to pg_dump.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServer } from '../../src/main.ts';
import { runLatchkey } from '../fixtures/cli.ts';
import { obtainTokens, refresh } from '../fixtures/refresh-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { expectTokens } from '../fixtures/token-assertions.ts';

const dir = mkdtempSync(join(tmpdir(), 'latchkey-backup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('backup and restore (SQLite)', () => {
  it('a backup taken under load restores into a fresh location with its apps, users and tokens', async (t) => {
    const server = await startTestServer();
    const env = { DATABASE_URL: server.deps.config.databaseUrl, LATCHKEY_SECRET: server.deps.config.secret };
    const kept = await obtainTokens(server, 'nativePub');
    const backup = join(dir, 'backups', 'latchkey-backup.db');
    let backedUp: Awaited<ReturnType<typeof runLatchkey>>;
    let requests = 0;
    try {
      // Four clients rotate their refresh tokens as fast as they can while the backup runs.
      const chains = await Promise.all([1, 2, 3, 4].map(() => obtainTokens(server, 'nativePub')));
      let loading = true;
      const load = chains.map(async (tokens) => {
        let current = tokens.refresh_token ?? '';
        while (loading && requests < 2000) {
          current = (await expectTokens(await refresh(server, 'nativePub', current))).refresh_token ?? '';
          requests += 1;
        }
      });
      backedUp = await runLatchkey(['backup', backup], env);
      const during = requests;
      loading = false;
      await Promise.all(load);
      assert.ok(during > 0, 'token requests ran while the backup was taken');
      t.diagnostic(`${during} token requests answered while the backup ran`);
    } finally {
      await server.close();
    }
    assert.equal(backedUp.code, 0, backedUp.stderr);
    assert.match(backedUp.stdout, /^Backed up the database to .*latchkey-backup\.db \(\d+ bytes\)\.\n$/);
    assert.match(backedUp.stderr, /LATCHKEY_SECRET/);
    assert.equal(statSync(backup).mode & 0o777, 0o600, 'the backup is owner-only');
    assert.equal((await runLatchkey(['backup', backup], env)).code, 1, 'an existing file is not overwritten');

    const restoredDb = join(dir, 'fresh', 'restored.db');
    const restoredEnv = { DATABASE_URL: `sqlite:${restoredDb}`, LATCHKEY_SECRET: env.LATCHKEY_SECRET };
    const restored = await runLatchkey(['restore', backup], restoredEnv);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /^Restored .* into .*restored\.db/);
    for (const suffix of ['-wal', '-shm']) assert.ok(!existsSync(`${restoredDb}${suffix}`));

    const running = await startServer({ ...restoredEnv, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    try {
      const { store } = running.deps;
      assert.equal((await store.users.getByLogin(server.user.login))?.id, server.user.id);
      assert.equal((await store.clients.get(server.webConf.client.clientId))?.name, 'Web Conf');
      const onRestored: TestServer = {
        ...server,
        baseUrl: running.address,
        url: (path) => `${running.address}/oauth2/default${path}`,
      };
      const refreshed = await expectTokens(await refresh(onRestored, 'nativePub', kept.refresh_token ?? ''));
      assert.ok(refreshed.access_token);

      // While this server runs on it, the database is not replaced.
      const refused = await runLatchkey(['restore', backup], restoredEnv);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        new RegExp(
          `A Latchkey server \\(pid ${process.pid} .*is using .*restored\\.db\\. Stop it, then restore\\.`,
        ),
      );
    } finally {
      await running.close();
    }
    assert.ok(!existsSync(`${restoredDb}.server.pid`), 'the marker goes with the server');
    // Once it has stopped, a restore replaces the existing database (and its -wal/-shm) in place.
    const again = await runLatchkey(['restore', backup], restoredEnv);
    assert.equal(again.code, 0, again.stderr);
    for (const suffix of ['-wal', '-shm']) assert.ok(!existsSync(`${restoredDb}${suffix}`));
    const reopened = await startServer({ ...restoredEnv, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    try {
      assert.equal((await reopened.deps.store.users.getByLogin(server.user.login))?.id, server.user.id);
    } finally {
      await reopened.close();
    }
  });

  it('restore refuses files that are not Latchkey databases, and leaves the database as it was', async () => {
    const target = join(dir, 'target', 'latchkey.db');
    const env = { DATABASE_URL: `sqlite:${target}`, LATCHKEY_SECRET: 'x'.repeat(40) };
    const text = join(dir, 'notes.txt');
    writeFileSync(
      text,
      'not a database at all, just some text that is long enough to look like pages\n'.repeat(100),
    );
    const other = join(dir, 'other.db');
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(other);
    db.exec('create table t (x)');
    db.close();
    for (const [file, message] of [
      [text, /is not a SQLite database/],
      [other, /is a SQLite database but not a Latchkey one/],
      [join(dir, 'missing.db'), /There is no file/],
    ] as const) {
      const result = await runLatchkey(['restore', file], env);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, message);
      assert.ok(!existsSync(target), 'nothing was put in place');
    }
  });

  it('PostgreSQL: both commands point to pg_dump', async () => {
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', LATCHKEY_SECRET: 'x'.repeat(40) };
    for (const command of ['backup', 'restore']) {
      const result = await runLatchkey([command, join(dir, 'pg.db')], env);
      assert.equal(result.code, 78, result.stderr);
      assert.match(result.stderr, new RegExp(`latchkey ${command} works on SQLite only.*pg_dump`));
    }
  });
});
