import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/config/schema.ts';

const SECRET = 'x'.repeat(48);

describe('configuration from the environment', () => {
  it('RU-15 LATCHKEY_DEV_MODE is off unless set to true (or 1), with a warning when on', () => {
    assert.equal(loadConfig({ LATCHKEY_SECRET: SECRET }).config.devMode, false);
    assert.equal(loadConfig({ LATCHKEY_SECRET: SECRET, LATCHKEY_DEV_MODE: 'false' }).config.devMode, false);
    const on = loadConfig({ LATCHKEY_SECRET: SECRET, LATCHKEY_DEV_MODE: 'true' });
    assert.equal(on.config.devMode, true);
    assert.ok(on.warnings.some((warning) => warning.startsWith('LATCHKEY_DEV_MODE is on')));
    assert.equal(loadConfig({ LATCHKEY_SECRET: SECRET, LATCHKEY_DEV_MODE: '1' }).config.devMode, true);
  });

  it('defaults: port 8080, issuer base http://localhost:8080, SQLite in ./data', () => {
    const { config } = loadConfig({ LATCHKEY_SECRET: SECRET });
    assert.equal(config.port, 8080);
    assert.equal(config.publicUrl, 'http://localhost:8080');
    assert.equal(config.databaseUrl, 'sqlite:./data/latchkey.db');
    assert.equal(config.secureCookies, false);
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

  const bad: [string, Record<string, string>, string][] = [
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
    assert.deepEqual(defaults.rateLimits, { token: 600, signIn: 60, authorize: 300 });
    assert.equal(defaults.eventRetentionDays, 90);
    const set = loadConfig({
      LATCHKEY_SECRET: SECRET,
      LATCHKEY_TOKEN_RATE_LIMIT: '0',
      LATCHKEY_SIGNIN_RATE_LIMIT: ' 5 ',
      LATCHKEY_AUTHORIZE_RATE_LIMIT: '',
      LATCHKEY_EVENT_RETENTION_DAYS: '0',
    }).config;
    assert.deepEqual(set.rateLimits, { token: 0, signIn: 5, authorize: 300 });
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
