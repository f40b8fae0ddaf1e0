// Issue 12: the README's first steps with no settings at all. `npm start` (which runs in packages/server)
// and `npx latchkey` (run in the repository root) must use one database and one secret, or the app just
// created is an unknown client to the server. Run in a temporary copy of the repository (its own root,
// data folder and HOME), so nothing is written into this checkout's data/. Only PORT is set: the machine
// is shared, and both processes get the same one.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../e2e/browser.ts';

const REPOSITORY = fileURLToPath(new URL('../../../../', import.meta.url));
const SERVER = join(REPOSITORY, 'packages', 'server');

/** The repository as `npm ci` leaves it, minus everything but the server: node_modules entries are links. */
function copyRepository(root: string): void {
  copyFileSync(join(REPOSITORY, 'package.json'), join(root, 'package.json'));
  copyFileSync(join(REPOSITORY, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'));
  const server = join(root, 'packages', 'server');
  mkdirSync(server, { recursive: true });
  for (const file of ['package.json', 'build.mjs', 'tsconfig.json'])
    copyFileSync(join(SERVER, file), join(server, file));
  cpSync(join(SERVER, 'bin'), join(server, 'bin'), { recursive: true });
  symlinkSync(join(SERVER, 'src'), join(server, 'src'));
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, '@latchkey'), { recursive: true });
  mkdirSync(join(modules, '.bin'));
  for (const entry of readdirSync(join(REPOSITORY, 'node_modules'))) {
    if (entry === '@latchkey' || entry === '.bin') continue;
    symlinkSync(join(REPOSITORY, 'node_modules', entry), join(modules, entry));
  }
  symlinkSync('../../packages/server', join(modules, '@latchkey', 'server'));
  symlinkSync('../@latchkey/server/bin/latchkey.js', join(modules, '.bin', 'latchkey'));
}

describe('issue 12: npm start and npx latchkey from the repository root, nothing configured', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;
  let banner = '';
  let port = 0;

  const run = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn('npx', args, { cwd: root, env });
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
    });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'latchkey-first-hour-'));
    const home = join(root, 'home');
    mkdirSync(home);
    const repo = join(root, 'repo');
    mkdirSync(repo);
    copyRepository(repo);
    root = repo;
    port = await freePort();
    env = {
      PATH: process.env['PATH'],
      HOME: home,
      PORT: String(port),
      npm_config_update_notifier: 'false',
      npm_config_offline: 'true',
    };
    server = spawn('npm', ['start'], { cwd: root, env, detached: true });
    let errors = '';
    server.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner after 60 s: ${banner} ${errors}`)), 60_000);
      server?.stdout?.on('data', (chunk: Buffer) => {
        banner += chunk.toString();
        if (banner.includes('npx latchkey users create')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server?.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${errors}`)));
    });
  });

  after(() => {
    if (server?.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('both use <root>/data; the banner and `latchkey config` say so; the new app is known to the server', async () => {
    const database = `sqlite:${join(root, 'data', 'latchkey.db')}`;
    const secret = join(root, 'data', 'latchkey.secret');
    assert.ok(banner.includes(`Database:   ${database}`), banner);
    assert.ok(banner.includes(`Secret:     ${secret}`), banner);

    const config = await run(['latchkey', 'config', '--json']);
    assert.equal(config.code, 0, config.stderr);
    assert.deepEqual(JSON.parse(config.stdout), {
      home: root,
      database_url: database,
      secret_file: secret,
      public_url: `http://localhost:${port}`,
      issuer: `http://localhost:${port}/oauth2/default`,
    });

    const created = await run([
      'latchkey',
      'apps',
      'create',
      '--name',
      'First App',
      '--type',
      'native',
      '--redirect-uri',
      'http://127.0.0.1/callback',
      '--json',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const clientId = (JSON.parse(created.stdout) as { client_id: string }).client_id;
    const authorize = new URL(`http://127.0.0.1:${port}/oauth2/default/v1/authorize`);
    for (const [key, value] of Object.entries({
      client_id: clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'http://127.0.0.1/callback',
      state: 'state-1',
      code_challenge_method: 'S256',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    })) {
      authorize.searchParams.set(key, value);
    }
    const page = await fetch(authorize, { redirect: 'manual' });
    const html = await page.text();
    assert.equal(page.status, 200, html.slice(0, 400));
    assert.match(html, /to continue to <strong>First App<\/strong>/);
    assert.equal(existsSync(join(root, 'packages', 'server', 'data')), false, 'no second data folder');
  });
});
