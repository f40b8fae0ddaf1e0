import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { openStore } from '../../src/storage/open-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'latchkey-modes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
}

// With umask 0 a default mkdir gives 0777 and SQLite's default file mode 0644: only explicit modes pass.
async function withUmask<T>(mask: number, run: () => Promise<T>): Promise<T> {
  const previous = process.umask(mask);
  try {
    return await run();
  } finally {
    process.umask(previous);
  }
}

async function openWriteAndCheck(file: string): Promise<void> {
  const store = await openStore(`sqlite:${file}`);
  try {
    // A write, so the -wal and -shm files certainly exist while the store is open.
    await store.events.append({
      id: `e${Math.random().toString(36).slice(2)}`,
      time: 1_700_000_000,
      type: 'test.write',
      outcome: 'SUCCESS',
      serverId: null,
      clientId: null,
      userId: null,
      actor: null,
      ip: null,
      error: null,
      reason: 'a write',
    });
    for (const path of [file, `${file}-wal`, `${file}-shm`]) assert.equal(mode(path), '0600', path);
  } finally {
    await store.close();
  }
}

describe('file permissions', () => {
  it('FP-01: a new data folder is 0700 and the database, -wal and -shm files 0600, whatever the umask', async () => {
    await withUmask(0, async () => {
      const folder = join(dir, 'fresh', 'data');
      const file = join(folder, 'latchkey.db');
      await openWriteAndCheck(file);
      assert.equal(mode(folder), '0700');
      assert.equal(mode(join(dir, 'fresh')), '0700', 'every folder created on the way');
    });
  });

  it('FP-01: existing world-readable database, -wal and -shm files are narrowed to 0600', async () => {
    const folder = join(dir, 'old');
    mkdirSync(folder, { mode: 0o755 });
    const file = join(folder, 'latchkey.db');
    const first = await openStore(`sqlite:${file}`);
    await first.close();
    // What an older version left behind; a -shm from a crashed process included.
    writeFileSync(`${file}-shm`, '');
    for (const path of [file, `${file}-shm`]) chmodSync(path, 0o644);
    await openWriteAndCheck(file);
    // A folder that already existed is not changed: it may be the working directory.
    assert.equal(mode(folder), '0755');
  });

  it('FP-02: a generated LATCHKEY_SECRET file is 0600 in a 0700 folder; an existing one is narrowed', async () => {
    await withUmask(0, async () => {
      const folder = join(dir, 'secret', 'data');
      const env = { DATABASE_URL: `sqlite:${join(folder, 'latchkey.db')}`, LATCHKEY_SECRET: '' };
      const { config, warnings } = loadConfig(env);
      const file = join(folder, 'latchkey.secret');
      assert.ok(warnings.some((warning) => warning.includes(file)));
      assert.equal(mode(file), '0600');
      assert.equal(mode(folder), '0700');
      assert.ok(config.secret.length >= 32);

      chmodSync(file, 0o644);
      assert.equal(loadConfig(env).config.secret, config.secret, 'the same secret is read back');
      assert.equal(mode(file), '0600');
    });
  });
});
