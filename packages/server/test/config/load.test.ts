import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { installationRoot } from '../../src/config/home.ts';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/config/schema.ts';

const SECRET = 'x'.repeat(48);
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url)).replace(/\/$/, '');

describe('configuration from the environment', () => {
  it('RU-15 LATCHKEY_DEV_MODE is off unless set to true (or 1), with a warning when on', () => {
    assert.equal(loadConfig({ LATCHKEY_SECRET: SECRET }).config.devMode, false);
    assert.equal(loadConfig({ LATCHKEY_SECRET: SECRET, LATCHKEY_DEV_MODE: 'false' }).config.devMode, false);
    const on = loadConfig({ LATCHKEY_SECRET: SECRET, LATCHKEY_DEV_MODE: 'true' });
    assert.equal(on.config.devMode, true);
    assert.ok(on.warnings.some((warning) => warning.startsWith('LATCHKEY_DEV_MODE is on')));
    assert.equal(loadConfig({ LATCHKEY_SECRET: SECRET, LATCHKEY_DEV_MODE: '1' }).config.devMode, true);
  });

  it('CM-08 / DR-01 metadata documents on, registration off by default; hosts lists are lower-cased', () => {
    const { config } = loadConfig({ LATCHKEY_SECRET: SECRET });
    assert.deepEqual(config.clientMetadata, {
      enabled: true,
      allowHosts: [],
      blockHosts: [],
      cacheMinSeconds: 300,
      cacheMaxSeconds: 86_400,
    });
    assert.equal(config.clientRegistration, 'off');
    assert.equal(config.rateLimits.registration, 20);
    const set = loadConfig({
      LATCHKEY_SECRET: SECRET,
      LATCHKEY_CLIENT_METADATA_DOCUMENTS: 'off',
      LATCHKEY_CLIENT_METADATA_BLOCK_HOSTS: ' Evil.example , b.test',
      LATCHKEY_CLIENT_REGISTRATION: 'open',
    }).config;
    assert.equal(set.clientMetadata.enabled, false);
    assert.deepEqual(set.clientMetadata.blockHosts, ['evil.example', 'b.test']);
    assert.equal(set.clientRegistration, 'open');
  });

  it('defaults: port 8080, issuer base http://localhost:8080, SQLite in <repository root>/data', () => {
    const { config } = loadConfig({ LATCHKEY_SECRET: SECRET });
    assert.equal(config.port, 8080);
    assert.equal(config.publicUrl, 'http://localhost:8080');
    assert.equal(config.home, REPOSITORY_ROOT);
    assert.equal(config.databaseUrl, `sqlite:${join(REPOSITORY_ROOT, 'data', 'latchkey.db')}`);
    assert.equal(config.secureCookies, false);
  });

  it('issue 12: a relative sqlite: path is relative to LATCHKEY_HOME (default: the repository root), never the cwd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-home-'));
    try {
      const relative = loadConfig({ LATCHKEY_SECRET: SECRET, DATABASE_URL: 'sqlite:./db/x.db' }).config;
      assert.equal(relative.databaseUrl, `sqlite:${join(REPOSITORY_ROOT, 'db', 'x.db')}`);
      const home = loadConfig({ LATCHKEY_HOME: dir, DATABASE_URL: 'sqlite:x.db' });
      assert.equal(home.config.databaseUrl, `sqlite:${join(dir, 'x.db')}`);
      assert.equal(home.config.secretFile, join(dir, 'latchkey.secret'));
      assert.ok(existsSync(join(dir, 'latchkey.secret')));
      const absolute = loadConfig({ LATCHKEY_SECRET: SECRET, DATABASE_URL: `sqlite:${join(dir, 'y.db')}` });
      assert.equal(absolute.config.databaseUrl, `sqlite:${join(dir, 'y.db')}`);
      assert.equal(absolute.config.secretFile, undefined);
      for (const url of ['sqlite::memory:', 'postgres://u@h:5432/d']) {
        assert.equal(loadConfig({ LATCHKEY_SECRET: SECRET, DATABASE_URL: url }).config.databaseUrl, url);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('issue 12: the installation root is found from the package location', () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-root-'));
    try {
      const write = (path: string, json: object): void => {
        mkdirSync(join(dir, path), { recursive: true });
        writeFileSync(join(dir, path, 'package.json'), JSON.stringify(json));
      };
      write('repo', { workspaces: ['packages/*'] });
      write('repo/packages/server', { name: '@latchkey/server' });
      assert.equal(installationRoot(join(dir, 'repo/packages/server/dist/cli.js')), join(dir, 'repo'));
      write('app', { name: 'my-app' });
      write('app/node_modules/@latchkey/server', { name: '@latchkey/server' });
      assert.equal(
        installationRoot(join(dir, 'app/node_modules/@latchkey/server/dist/cli.js')),
        join(dir, 'app'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('derives the public URL from PORT and drops a trailing slash (one canonical issuer)', () => {
    assert.equal(
      loadConfig({ PORT: '9000', LATCHKEY_SECRET: SECRET }).config.publicUrl,
      'http://localhost:9000',
    );
    const { config } = loadConfig({
      LATCHKEY_PUBLIC_URL: 'https://id.example.com/auth/',
      LATCHKEY_SECRET: SECRET,
    });
    assert.equal(config.publicUrl, 'https://id.example.com/auth');
    assert.equal(config.secureCookies, true);
  });

  it('LATCHKEY_SESSION_COOKIE_SAMESITE: auto is None under https and Lax under http; explicit values kept', () => {
    const https = { LATCHKEY_SECRET: SECRET, LATCHKEY_PUBLIC_URL: 'https://id.example.com' };
    const sameSite = (env: Record<string, string>) => loadConfig(env).config.sessionCookieSameSite;
    assert.equal(sameSite(https), 'none');
    assert.equal(sameSite({ ...https, LATCHKEY_SESSION_COOKIE_SAMESITE: 'auto' }), 'none');
    assert.equal(sameSite({ LATCHKEY_SECRET: SECRET }), 'lax');
    assert.equal(sameSite({ ...https, LATCHKEY_SESSION_COOKIE_SAMESITE: 'Lax' }), 'lax');
    assert.equal(sameSite({ ...https, LATCHKEY_SESSION_COOKIE_SAMESITE: 'strict' }), 'strict');
    assert.equal(sameSite({ LATCHKEY_SECRET: SECRET, LATCHKEY_SESSION_COOKIE_SAMESITE: 'strict' }), 'strict');
    assert.equal(sameSite({ ...https, LATCHKEY_SESSION_COOKIE_SAMESITE: 'none' }), 'none');
  });

  const bad: [string, Record<string, string>, string][] = [
    [
      'LATCHKEY_SESSION_COOKIE_SAMESITE',
      { LATCHKEY_SESSION_COOKIE_SAMESITE: 'sometimes' },
      'LATCHKEY_SESSION_COOKIE_SAMESITE',
    ],
    [
      'LATCHKEY_SESSION_COOKIE_SAMESITE=none under http (browsers drop None without Secure)',
      { LATCHKEY_SESSION_COOKIE_SAMESITE: 'none', LATCHKEY_PUBLIC_URL: 'http://localhost:8080' },
      'LATCHKEY_SESSION_COOKIE_SAMESITE',
    ],
    ['PORT', { PORT: 'eighty' }, 'PORT'],
    ['PORT out of range', { PORT: '70000' }, 'PORT'],
    ['LATCHKEY_PUBLIC_URL not a URL', { LATCHKEY_PUBLIC_URL: 'id.example.com' }, 'LATCHKEY_PUBLIC_URL'],
    ['LATCHKEY_PUBLIC_URL ftp', { LATCHKEY_PUBLIC_URL: 'ftp://id.example.com' }, 'LATCHKEY_PUBLIC_URL'],
    [
      'LATCHKEY_PUBLIC_URL with a query',
      { LATCHKEY_PUBLIC_URL: 'https://id.example.com/?a=b' },
      'LATCHKEY_PUBLIC_URL',
    ],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    ['short LATCHKEY_SECRET', { LATCHKEY_SECRET: 'short' }, 'LATCHKEY_SECRET'],
    [
      'PostgreSQL without LATCHKEY_SECRET',
      { DATABASE_URL: 'postgres://postgres@127.0.0.1/test', LATCHKEY_SECRET: '' },
      'LATCHKEY_SECRET',
    ],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud', LATCHKEY_SECRET: SECRET }, 'LOG_LEVEL'],
    ['LATCHKEY_DEV_MODE', { LATCHKEY_DEV_MODE: 'maybe' }, 'LATCHKEY_DEV_MODE'],
    [
      'LATCHKEY_CLIENT_METADATA_DOCUMENTS',
      { LATCHKEY_CLIENT_METADATA_DOCUMENTS: 'yes' },
      'LATCHKEY_CLIENT_METADATA_DOCUMENTS',
    ],
    [
      'cache bounds the wrong way round',
      { LATCHKEY_CLIENT_METADATA_CACHE_MIN_SECONDS: '600', LATCHKEY_CLIENT_METADATA_CACHE_MAX_SECONDS: '60' },
      'LATCHKEY_CLIENT_METADATA_CACHE_MAX_SECONDS',
    ],
    [
      'LATCHKEY_CLIENT_REGISTRATION',
      { LATCHKEY_CLIENT_REGISTRATION: 'anyone' },
      'LATCHKEY_CLIENT_REGISTRATION',
    ],
    [
      'LATCHKEY_REGISTRATION_RATE_LIMIT',
      { LATCHKEY_REGISTRATION_RATE_LIMIT: 'lots' },
      'LATCHKEY_REGISTRATION_RATE_LIMIT',
    ],
    ['negative LATCHKEY_TOKEN_RATE_LIMIT', { LATCHKEY_TOKEN_RATE_LIMIT: '-1' }, 'LATCHKEY_TOKEN_RATE_LIMIT'],
    [
      'fractional LATCHKEY_SIGNIN_RATE_LIMIT',
      { LATCHKEY_SIGNIN_RATE_LIMIT: '1.5' },
      'LATCHKEY_SIGNIN_RATE_LIMIT',
    ],
    [
      'huge LATCHKEY_AUTHORIZE_RATE_LIMIT',
      { LATCHKEY_AUTHORIZE_RATE_LIMIT: '1e309' },
      'LATCHKEY_AUTHORIZE_RATE_LIMIT',
    ],
    ['LATCHKEY_DB_TIMEOUT_MS below 100 ms', { LATCHKEY_DB_TIMEOUT_MS: '50' }, 'LATCHKEY_DB_TIMEOUT_MS'],
    ['LATCHKEY_DB_POOL_SIZE of 0', { LATCHKEY_DB_POOL_SIZE: '0' }, 'LATCHKEY_DB_POOL_SIZE'],
    ['LATCHKEY_DRAIN_SECONDS in words', { LATCHKEY_DRAIN_SECONDS: 'five' }, 'LATCHKEY_DRAIN_SECONDS'],
    [
      'LATCHKEY_TEST_CLOCK_OFFSET_MS outside test mode',
      { LATCHKEY_TEST_CLOCK_OFFSET_MS: '90000' },
      'LATCHKEY_TEST_CLOCK_OFFSET_MS',
    ],
    [
      'LATCHKEY_TEST_CLOCK_OFFSET_MS not a number',
      { NODE_ENV: 'test', LATCHKEY_TEST_CLOCK_OFFSET_MS: '90s' },
      'LATCHKEY_TEST_CLOCK_OFFSET_MS',
    ],
    [
      'LATCHKEY_EVENT_RETENTION_DAYS in words',
      { LATCHKEY_EVENT_RETENTION_DAYS: 'ninety' },
      'LATCHKEY_EVENT_RETENTION_DAYS',
    ],
  ];
  for (const [name, env, setting] of bad) {
    it(`a bad ${name} stops start-up naming ${setting}`, () => {
      assert.throws(
        () => loadConfig({ LATCHKEY_SECRET: SECRET, ...env }),
        (error: unknown) =>
          error instanceof ConfigError && error.setting === setting && error.message.startsWith(setting),
      );
    });
  }

  it('rate limits and event retention: defaults, whole numbers, 0 turns off', () => {
    const defaults = loadConfig({ LATCHKEY_SECRET: SECRET }).config;
    assert.deepEqual(defaults.rateLimits, { token: 600, signIn: 60, authorize: 300, registration: 20 });
    assert.equal(defaults.eventRetentionDays, 90);
    const set = loadConfig({
      LATCHKEY_SECRET: SECRET,
      LATCHKEY_TOKEN_RATE_LIMIT: '0',
      LATCHKEY_SIGNIN_RATE_LIMIT: ' 5 ',
      LATCHKEY_AUTHORIZE_RATE_LIMIT: '',
      LATCHKEY_EVENT_RETENTION_DAYS: '0',
    }).config;
    assert.deepEqual(set.rateLimits, { token: 0, signIn: 5, authorize: 300, registration: 20 });
    assert.equal(set.eventRetentionDays, 0);
  });

  it('RL-05 RL-13 database bounds and drain: defaults 2000 ms, 10 connections, 5 s; the test clock offset only in tests', () => {
    const defaults = loadConfig({ LATCHKEY_SECRET: SECRET }).config;
    assert.equal(defaults.dbTimeoutMs, 2000);
    assert.equal(defaults.dbPoolSize, 10);
    assert.equal(defaults.drainSeconds, 5);
    assert.equal(defaults.testClockOffsetMs, 0);
    const set = loadConfig({
      LATCHKEY_SECRET: SECRET,
      LATCHKEY_DB_TIMEOUT_MS: '500',
      LATCHKEY_DB_POOL_SIZE: '3',
      LATCHKEY_DRAIN_SECONDS: '0',
      NODE_ENV: 'test',
      LATCHKEY_TEST_CLOCK_OFFSET_MS: '-90000',
    }).config;
    assert.deepEqual(
      [set.dbTimeoutMs, set.dbPoolSize, set.drainSeconds, set.testClockOffsetMs],
      [500, 3, 0, -90_000],
    );
  });

  it('generates LATCHKEY_SECRET into the data folder on a first SQLite start, with a warning, then reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-config-'));
    try {
      const env = { DATABASE_URL: `sqlite:${join(dir, 'data', 'latchkey.db')}` };
      const first = loadConfig(env);
      const file = join(dir, 'data', 'latchkey.secret');
      assert.ok(existsSync(file));
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.ok(first.warnings.some((warning) => warning.includes('LATCHKEY_SECRET')));
      assert.ok(
        first.warnings.every((warning) => !warning.includes(first.config.secret)),
        'the secret itself is never printed',
      );
      const second = loadConfig(env);
      assert.equal(second.config.secret, first.config.secret);
      assert.equal(readFileSync(file, 'utf8').trim(), first.config.secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
