// The published packages as an app outside this repository gets them (issue 11): `npm pack` of
// @latchkey/client and @latchkey/verifier (prepack builds dist/), the two tarballs installed into a folder
// made by `npm init -y`, then against a running Latchkey a plain ES module (`import`) and a CommonJS file
// (`require()`) sign in with the client (PKCE, discovery, code exchange) and verify the access token with
// the verifier; and Chromium loads the client's ESM build from a `<script type="module">`.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import {
  chromiumSkipReason,
  freePort,
  launchChromium,
  type SmallServer,
  startSmallServer,
} from '../e2e/browser.ts';
import { authorizeUrl, CookieJar, responseParams, signIn } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const PACKAGES = fileURLToPath(new URL('../../../', import.meta.url));
const CONSUMER = fileURLToPath(new URL('./consumer/', import.meta.url));
const run = promisify(execFile);

/** The environment without what the `npm test` running this suite set: npm_* settings and loaders. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.toLowerCase().startsWith('npm_') && key !== 'NODE_OPTIONS',
    ),
  );
  return { ...env, ...extra };
}

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', args, { cwd, env: plainEnv(), timeout: 90_000 });
  return stdout;
}

interface Packed {
  filename: string;
  files: { path: string }[];
}

async function pack(name: string, destination: string): Promise<Packed> {
  const [packed] = JSON.parse(
    await npm(['pack', '--json', '--pack-destination', destination], join(PACKAGES, name)),
  ) as Packed[];
  if (packed === undefined) throw new Error(`npm pack of ${name} printed nothing`);
  return { ...packed, filename: join(destination, packed.filename) };
}

interface FlowResult {
  resolved: string[];
  pkceValid: boolean;
  discoveredIssuer: string;
  authorizationUrl: string;
  sub: string;
  cid: string;
  scp: string[];
  forged: string;
  entries: Record<string, unknown>;
}

describe('packaging: the npm tarballs in a fresh app', { timeout: 120_000 }, () => {
  let work: string;
  let app: string;
  let client: Packed;
  let verifier: Packed;
  let server: TestServer;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'latchkey-packaging-'));
    app = join(work, 'app');
    mkdirSync(app);
    const port = await freePort();
    const started = startTestServer({ publicUrl: `http://127.0.0.1:${port}`, env: { PORT: String(port) } });
    try {
      [client, verifier] = await Promise.all([pack('client', work), pack('verifier', work)]);
      await npm(['init', '-y'], app);
      // jose (the verifier's dependency) comes from npm's cache when it is there, else the registry.
      await npm(
        ['install', '--prefer-offline', '--no-audit', '--no-fund', client.filename, verifier.filename],
        app,
      );
      for (const file of readdirSync(CONSUMER)) copyFileSync(join(CONSUMER, file), join(app, file));
    } finally {
      server = await started;
    }
  });
  after(async () => {
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs dist/ (ESM, CommonJS, both declarations) and src/, no tests', () => {
    for (const [packed, entries] of [
      [client, ['index', 'node/index']],
      [verifier, ['index', 'express', 'fastify']],
    ] as const) {
      const paths = packed.files.map((file) => file.path);
      for (const entry of entries) {
        for (const extension of ['.js', '.cjs', '.d.ts', '.d.cts']) {
          assert.ok(
            paths.includes(`dist/${entry}${extension}`),
            `dist/${entry}${extension} in ${packed.filename}`,
          );
        }
      }
      assert.deepEqual(
        paths.filter(
          (path) => !/^(dist|src)\//.test(path) && path !== 'package.json' && path !== 'README.md',
        ),
        [],
      );
    }
  });

  /** Runs `file` in the app; signs in at the URL it prints and sends the redirect back on its stdin. */
  async function signInWith(file: string): Promise<FlowResult> {
    const child = spawn(process.execPath, [file], {
      cwd: app,
      env: plainEnv({ LATCHKEY_ISSUER: server.issuer, LATCHKEY_CLIENT_ID: server.nativePub.client.clientId }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const lines: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line);
      const printed = JSON.parse(line) as { authorizationUrl?: string; resolved?: string[] };
      if (printed.resolved !== undefined) break;
      if (printed.authorizationUrl !== undefined) {
        const response = await signIn(server, printed.authorizationUrl, new CookieJar());
        child.stdin.end(`${response.headers.get('location')}\n`);
      }
    }
    assert.equal(await exited, 0, stderr);
    return JSON.parse(lines.at(-1) ?? '{}') as FlowResult;
  }

  function assertSignedIn(result: FlowResult, extension: '.js' | '.cjs'): void {
    assert.deepEqual(
      result.resolved.map((path) => path.replace(/^.*node_modules\//, '')),
      [
        '@latchkey/client/dist/index',
        '@latchkey/client/dist/node/index',
        '@latchkey/verifier/dist/index',
      ].map((path) => path + extension),
    );
    assert.equal(result.pkceValid, true);
    assert.equal(result.discoveredIssuer, server.issuer);
    assert.ok(result.authorizationUrl.startsWith(server.url('/v1/authorize?')), result.authorizationUrl);
    assert.equal(result.sub, server.user.login);
    assert.equal(result.cid, server.nativePub.client.clientId);
    assert.deepEqual(result.scp, ['openid', 'profile']);
    assert.equal(result.forged, 'bad_signature');
    assert.deepEqual(result.entries, {
      loginWithLoopback: 'function',
      clientErrorShared: true,
      latchkeyVerifier: 'function',
      expressVerifier: 'function',
    });
  }

  it('an ES module app imports both packages: PKCE, discovery, code exchange, token verified', async () => {
    assertSignedIn(await signInWith('esm.mjs'), '.js');
  });

  it('a CommonJS app requires both packages: PKCE, discovery, code exchange, token verified', async () => {
    assertSignedIn(await signInWith('cjs.cjs'), '.cjs');
  });

  describe('in Chromium', { skip: chromiumSkipReason() }, () => {
    let browser: Browser;
    let site: SmallServer;

    before(async () => {
      const dist = join(app, 'node_modules/@latchkey/client/dist');
      site = await startSmallServer((request, response) => {
        const path = new URL(request.url ?? '/', 'http://site').pathname;
        if (path === '/') {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(server));
          return;
        }
        const file = normalize(path.replace(/^\/client\//, '/'));
        if (!path.startsWith('/client/') || extname(file) !== '.js') {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(dist, file)));
      });
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await site?.close();
    });

    it('a <script type="module"> imports dist/index.js: PKCE, discovery (CORS), an authorization URL the server takes', async () => {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(`${site.origin}/`);
      const handle = await tab.waitForFunction(() => (window as { result?: unknown }).result, undefined, {
        timeout: 15_000,
      });
      const result = (await handle.jsonValue()) as Record<string, string>;
      await context.close();
      assert.equal(result['error'], undefined);
      assert.equal(
        result['challenge'],
        createHash('sha256')
          .update(result['verifier'] ?? '')
          .digest('base64url'),
      );
      assert.equal(result['issuer'], server.issuer);
      const url = new URL(result['url'] ?? '');
      assert.equal(url.searchParams.get('code_challenge'), result['challenge']);
      // The URL the browser built signs alice in: the server sends her back to the SPA with a code.
      const redirect = await signIn(
        server,
        authorizeUrl(server, Object.fromEntries(url.searchParams)),
        new CookieJar(),
      );
      assert.ok(responseParams(redirect.headers.get('location')).get('code'));
    });
  });
});

/** The page of a browser app: the client's ESM build, unbundled, straight from the package. */
function page(server: TestServer): string {
  const options = {
    clientId: server.spaPub.client.clientId,
    redirectUri: 'http://localhost:8080/callback',
    scopes: ['openid', 'profile'],
  };
  return `<!doctype html><title>Latchkey client in a page</title>
<script type="module">
import { createAuthorizationRequest, discover, generatePkce } from '/client/index.js';
try {
  const pkce = await generatePkce();
  const metadata = await discover(${JSON.stringify(server.issuer)});
  const request = await createAuthorizationRequest(metadata, { ...${JSON.stringify(options)}, pkce });
  window.result = { verifier: pkce.verifier, challenge: pkce.challenge, issuer: metadata.issuer, url: request.url };
} catch (error) {
  window.result = { error: String(error) };
}
</script>`;
}
