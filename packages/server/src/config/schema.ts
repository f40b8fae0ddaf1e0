// The settings Latchkey reads at start-up. The Config type is the one source of truth for them.

export interface Config {
  /** TCP port to listen on (`PORT`, default 8080). */
  port: number;
  /** Address to bind (`HOST`, default 0.0.0.0). */
  host: string;
  /** Public base URL, no trailing slash (`LATCHKEY_PUBLIC_URL`); every issuer is derived from it. */
  publicUrl: string;
  /** The installation folder (`LATCHKEY_HOME`); relative sqlite: paths are resolved against it. */
  home: string;
  /** `sqlite:<absolute path>` or `postgres://…` (`DATABASE_URL`). */
  databaseUrl: string;
  /** Key material for sealing private keys at rest (`LATCHKEY_SECRET`). */
  secret: string;
  /** The file the secret was read from or generated into; undefined when LATCHKEY_SECRET is set. */
  secretFile: string | undefined;
  /** Cookies get `Secure` and the `__Host-` prefix when the public URL is https. */
  secureCookies: boolean;
  /**
   * SameSite of the SSO session cookie (`LATCHKEY_SESSION_COOKIE_SAMESITE`, default `auto`: `none` under an
   * https public URL, so that an app's hidden iframe on another site carries it, as Okta's; `lax` under http,
   * where browsers refuse `None` without `Secure`). See the README's "SSO cookie".
   */
  sessionCookieSameSite: SessionCookieSameSite;
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
  /** Client ID Metadata Documents: URL client ids fetched as the client's registration. */
  clientMetadata: ClientMetadataSettings;
  /**
   * Dynamic client registration (RFC 7591) at /oauth2/v1/clients (`LATCHKEY_CLIENT_REGISTRATION`): `off`
   * (default), `token` (an admin's initial access token required) or `open` (without a token: native public
   * clients with loopback or private-use redirect URIs only; with one: as `token`).
   */
  clientRegistration: 'off' | 'token' | 'open';
  /** Where /metrics is served; neither setting set: nowhere (404). See MetricsSettings. */
  metrics: MetricsSettings;
  /** `LOG_FORMAT`: `json` (default) or `pretty` (also chosen when stdout is a terminal). */
  logFormat: 'json' | 'pretty' | undefined;
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

export type SessionCookieSameSite = 'lax' | 'none' | 'strict';

/** Budgets per minute (0 = off), each kept per route so one route's budget never spends another's. */
export interface RateLimits {
  /** `/v1/token` per client (`LATCHKEY_TOKEN_RATE_LIMIT`, default 600): a web app's backend is one address. */
  token: number;
  /** Sign-in posts per address and, separately, per login (`LATCHKEY_SIGNIN_RATE_LIMIT`, default 60). */
  signIn: number;
  /** `/v1/authorize` per address (`LATCHKEY_AUTHORIZE_RATE_LIMIT`, default 300). */
  authorize: number;
  /** Dynamic client registration requests per address (`LATCHKEY_REGISTRATION_RATE_LIMIT`, default 20). */
  registration: number;
}

/** draft-ietf-oauth-client-id-metadata-document; see the README's "MCP clients and metadata documents". */
export interface ClientMetadataSettings {
  /** `LATCHKEY_CLIENT_METADATA_DOCUMENTS=on|off`, default on. */
  enabled: boolean;
  /**
   * Hosts whose addresses are not checked (`LATCHKEY_CLIENT_METADATA_ALLOW_HOSTS`, e.g. `localhost,127.0.0.1`
   * for development): every other host must resolve only to public addresses.
   */
  allowHosts: string[];
  /** Hosts refused, with their subdomains (`LATCHKEY_CLIENT_METADATA_BLOCK_HOSTS`, e.g. `evil.example`). */
  blockHosts: string[];
  /** Bounds of the cache lifetime taken from a document's Cache-Control / Expires (default 300 s - 24 h). */
  cacheMinSeconds: number;
  cacheMaxSeconds: number;
}

/** The Prometheus endpoint is never public: its own listener, or the main one behind a bearer token. */
export interface MetricsSettings {
  /** `LATCHKEY_METRICS_ADDRESS` (host:port): a separate listener that serves only /metrics. */
  address: { host: string; port: number } | undefined;
  /** `LATCHKEY_METRICS_TOKEN`: /metrics on the main listener, for `Authorization: Bearer <token>` only. */
  token: string | undefined;
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
