// `latchkey serve` as an operator sees it (issue 11 §2): start-up warnings are readable lines of the banner,
// not JSON log lines in the middle of it; the SQLite server marker exists while serving and goes at exit.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'latchkey-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('latchkey serve banner', () => {
  it('warnings are part of the banner; every other stdout line is a whole JSON log line', async () => {
    const database = join(dir, 'latchkey.db');
    const child = spawn(process.execPath, ['bin/latchkey.js', 'serve'], {
      cwd: PACKAGE_DIR,
      // No secret (generated, with a warning) and a plain-http public URL (another warning).
      env: {
        PATH: process.env['PATH'],
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${database}`,
        LOG_LEVEL: 'info',
      },
    });
    let stdout = '';
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner in 20 s: ${stdout}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Register a native app')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await started;
      assert.ok(existsSync(`${database}.server.pid`), 'the server marker is written');
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    assert.ok(!existsSync(`${database}.server.pid`), 'and removed at exit');

    const lines = stdout.split('\n');
    const first = lines.findIndex((line) => line.includes('Latchkey is running'));
    const last = lines.findIndex((line) => line.includes('Register a native app'));
    const banner = lines.slice(first, last + 3);
    assert.ok(
      banner.some((line) => /^ {2}Warning: LATCHKEY_SECRET is not set: generated one into /.test(line)),
      stdout,
    );
    assert.ok(
      banner.some((line) => /^ {2}Warning: LATCHKEY_PUBLIC_URL is plain http/.test(line)),
      stdout,
    );
    assert.ok(!banner.some((line) => line.startsWith('{')), `a JSON line inside the banner:\n${stdout}`);
    for (const line of [...lines.slice(0, first), ...lines.slice(last + 3)].filter(Boolean)) {
      assert.doesNotThrow(() => JSON.parse(line), line);
    }
  });
});
