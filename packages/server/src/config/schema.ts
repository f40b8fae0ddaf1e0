// The settings Latchkey reads at start-up. The Config type is the one source of truth for them.

export interface Config {
  /** TCP port to listen on (`PORT`, default 8080). */
  port: number;
  /** Address to bind (`HOST`, default 0.0.0.0). */
  host: string;
  /** Public base URL, no trailing slash (`LATCHKEY_PUBLIC_URL`); every issuer is derived from it. */
  publicUrl: string;
  /** `sqlite:<path>` or `postgres://…` (`DATABASE_URL`). */
  databaseUrl: string;
  /** Key material for sealing private keys at rest (`LATCHKEY_SECRET`). */
  secret: string;
  /** Cookies get `Secure` and the `__Host-` prefix when the public URL is https. */
  secureCookies: boolean;
  /** CIDRs or addresses of reverse proxies whose X-Forwarded-* headers are trusted (`LATCHKEY_TRUST_PROXY`). */
  trustProxy: string[];
  /** `NODE_ENV=test`: enables test-only hooks, which refuse to run otherwise. */
  testMode: boolean;
  /** Requests per minute; 0 turns a limit off. See RateLimits. */
  rateLimits: RateLimits;
  /** How long system-log events are kept (`LATCHKEY_EVENT_RETENTION_DAYS`, default 90 like Okta's). */
  eventRetentionDays: number;
  /**
   * `LATCHKEY_DEV_MODE=true`: error pages show an app's configuration (e.g. its registered redirect URIs) to
   * anyone. Off by default; signed-in console admins see those details either way.
   */
  devMode: boolean;
  /**
   * PostgreSQL: the bound in ms for connecting, for waiting on a pooled connection and for one statement
   * (`LATCHKEY_DB_TIMEOUT_MS`, default 2000), so an outage is a quick 503, never a hang.
   */
  dbTimeoutMs: number;
  /** PostgreSQL: connections per instance (`LATCHKEY_DB_POOL_SIZE`, default 10). */
  dbPoolSize: number;
  /** Seconds between SIGTERM and closing the listener, while /readyz says 503 (`LATCHKEY_DRAIN_SECONDS`, 5). */
  drainSeconds: number;
  /** Test only (`LATCHKEY_TEST_CLOCK_OFFSET_MS`, refused outside NODE_ENV=test): shifts the local clock. */
  testClockOffsetMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** Budgets per minute (0 = off), each kept per route so one route's budget never spends another's. */
export interface RateLimits {
  /** `/v1/token` per client (`LATCHKEY_TOKEN_RATE_LIMIT`, default 600): a web app's backend is one address. */
  token: number;
  /** Sign-in posts per address and, separately, per login (`LATCHKEY_SIGNIN_RATE_LIMIT`, default 60). */
  signIn: number;
  /** `/v1/authorize` per address (`LATCHKEY_AUTHORIZE_RATE_LIMIT`, default 300). */
  authorize: number;
}

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}
