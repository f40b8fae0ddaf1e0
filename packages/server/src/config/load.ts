// Reads Config from the environment; a bad value stops start-up with a message naming the setting.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { secureFile, secureFolder, tightenFile } from '../storage/file-permissions.ts';
import { parseDatabaseUrl } from '../storage/open-store.ts';
import { type Config, ConfigError } from './schema.ts';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/latchkey.db';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MIN_SECRET_LENGTH = 32;

export interface LoadedConfig {
  config: Readonly<Config>;
  /** Things an operator should hear about at start-up (never secrets). */
  warnings: string[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const warnings: string[] = [];
  const port = parsePort(env['PORT'] ?? '8080');
  const publicUrl = parsePublicUrl(env['LATCHKEY_PUBLIC_URL'] ?? `http://localhost:${port}`);
  const databaseUrl = env['DATABASE_URL'] || DEFAULT_DATABASE_URL;
  try {
    parseDatabaseUrl(databaseUrl);
  } catch {
    throw new ConfigError('DATABASE_URL', 'use sqlite:<path to file> or postgres://user@host:5432/database.');
  }
  const secret = resolveSecret(env['LATCHKEY_SECRET'], databaseUrl, warnings);
  const logLevel = (env['LOG_LEVEL'] ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}.`);
  }
  if (publicUrl.startsWith('http:')) {
    warnings.push(
      `LATCHKEY_PUBLIC_URL is plain http (${publicUrl}): fine for local development, but cookies cannot be Secure and Okta's mobile SDKs require an https issuer.`,
    );
  }
  const devMode = parseFlag('LATCHKEY_DEV_MODE', env['LATCHKEY_DEV_MODE']);
  if (devMode) {
    warnings.push(
      "LATCHKEY_DEV_MODE is on: error pages show apps' registered redirect URIs to anyone. Turn it off in production.",
    );
  }
  const testMode = env['NODE_ENV'] === 'test';
  const testClockOffsetMs = parseTestClockOffset(env['LATCHKEY_TEST_CLOCK_OFFSET_MS'], testMode);
  const dbTimeoutMs = parseCount(env, 'LATCHKEY_DB_TIMEOUT_MS', 2000);
  if (dbTimeoutMs < 100) {
    throw new ConfigError(
      'LATCHKEY_DB_TIMEOUT_MS',
      'must be at least 100 (milliseconds); the default is 2000.',
    );
  }
  const dbPoolSize = parseCount(env, 'LATCHKEY_DB_POOL_SIZE', 10);
  if (dbPoolSize < 1)
    throw new ConfigError('LATCHKEY_DB_POOL_SIZE', 'must be at least 1; the default is 10.');
  const config: Config = {
    port,
    host: env['HOST'] || '0.0.0.0',
    publicUrl,
    databaseUrl,
    secret,
    secureCookies: publicUrl.startsWith('https:'),
    trustProxy: (env['LATCHKEY_TRUST_PROXY'] ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
    testMode,
    rateLimits: {
      token: parseCount(env, 'LATCHKEY_TOKEN_RATE_LIMIT', 600),
      signIn: parseCount(env, 'LATCHKEY_SIGNIN_RATE_LIMIT', 60),
      authorize: parseCount(env, 'LATCHKEY_AUTHORIZE_RATE_LIMIT', 300),
    },
    eventRetentionDays: parseCount(env, 'LATCHKEY_EVENT_RETENTION_DAYS', 90),
    devMode,
    dbTimeoutMs,
    dbPoolSize,
    drainSeconds: parseCount(env, 'LATCHKEY_DRAIN_SECONDS', 5),
    testClockOffsetMs,
    logLevel,
  };
  return { config: Object.freeze(config), warnings };
}

/** A whole number ≥ 0 from the environment, or `fallback` when the setting is unset or empty. */
function parseCount(env: NodeJS.ProcessEnv, setting: string, fallback: number): number {
  const value = env[setting]?.trim() ?? '';
  if (value === '') return fallback;
  if (!/^\d{1,9}$/.test(value)) {
    throw new ConfigError(
      setting,
      `"${value.slice(0, 40)}" is not a whole number; use e.g. ${fallback} (0 turns it off).`,
    );
  }
  return Number(value);
}

/** RL-11 tests shift one instance's clock; a production clock is never shifted by a setting. */
function parseTestClockOffset(value: string | undefined, testMode: boolean): number {
  const text = value?.trim() ?? '';
  if (text === '') return 0;
  if (!testMode) {
    throw new ConfigError('LATCHKEY_TEST_CLOCK_OFFSET_MS', 'is for tests only (NODE_ENV=test); unset it.');
  }
  if (!/^-?\d{1,10}$/.test(text)) {
    throw new ConfigError(
      'LATCHKEY_TEST_CLOCK_OFFSET_MS',
      `"${text.slice(0, 40)}" is not a whole number of ms.`,
    );
  }
  return Number(text);
}

function parseFlag(setting: string, value: string | undefined): boolean {
  const normalized = (value ?? '').trim().toLowerCase();
  if (normalized === '' || normalized === 'false' || normalized === '0') return false;
  if (normalized === 'true' || normalized === '1') return true;
  throw new ConfigError(setting, `"${value}" is not a yes/no value; use true or false.`);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ConfigError('PORT', `"${value}" is not a port number; use 0-65535 (0 picks a free port).`);
  }
  return port;
}

function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('LATCHKEY_PUBLIC_URL', `"${value}" is not a URL; use e.g. https://id.example.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(
      'LATCHKEY_PUBLIC_URL',
      'must start with https:// (or http:// for local development).',
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError('LATCHKEY_PUBLIC_URL', 'must not contain a query, fragment or user information.');
  }
  // OKTA-COMPAT §0.2: one canonical issuer string, never with a trailing slash.
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function resolveSecret(value: string | undefined, databaseUrl: string, warnings: string[]): string {
  if (value !== undefined && value !== '') {
    if (value.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        'LATCHKEY_SECRET',
        `must be at least ${MIN_SECRET_LENGTH} characters; generate one with: openssl rand -base64 48`,
      );
    }
    return value;
  }
  if (!databaseUrl.startsWith('sqlite:') || databaseUrl === 'sqlite::memory:') {
    throw new ConfigError(
      'LATCHKEY_SECRET',
      'is required with PostgreSQL (every instance must share it); generate one with: openssl rand -base64 48',
    );
  }
  const file = join(dirname(resolve(databaseUrl.slice('sqlite:'.length))), 'latchkey.secret');
  // FP-02: the secret decrypts the signing keys; owner-only, also for a file written by an older version.
  if (existsSync(file)) {
    tightenFile(file);
    return readFileSync(file, 'utf8').trim();
  }
  secureFolder(dirname(file));
  secureFile(file);
  writeFileSync(file, `${randomBytes(48).toString('base64')}\n`);
  warnings.push(
    `LATCHKEY_SECRET is not set: generated one into ${file}. Back it up with the database; without it the signing keys cannot be read.`,
  );
  return readFileSync(file, 'utf8').trim();
}
