// Reads Config from the environment; a bad value stops start-up with a message naming the setting.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { secureFile, secureFolder, tightenFile } from '../storage/file-permissions.ts';
import { parseDatabaseUrl, redact } from '../storage/open-store.ts';
import { resolveDatabaseUrl, resolveHome } from './home.ts';
import { type Config, ConfigError, type SessionCookieSameSite } from './schema.ts';
import { defaultOf, type SettingName } from './settings.ts';

export const DEFAULT_DATABASE_URL = defaultOf('DATABASE_URL');
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MIN_SECRET_LENGTH = 32;

export interface LoadedConfig {
  config: Readonly<Config>;
  /** Things an operator should hear about at start-up (never secrets). */
  warnings: string[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const warnings: string[] = [];
  const port = parsePort(env['PORT'] ?? defaultOf('PORT'));
  const publicUrl = parsePublicUrl(
    env['LATCHKEY_PUBLIC_URL'] ?? defaultOf('LATCHKEY_PUBLIC_URL').replace('$PORT', String(port)),
  );
  // Issue 12: the server (run in packages/server by `npm start`) and the CLI (run anywhere) must open the
  // same file, so a relative sqlite: path is relative to the installation, never to the working directory.
  const home = resolveHome(env['LATCHKEY_HOME']);
  const databaseUrl = resolveDatabaseUrl(env['DATABASE_URL'] || DEFAULT_DATABASE_URL, home);
  try {
    parseDatabaseUrl(databaseUrl);
  } catch {
    throw new ConfigError('DATABASE_URL', 'use sqlite:<path to file> or postgres://user@host:5432/database.');
  }
  const { secret, secretFile } = resolveSecret(env['LATCHKEY_SECRET'], databaseUrl, warnings);
  const logLevel = (env['LOG_LEVEL'] ?? defaultOf('LOG_LEVEL')) as Config['logLevel'];
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
  const dbTimeoutMs = parseCount(env, 'LATCHKEY_DB_TIMEOUT_MS');
  if (dbTimeoutMs < 100) {
    throw new ConfigError(
      'LATCHKEY_DB_TIMEOUT_MS',
      'must be at least 100 (milliseconds); the default is 2000.',
    );
  }
  const dbPoolSize = parseCount(env, 'LATCHKEY_DB_POOL_SIZE');
  if (dbPoolSize < 1)
    throw new ConfigError('LATCHKEY_DB_POOL_SIZE', 'must be at least 1; the default is 10.');
  const config: Config = {
    port,
    host: env['HOST'] || defaultOf('HOST'),
    publicUrl,
    home,
    databaseUrl,
    secret,
    secretFile,
    secureCookies: publicUrl.startsWith('https:'),
    sessionCookieSameSite: parseSameSite(env['LATCHKEY_SESSION_COOKIE_SAMESITE'], publicUrl),
    trustProxy: (env['LATCHKEY_TRUST_PROXY'] ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
    testMode,
    rateLimits: {
      token: parseCount(env, 'LATCHKEY_TOKEN_RATE_LIMIT'),
      signIn: parseCount(env, 'LATCHKEY_SIGNIN_RATE_LIMIT'),
      authorize: parseCount(env, 'LATCHKEY_AUTHORIZE_RATE_LIMIT'),
      registration: parseCount(env, 'LATCHKEY_REGISTRATION_RATE_LIMIT'),
    },
    eventRetentionDays: parseCount(env, 'LATCHKEY_EVENT_RETENTION_DAYS'),
    devMode,
    clientMetadata: parseClientMetadataSettings(env),
    clientRegistration: parseRegistrationMode(env['LATCHKEY_CLIENT_REGISTRATION']),
    metrics: {
      address: parseMetricsAddress(env['LATCHKEY_METRICS_ADDRESS']),
      token: parseMetricsToken(env['LATCHKEY_METRICS_TOKEN']),
    },
    logFormat: parseLogFormat(env['LOG_FORMAT']),
    dbTimeoutMs,
    dbPoolSize,
    drainSeconds: parseCount(env, 'LATCHKEY_DRAIN_SECONDS'),
    testClockOffsetMs,
    logLevel,
  };
  return { config: Object.freeze(config), warnings };
}

/** Where this installation's data is: printed by the start-up banner and `latchkey config`. */
export function installationLines(config: Readonly<Config>): string[] {
  return [
    `Database:   ${redact(config.databaseUrl)}`,
    `Secret:     ${config.secretFile ?? 'from LATCHKEY_SECRET'}`,
  ];
}

/** A whole number ≥ 0 from the environment, or the setting's default (settings.ts) when unset or empty. */
function parseCount(env: NodeJS.ProcessEnv, setting: SettingName): number {
  const fallback = Number(defaultOf(setting));
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

function parseRegistrationMode(value: string | undefined): Config['clientRegistration'] {
  const mode = (value ?? '').trim().toLowerCase() || 'off';
  if (mode !== 'off' && mode !== 'token' && mode !== 'open') {
    throw new ConfigError(
      'LATCHKEY_CLIENT_REGISTRATION',
      `"${value}" is not off, token (an initial access token is required) or open (native public clients only).`,
    );
  }
  return mode;
}

function parseClientMetadataSettings(env: NodeJS.ProcessEnv): Config['clientMetadata'] {
  const setting = 'LATCHKEY_CLIENT_METADATA_DOCUMENTS';
  const value = (env[setting] ?? '').trim().toLowerCase();
  if (!['', 'on', 'off'].includes(value)) {
    throw new ConfigError(setting, `"${env[setting]}" is not on or off.`);
  }
  const hosts = (name: string): string[] =>
    (env[name] ?? '')
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean);
  const cacheMinSeconds = parseCount(env, 'LATCHKEY_CLIENT_METADATA_CACHE_MIN_SECONDS');
  const cacheMaxSeconds = parseCount(env, 'LATCHKEY_CLIENT_METADATA_CACHE_MAX_SECONDS');
  if (cacheMaxSeconds < cacheMinSeconds) {
    throw new ConfigError(
      'LATCHKEY_CLIENT_METADATA_CACHE_MAX_SECONDS',
      `must be at least LATCHKEY_CLIENT_METADATA_CACHE_MIN_SECONDS (${cacheMinSeconds}).`,
    );
  }
  return {
    enabled: value !== 'off',
    allowHosts: hosts('LATCHKEY_CLIENT_METADATA_ALLOW_HOSTS'),
    blockHosts: hosts('LATCHKEY_CLIENT_METADATA_BLOCK_HOSTS'),
    cacheMinSeconds,
    cacheMaxSeconds,
  };
}

const SAME_SITE_VALUES = ['auto', 'lax', 'none', 'strict'] as const;

/**
 * `auto`: `none` under https (a cross-site hidden iframe renewing tokens with prompt=none must carry the SSO
 * cookie, as Okta's does), `lax` under http. `none` needs `Secure` (RFC 6265bis §5.6.19: browsers drop a
 * `SameSite=None` cookie without it), so it is refused with a plain-http public URL.
 */
function parseSameSite(value: string | undefined, publicUrl: string): SessionCookieSameSite {
  const setting = 'LATCHKEY_SESSION_COOKIE_SAMESITE';
  const normalized = (value ?? '').trim().toLowerCase() || 'auto';
  if (!(SAME_SITE_VALUES as readonly string[]).includes(normalized)) {
    throw new ConfigError(setting, `"${value}" is not one of ${SAME_SITE_VALUES.join(', ')}; use auto.`);
  }
  const secure = publicUrl.startsWith('https:');
  if (normalized === 'auto') return secure ? 'none' : 'lax';
  if (normalized === 'none' && !secure) {
    throw new ConfigError(
      setting,
      'none needs an https LATCHKEY_PUBLIC_URL (browsers drop SameSite=None cookies that are not Secure); use auto or lax.',
    );
  }
  return normalized as SessionCookieSameSite;
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

const MIN_METRICS_TOKEN_LENGTH = 16;

function parseMetricsToken(value: string | undefined): string | undefined {
  const token = value?.trim() ?? '';
  if (token === '') return undefined;
  if (token.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new ConfigError(
      'LATCHKEY_METRICS_TOKEN',
      `must be at least ${MIN_METRICS_TOKEN_LENGTH} characters; generate one with: openssl rand -hex 32`,
    );
  }
  return token;
}

function parseMetricsAddress(value: string | undefined): Config['metrics']['address'] {
  const address = value?.trim() ?? '';
  if (address === '') return undefined;
  // host:port, with an IPv6 host in brackets ([::1]:9464).
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(address);
  const port = Number(match?.[3]);
  if (match === null || port > 65535) {
    throw new ConfigError(
      'LATCHKEY_METRICS_ADDRESS',
      `"${address.slice(0, 100)}" is not host:port; use e.g. 127.0.0.1:9464 (port 0 picks a free one).`,
    );
  }
  return { host: match[1] ?? match[2] ?? '', port };
}

function parseLogFormat(value: string | undefined): Config['logFormat'] {
  const format = value?.trim().toLowerCase() ?? '';
  if (format === '') return undefined;
  if (format !== 'json' && format !== 'pretty') {
    throw new ConfigError('LOG_FORMAT', `"${value}" is not a log format; use json or pretty.`);
  }
  return format;
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

function resolveSecret(
  value: string | undefined,
  databaseUrl: string,
  warnings: string[],
): { secret: string; secretFile: string | undefined } {
  if (value !== undefined && value !== '') {
    if (value.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        'LATCHKEY_SECRET',
        `must be at least ${MIN_SECRET_LENGTH} characters; generate one with: openssl rand -base64 48`,
      );
    }
    return { secret: value, secretFile: undefined };
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
    return { secret: readFileSync(file, 'utf8').trim(), secretFile: file };
  }
  secureFolder(dirname(file));
  secureFile(file);
  writeFileSync(file, `${randomBytes(48).toString('base64')}\n`);
  warnings.push(
    `LATCHKEY_SECRET is not set: generated one into ${file}. Back it up with the database; without it the signing keys cannot be read.`,
  );
  return { secret: readFileSync(file, 'utf8').trim(), secretFile: file };
}
