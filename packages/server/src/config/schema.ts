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
  /**
   * `LATCHKEY_DEV_MODE=true`: error pages show an app's configuration (e.g. its registered redirect URIs) to
   * anyone. Off by default; signed-in console admins see those details either way.
   */
  devMode: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
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
