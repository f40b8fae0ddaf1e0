// Latchkey under test: a child process on SQLite in a temporary folder, with a native app and a user made
// by its own CLI, driven through its hosted sign-in page like a browser.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { REDIRECT_URI, USER_EMAIL, USER_PASSWORD } from './constants.ts';
import { codeFrom, expectStatus, hiddenField, location, pkce, randomState, send } from './http.ts';
import { preload } from './preload.ts';
import { type Child, REPO_ROOT, runCli, startChild } from './process.ts';
import { type Browser, exchangeCode, refreshGrant, scopeFor, type Target, type Tokens } from './target.ts';

/**
 * `BENCH_DATABASE_URL=postgres://…` runs Latchkey on a fresh PostgreSQL database made for the run (and
 * dropped after it); by default, SQLite in a temporary folder.
 */
async function benchDatabase(folder: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env['BENCH_DATABASE_URL'];
  if (server === undefined || !server.startsWith('postgres')) {
    return { url: `sqlite:${join(folder, 'bench.db')}`, drop: async () => {} };
  }
  const name = `latchkey_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

export async function startLatchkey(port: number): Promise<Target & { databaseFile: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
  const database = await benchDatabase(folder);
  const databaseFile = database.url.startsWith('sqlite:')
    ? database.url.slice('sqlite:'.length)
    : database.url;
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    LATCHKEY_SECRET: randomBytes(36).toString('base64url'), // 48 characters
    LOG_LEVEL: 'warn',
    LATCHKEY_PUBLIC_URL: base,
    NODE_ENV: 'production',
  };
  let setup: { clientId: string; child: Child };
  try {
    setup = await setUp(env);
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  const { clientId, child } = setup;
  const issuer = `${base}/oauth2/default`;
  const tokenUrl = `${issuer}/v1/token`;

  const authorizeUrl = (offline: boolean, challenge: string): string =>
    `${issuer}/v1/authorize?${new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      scope: scopeFor(offline),
      redirect_uri: REDIRECT_URI,
      state: randomState(),
      nonce: randomState(),
      code_challenge_method: 'S256',
      code_challenge: challenge,
    })}`;

  return {
    name: 'Latchkey',
    pid: child.pid,
    readyMs: child.readyMs,
    databaseFile,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    jwksUrl: `${issuer}/v1/keys`,
    async signIn({ agent, jar }: Browser, { offline }): Promise<Tokens> {
      const proof = pkce();
      const page = expectStatus(
        await send(agent, authorizeUrl(offline, proof.challenge), { jar }),
        [200],
        'authorize (sign-in page)',
      );
      const posted = expectStatus(
        await send(agent, `${base}/sign-in`, {
          jar,
          form: {
            transaction_id: hiddenField(page.body, 'transaction_id'),
            _csrf: hiddenField(page.body, '_csrf'),
            username: USER_EMAIL,
            password: USER_PASSWORD,
          },
        }),
        [303],
        'sign-in',
      );
      const code = codeFrom(location(posted, base, 'sign-in'), 'sign-in');
      return exchangeCode(agent, tokenUrl, clientId, code, proof.verifier, offline);
    },
    async silent({ agent, jar }: Browser): Promise<Tokens> {
      const proof = pkce();
      const redirect = expectStatus(
        await send(agent, authorizeUrl(false, proof.challenge), { jar }),
        [302],
        'authorize with a session',
      );
      const code = codeFrom(location(redirect, base, 'authorize'), 'authorize');
      return exchangeCode(agent, tokenUrl, clientId, code, proof.verifier, false);
    },
    refresh: (agent: Agent, refreshToken: string) => refreshGrant(agent, tokenUrl, clientId, refreshToken),
    async stop(): Promise<void> {
      await child.stop();
      await database.drop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** The app and the user, made with Latchkey's CLI, then the server. */
async function setUp(env: NodeJS.ProcessEnv): Promise<{ clientId: string; child: Child }> {
  const cliEnv = { ...env, LOG_LEVEL: 'error' };
  const app = JSON.parse(
    await runCli(
      [
        'apps',
        'create',
        '--name',
        'Bench',
        '--type',
        'native',
        '--redirect-uri',
        REDIRECT_URI,
        '--grant',
        'refresh_token',
        '--json',
      ],
      cliEnv,
    ),
  ) as { client_id: string };
  await runCli(
    ['users', 'create', '--email', USER_EMAIL, '--name', 'Bench', '--password-stdin', '--json'],
    cliEnv,
    USER_PASSWORD,
  );
  const rows = Number(process.env['BENCH_PRELOAD_ROWS'] ?? 0);
  if (rows > 0) await preload(env['DATABASE_URL'] ?? '', rows, app.client_id);
  // From packages/server, as `npm start` runs it, on the build (run `npm run build` after changing src/).
  const child = await startChild(
    join(REPO_ROOT, 'bench/servers/latchkey-server.mjs'),
    join(REPO_ROOT, 'packages/server'),
    env,
  );
  return { clientId: app.client_id, child };
}
