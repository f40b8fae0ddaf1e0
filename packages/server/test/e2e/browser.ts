// Real-browser helpers (ARCHITECTURE "Tests": e2e): Debian's Chromium driven by playwright-core, which
// never downloads a browser; a free-port finder so the issuer can name its port before the server starts;
// and tiny node:http servers for an app's loopback callback or a page from another origin.

import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { startTestServer, type TestServer, type TestServerOptions } from '../fixtures/test-server.ts';

export const CHROMIUM_PATH = process.env['LATCHKEY_CHROMIUM'] ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (gitignored under test-output/). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));

/**
 * Why the browser tests cannot run here, or false. Local runs without Chromium skip with this reason; in CI
 * (`CI` set) .ci/run installs Chromium, so a missing browser must fail instead of skipping silently.
 */
export function chromiumSkipReason(): string | false {
  if (existsSync(CHROMIUM_PATH) || process.env['CI'] !== undefined) return false;
  return `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium package (CI does in .ci/run) or set LATCHKEY_CHROMIUM`;
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * A free TCP port on 127.0.0.1 for a server that must know its own port before it starts (the issuer names
 * it). Drawn at random below Linux's ephemeral range (32768-60999): a port that the kernel hands out for
 * `listen(0)` or for the local end of an outgoing connection (every PostgreSQL client socket) could be taken
 * again between this probe and the real listen, which once failed CI with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port between 20000 and 32000 on 127.0.0.1');
}

function canListen(port: number): Promise<boolean> {
  const probe = createTcpServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Waits for every start, then fails with the first failure. Unlike `Promise.all`, nothing is still starting
 * when a suite's `after` runs, so a browser or server that did start is assigned and closed: a Chromium left
 * running keeps the test process alive (it once held CI until its 90-minute limit).
 */
export async function allStarted(starts: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

export interface BrowserSuite {
  /** http://localhost:<port>: the issuer's base, on a port fixed before the server starts. */
  publicUrl: string;
  server: TestServer;
  callback: CallbackServer;
  browser: Browser;
}

/**
 * What every browser suite starts: the issuer on a free localhost port (`options` for the rest of its
 * set-up), an app's loopback callback and Chromium, together. When one fails, `allStarted` has let the
 * others finish, and they are closed here before the error is thrown, so nothing is left running.
 */
export async function startBrowserSuite(options: TestServerOptions = {}): Promise<BrowserSuite> {
  const port = await freePort();
  const publicUrl = `http://localhost:${port}`;
  const started: Partial<BrowserSuite> = { publicUrl };
  const env = { ...options.env, PORT: String(port), HOST: '127.0.0.1' };
  try {
    await allStarted([
      startTestServer({ ...options, publicUrl, env }).then((s) => {
        started.server = s;
      }),
      startCallbackServer().then((c) => {
        started.callback = c;
      }),
      launchChromium().then((b) => {
        started.browser = b;
      }),
    ]);
  } catch (error) {
    await started.browser?.close();
    await started.callback?.close();
    await started.server?.close();
    throw error;
  }
  return started as BrowserSuite;
}

export interface SmallServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  close(): Promise<void>;
}

export async function startSmallServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<SmallServer> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface CallbackServer extends SmallServer {
  /** Every request URL the app's redirect endpoint (/callback) received, in order. */
  received: URL[];
  /** Resolves with the next request's URL (or one already received and not yet taken). */
  next(): Promise<URL>;
}

/** A native app's loopback redirect endpoint (RFC 8252 §7.3): records what arrives, answers a plain page. */
export async function startCallbackServer(): Promise<CallbackServer> {
  const received: URL[] = [];
  let taken = 0;
  const waiting: Array<(url: URL) => void> = [];
  const small = await startSmallServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      // Browsers also ask for /favicon.ico; only the redirect endpoint counts.
      response.writeHead(404).end();
      return;
    }
    received.push(url);
    const waiter = waiting.shift();
    if (waiter) {
      taken++;
      waiter(url);
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Done</title><p>Signed in. You can close this window.</p>');
  });
  return {
    ...small,
    received,
    next() {
      const ready = received[taken];
      if (ready !== undefined) {
        taken++;
        return Promise.resolve(ready);
      }
      return new Promise<URL>((resolve) => waiting.push(resolve));
    },
  };
}
