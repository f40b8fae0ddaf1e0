// End to end: the example native app (examples/native-cli) as a child process, the real server, the
// example API (examples/api) and headless Chromium. `login --no-browser` prints the URL, Chromium signs
// alice in and lands on the app's loopback listener; then whoami, call (also after a forced expiry, which
// refreshes) and logout, whose revocation the server's introspection confirms.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildExampleApi } from '../../../examples/api/src/app.ts';
import { addCustomScope } from '../../server/src/services/authorization-servers.ts';
import { chromiumSkipReason, launchChromium } from '../../server/test/e2e/browser.ts';
import { TEST_PASSWORD, type TestServer } from '../../server/test/fixtures/test-server.ts';
import { startLatchkey } from './helpers/server.ts';

const BIN = fileURLToPath(new URL('../../../examples/native-cli/bin/latchkey-example.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('latchkey-example end to end', { skip: chromiumSkipReason(), timeout: 120_000 }, () => {
  let server: TestServer;
  let api: FastifyInstance;
  let browser: Browser;
  /** The browser profile alice signed in with: its Latchkey session must end at logout. */
  let profile: BrowserContext;
  let authorizeUrl: string;
  let configDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    server = await startLatchkey();
    await addCustomScope(server.deps, 'default', { name: 'messages:read', description: 'Read messages' });
    api = await buildExampleApi({ issuer: server.issuer });
    const apiUrl = await api.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    configDir = mkdtempSync(join(tmpdir(), 'latchkey-example-'));
    env = {
      ...process.env,
      // The example imports @latchkey/client: from its sources, like this test (package.json exports).
      NODE_OPTIONS: [process.env['NODE_OPTIONS'], '--conditions=@latchkey/source'].filter(Boolean).join(' '),
      LATCHKEY_ISSUER: server.issuer,
      EXAMPLE_API_URL: apiUrl,
      LATCHKEY_EXAMPLE_CONFIG_DIR: join(configDir, 'latchkey-example'),
      LATCHKEY_CLIENT_ID: '',
    };
  });
  after(async () => {
    await browser?.close();
    await api?.close();
    await server?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  function start(args: string[]): { child: ChildProcess; result: Promise<Run>; output: () => string } {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const result = new Promise<Run>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
    return { child, result, output: () => stdout };
  }

  async function run(...args: string[]): Promise<Run> {
    const outcome = await start(args).result;
    assert.equal(outcome.code, 0, `latchkey-example ${args.join(' ')}\n${outcome.stdout}\n${outcome.stderr}`);
    return outcome;
  }

  async function printedUrl(output: () => string, pattern: RegExp): Promise<string> {
    for (let waited = 0; waited < 30_000; waited += 50) {
      const match = pattern.exec(output());
      if (match?.[1]) return match[1];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no URL printed:\n${output()}`);
  }

  const tokenFile = () => join(configDir, 'latchkey-example', 'tokens.json');
  const readTokens = () => JSON.parse(readFileSync(tokenFile(), 'utf8')) as Record<string, unknown>;

  it('login --no-browser prints the URL; Chromium signs in; tokens land in a 0600 file', async () => {
    const login = start(['login', '--no-browser', '--client-id', server.nativePub.client.clientId]);
    const url = await printedUrl(login.output, /^\s+(http:\/\/\S+\/v1\/authorize\?\S+)$/m);
    assert.ok(url.startsWith(`${server.issuer}/v1/authorize?`));

    authorizeUrl = url;
    profile = await browser.newContext();
    const page = await profile.newPage();
    await page.goto(url);
    await page.fill('#username', server.user.login);
    await page.fill('#password', TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('You may close this window').waitFor();
    assert.match(page.url(), /^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);

    const outcome = await login.result;
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /Signed in as Alice Liddell\. Granted scopes: .*messages:read/);
    const stored = readTokens();
    assert.equal(stored['issuer'], server.issuer);
    assert.ok(stored['access_token'] && stored['refresh_token'] && stored['id_token']);
    if (process.platform !== 'win32') {
      assert.equal(statSync(tokenFile()).mode & 0o777, 0o600);
      assert.equal(statSync(join(configDir, 'latchkey-example')).mode & 0o777, 0o700);
    }
  });

  it('whoami prints the ID token claims and /userinfo', async () => {
    const { stdout } = await run('whoami', '--json');
    const { claims, userinfo } = JSON.parse(stdout);
    assert.equal(claims.sub, server.user.id);
    assert.equal(claims.aud, server.nativePub.client.clientId);
    assert.equal(userinfo.sub, server.user.id);
    assert.equal(userinfo.email, 'alice@example.com');
  });

  it('call prints the messages, and refreshes an expired access token first', async () => {
    const first = await run('call');
    assert.match(first.stdout, /Hello alice@example\.com, your access token was verified locally\./);

    const before = readTokens();
    writeFileSync(tokenFile(), JSON.stringify({ ...before, expires_at: Math.floor(Date.now() / 1000) - 60 }));
    const second = await run('call');
    assert.match(second.stdout, /Hello alice@example\.com/);
    assert.match(second.stderr, /The access token had expired; it was refreshed/);
    const after = readTokens();
    assert.notEqual(after['access_token'], before['access_token']);
    assert.ok((after['expires_at'] as number) > Date.now() / 1000 + 3000);
    assert.ok(after['refresh_token'], 'the refresh token (rotated or not) is kept');
  });

  it('logout revokes the refresh token, deletes the file and prints the session logout URL', async () => {
    const { refresh_token: refreshToken, access_token: accessToken } = readTokens();
    const logout = start(['logout', '--no-browser']);
    const url = await printedUrl(logout.output, /^\s+(http:\/\/\S+\/v1\/logout\?\S+)$/m);
    const outcome = await logout.result;
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /Signed out: tokens revoked and deleted/);
    assert.throws(() => statSync(tokenFile()), /ENOENT/);

    for (const token of [refreshToken, accessToken]) {
      const introspection = await fetch(server.url('/v1/introspect'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: String(token), client_id: server.nativePub.client.clientId }),
      });
      assert.equal(introspection.status, 200);
      assert.deepEqual(await introspection.json(), { active: false });
    }

    // The browser's SSO session: alive until the printed logout URL is opened in that browser.
    const probe = await profile.newPage();
    const sso = probe.waitForResponse((response) =>
      response.url().startsWith(`${server.issuer}/v1/authorize`),
    );
    await probe.goto(authorizeUrl).catch(() => undefined); // it ends at the old, closed loopback port
    assert.equal((await sso).status(), 302, 'still signed in: /authorize redirects without a page');
    await probe.close();
    const page = await profile.newPage();
    await page.goto(url);
    await page.getByText('You are signed out of Latchkey').waitFor();
    await page.goto(authorizeUrl);
    await page.locator('#password').waitFor();

    const again = await start(['call']).result;
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Not signed in\. Run: latchkey-example login/);
  });
});
