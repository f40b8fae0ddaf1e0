// The first admin (issue 5): from LATCHKEY_BOOTSTRAP_ADMIN_EMAIL/_PASSWORD, or through the one-time setup link
// printed at first start: stored only as a hash, valid 24 h, used once, refused once an admin exists.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bootstrapAdmin } from '../../src/accounts/bootstrap-admin.ts';
import { ConfigError } from '../../src/config/schema.ts';
import { sha256Hex } from '../../src/oauth/random.ts';
import { freePort } from '../e2e/browser.ts';
import { type CliInstallation, cliInstallation, runLatchkey } from '../fixtures/cli.ts';
import { ConsoleClient } from '../fixtures/console.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const GOOD_PASSWORD = 'orchid marble lantern 31';
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

describe('first admin', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  const setupToken = async (): Promise<string> => {
    const outcome = await bootstrapAdmin(server.deps, {});
    assert.equal(outcome.kind, 'setup-link');
    if (outcome.kind !== 'setup-link') throw new Error('no link');
    assert.ok(outcome.url.startsWith('https://idp.test/console/setup?token='), outcome.url);
    return new URL(outcome.url).searchParams.get('token') ?? '';
  };

  it('a bad bootstrap password or a lone variable stops start-up, naming the variable', async () => {
    const env = (password: string) => ({
      LATCHKEY_BOOTSTRAP_ADMIN_EMAIL: 'root@example.com',
      LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD: password,
    });
    for (const [input, variable] of [
      [env('password'), 'LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD'],
      [env('short'), 'LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD'],
      [
        { ...env(GOOD_PASSWORD), LATCHKEY_BOOTSTRAP_ADMIN_EMAIL: 'not-an-email' },
        'LATCHKEY_BOOTSTRAP_ADMIN_EMAIL',
      ],
      [{ LATCHKEY_BOOTSTRAP_ADMIN_EMAIL: 'root@example.com' }, 'LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD'],
      [{ LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD: GOOD_PASSWORD }, 'LATCHKEY_BOOTSTRAP_ADMIN_EMAIL'],
    ] as const) {
      await assert.rejects(bootstrapAdmin(server.deps, input), (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.equal(error.setting, variable);
        return true;
      });
    }
    assert.equal(await server.deps.store.users.getByLogin('root@example.com'), undefined);
  });

  it('the setup link: stored hashed, opens the form, and a refused password keeps it usable', async () => {
    const token = await setupToken();
    assert.equal(await server.deps.store.settings.get(`admin_setup_token:${token}`), undefined);
    assert.ok(await server.deps.store.settings.get(`admin_setup_token:${sha256Hex(token)}`));
    const bad = new ConsoleClient(server);
    assert.equal((await bad.get('/console/setup?token=not-the-token')).response.status, 400);

    const client = new ConsoleClient(server);
    const form = await client.get(`/console/setup?token=${token}`);
    assert.equal(form.response.status, 200);
    assert.match(form.response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    const weak = await client.post('/console/setup', {
      token,
      name: 'Root',
      email: 'root@example.com',
      password: 'password',
      confirm: 'password',
    });
    assert.equal(weak.response.status, 400);
    assert.match(weak.html, /<div id="password-error">[\s\S]*too common/);
    const mismatch = await client.post('/console/setup', {
      token,
      name: 'Root',
      email: 'root@example.com',
      password: GOOD_PASSWORD,
      confirm: `${GOOD_PASSWORD}!`,
    });
    assert.match(mismatch.html, /<div id="confirm-error">[\s\S]*do not match/);
    assert.equal((await client.get(`/console/setup?token=${token}`)).response.status, 200, 'still usable');
  });

  it('the setup link creates the first admin, signs them in, and works only once', async () => {
    const token = await setupToken();
    const form = {
      token,
      name: 'Root Admin',
      email: 'root@example.com',
      password: GOOD_PASSWORD,
      confirm: GOOD_PASSWORD,
    };
    const [first, second] = [new ConsoleClient(server), new ConsoleClient(server)];
    await first.get(`/console/setup?token=${token}`);
    await second.get(`/console/setup?token=${token}`);
    const results = await Promise.all([
      first.post('/console/setup', form),
      second.post('/console/setup', { ...form, email: 'other@example.com' }),
    ]);
    const winners = results.filter(({ response }) => response.status === 303);
    assert.equal(winners.length, 1, results.map(({ response }) => response.status).join(','));
    assert.equal(winners[0]?.response.headers.get('location'), '/console/apps?done=welcome');
    const winner = winners[0] === results[0] ? first : second;
    assert.equal((await winner.get('/console/users')).response.status, 200, 'signed in');
    const admins = await server.deps.store.users.list({ limit: 10, admin: true });
    assert.equal(admins.length, 1);
    assert.equal(admins[0]?.name, 'Root Admin');
    // Used up, and no other link works once an admin exists.
    assert.equal((await new ConsoleClient(server).get(`/console/setup?token=${token}`)).response.status, 410);
    assert.deepEqual(await bootstrapAdmin(server.deps, {}), { kind: 'admin-exists' });
  });

  it('a setup link expires after 24 hours', async () => {
    await server.deps.store.users.update(
      (await server.deps.store.users.list({ limit: 1, admin: true }))[0]!.id,
      {
        status: 'DEPROVISIONED',
      },
    );
    const token = await setupToken();
    server.clock.advance(24 * 3600);
    const { response, html } = await new ConsoleClient(server).get(`/console/setup?token=${token}`);
    assert.equal(response.status, 400);
    assert.match(html, /expired or was already used/);
  });

  it('the environment variables create the admin when none exists; later starts leave it alone', async () => {
    const env = {
      LATCHKEY_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.com',
      LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD: GOOD_PASSWORD,
    };
    const created = await bootstrapAdmin(server.deps, env);
    assert.equal(created.kind, 'created');
    const user = await server.deps.store.users.getByLogin('ops@example.com');
    assert.equal(user?.isAdmin, true);
    assert.match(user?.passwordHash ?? '', /^\$argon2id\$/);
    assert.deepEqual(await bootstrapAdmin(server.deps, { ...env, LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD: 'x' }), {
      kind: 'admin-exists',
    });
    const client = new ConsoleClient(server);
    assert.equal((await client.signIn('ops@example.com', GOOD_PASSWORD)).response.status, 303);
  });
});

describe('latchkey serve on a fresh installation', () => {
  let installation: CliInstallation;
  before(async () => {
    installation = await cliInstallation();
  });
  after(() => installation.remove());

  it('prints a setup link that opens the first-admin form', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/latchkey.js', 'serve'], {
      cwd: PACKAGE_DIR,
      env: {
        PATH: process.env['PATH'],
        LOG_LEVEL: 'silent',
        ...installation.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        // SIGTERM ends it below; no balancer to drain for.
        LATCHKEY_DRAIN_SECONDS: '0',
      },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /Set up the first admin: (\S+)/.exec(stdout);
          if (match?.[1] !== undefined) resolve(match[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stdout}`)));
      });
      assert.match(url, new RegExp(`^http://localhost:${port}/console/setup\\?token=[A-Za-z0-9_-]{43}$`));
      const page = await fetch(url.replace('localhost', '127.0.0.1'));
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Create the first admin/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
    }
  });

  it('refuses to start with a weak LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD, naming it', {
    timeout: 60_000,
  }, async () => {
    const result = await runLatchkey(['serve'], {
      ...installation.env,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LATCHKEY_BOOTSTRAP_ADMIN_EMAIL: 'root@example.com',
      LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD: 'password',
    });
    assert.equal(result.code, 78, result.stderr);
    assert.match(
      result.stderr,
      /^Configuration error: LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD: Password is too common/m,
    );
    assert.equal(result.stdout, '');
  });
});
