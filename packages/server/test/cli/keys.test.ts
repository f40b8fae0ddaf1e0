// `latchkey keys rotate` and `latchkey keys revoke` end to end (SECURITY-MATRIX rule 7, RL-09, RL-10): real
// processes on a real SQLite file, as test/cli/cli.test.ts runs them. Each spawn costs about a second, so
// independent commands run side by side.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ROTATION_POLICY, KEY_CACHE_SECONDS } from '../../src/oauth/keys/rotation.ts';
import { openStore, runMigrations } from '../../src/storage/open-store.ts';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const directories: string[] = [];

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function installation(): Promise<{ databaseUrl: string; run: (...args: string[]) => Promise<Result> }> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-keys-'));
  directories.push(dir);
  const databaseUrl = `sqlite:${join(dir, 'x.db')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    DATABASE_URL: databaseUrl,
    LATCHKEY_SECRET: randomBytes(36).toString('base64').slice(0, 48),
    LOG_LEVEL: 'silent',
  };
  // Migrated here: several processes migrating one new SQLite file at once would collide.
  await runMigrations(databaseUrl);
  const run = (...args: string[]): Promise<Result> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/latchkey.js', ...args], { cwd: PACKAGE_DIR, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end();
    });
  return { databaseUrl, run };
}

function json<T = Record<string, unknown>>(result: Result): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

async function activeKid(databaseUrl: string): Promise<string> {
  const store = await openStore(databaseUrl);
  try {
    const rows = await store.signingKeys.listForServer('default');
    return rows.find((row) => row.status === 'ACTIVE')?.kid ?? '';
  } finally {
    await store.close();
  }
}

after(() => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

describe('latchkey keys', { concurrency: 2 }, () => {
  it('RL-09 keys rotate stages one next key that signs after the pre-publication window', async () => {
    const { run } = await installation();
    const staged = json(await run('keys', 'rotate', '--json'));
    assert.equal(staged['status'], 'NEXT');
    assert.equal(staged['staged'], true);
    assert.equal(staged['activated'], null);
    const created = Date.parse(staged['created'] as string);
    const signsFrom = Date.parse(staged['signsFrom'] as string);
    assert.equal(signsFrom - created, DEFAULT_ROTATION_POLICY.prePublicationSeconds * 1000);

    const [again, text, listed] = await Promise.all([
      run('keys', 'rotate', '--json'),
      run('keys', 'rotate'),
      run('keys', 'list', '--json'),
    ]);
    assert.deepEqual(json(again), { ...staged, staged: false });
    assert.match(again.stderr, /already staged/);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`Next key:\\s+${staged['kid']}\\n`));
    assert.match(text.stdout, /Signs from:/);
    const keys = json<Record<string, unknown>[]>(listed);
    assert.deepEqual(keys.map((key) => key['status']).sort(), ['ACTIVE', 'NEXT']);
  });

  it('RL-10 keys revoke asks for --yes, then revokes at once and the staged key signs; unknown kid or server exits 3', async () => {
    const { run, databaseUrl } = await installation();
    const next = json(await run('keys', 'rotate', '--json'))['kid'] as string;
    const active = await activeKid(databaseUrl);

    const [unconfirmed, unknownKid, unknownServer] = await Promise.all([
      run('keys', 'revoke', active),
      run('keys', 'revoke', 'no-such-kid', '--yes'),
      run('keys', 'revoke', active, '--server', 'no-such-server', '--yes'),
    ]);
    assert.equal(unconfirmed.code, 2);
    assert.match(unconfirmed.stderr, /^Error: --yes: Revoking .* is immediate/);
    assert.equal(unknownKid.code, 3);
    assert.match(unknownKid.stderr, /no-such-kid/);
    assert.equal(unknownServer.code, 3);

    const revoked = await run('keys', 'revoke', active, '--yes', '--json');
    const body = json(revoked);
    assert.equal(body['kid'], active);
    assert.equal(body['status'], 'REVOKED');
    const replacement = body['replacement'] as Record<string, unknown>;
    assert.deepEqual([replacement['kid'], replacement['status']], [next, 'ACTIVE']);
    assert.match(revoked.stderr, new RegExp(`within ${KEY_CACHE_SECONDS} s`));

    const twice = await run('keys', 'revoke', active, '--yes');
    assert.equal(twice.code, 0, twice.stderr);
    assert.match(twice.stderr, /already revoked/);

    // The rows stay, private halves sealed as compact JWE (RL-10 "encrypted at rest", JW-06).
    const store = await openStore(databaseUrl);
    try {
      const rows = await store.signingKeys.listForServer('default');
      assert.deepEqual(Object.fromEntries(rows.map((row) => [row.kid, row.status])), {
        [active]: 'REVOKED',
        [next]: 'ACTIVE',
      });
      for (const row of rows) {
        assert.equal(row.privateJwe.split('.').length, 5);
        assert.doesNotMatch(row.privateJwe, /"d"/);
      }
    } finally {
      await store.close();
    }
  });
});
