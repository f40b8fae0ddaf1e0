// A JWK Set cache that honours the server's Cache-Control (RFC 9111 §5.2.2), built on jose's
// createLocalJWKSet (jose's createRemoteJWKSet has a fixed cacheMaxAge and ignores Cache-Control).
//
// - Keys are kept for the response's freshness lifetime (max-age minus Age; 300 s without one; at least
//   1 s, at most 24 h as Okta's clients do, OKTA-COMPAT §6), then fetched again on the next use.
// - A token naming an unknown `kid` triggers one refetch (the server may have rotated), at most once per
//   cooldown: tokens with made-up kids cannot make us hammer the endpoint (OKTA-COMPAT §2.6).
// - When the endpoint is down the cached keys keep working; with nothing cached the caller gets a
//   JwksUnavailableError naming the URL and the cause. Failed attempts are retried at most once per
//   cooldown. Every fetch is awaited by a caller, so nothing can become an unhandled rejection.

import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { describeCause, InvalidTokenError, JwksUnavailableError } from './errors.ts';

export interface JwksCacheOptions {
  jwksUri: string;
  /** Between two fetches caused by unknown kids, or after a failed fetch. Default 30 s. */
  cooldownSeconds?: number | undefined;
  /** Freshness when the response has no usable max-age. Default 300 s. */
  defaultCacheSeconds?: number | undefined;
  /** Per request. Default 5000 ms. */
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
  /** Epoch seconds. Default: the system clock. */
  now?: (() => number) | undefined;
}

export interface KeySetSnapshot {
  jwks: JSONWebKeySet;
  kids: ReadonlySet<string>;
  getKey: ReturnType<typeof createLocalJWKSet>;
  fetchedAt: number;
  freshUntil: number;
}

const MIN_CACHE_SECONDS = 1;
const MAX_CACHE_SECONDS = 24 * 3600;

export class JwksCache {
  readonly jwksUri: string;
  private readonly cooldownSeconds: number;
  private readonly defaultCacheSeconds: number;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private snapshot: KeySetSnapshot | undefined;
  private pending: Promise<KeySetSnapshot> | undefined;
  private lastAttempt: { at: number; error: JwksUnavailableError | undefined } | undefined;

  constructor(options: JwksCacheOptions) {
    this.jwksUri = new URL(options.jwksUri).href;
    this.cooldownSeconds = options.cooldownSeconds ?? 30;
    this.defaultCacheSeconds = options.defaultCacheSeconds ?? 300;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? (() => Date.now() / 1000);
  }

  /** The key set to verify a token whose header names `kid`; fetched or refreshed as needed. */
  async keySetFor(kid: string): Promise<KeySetSnapshot> {
    let current = this.snapshot;
    if (current === undefined || this.now() >= current.freshUntil) current = await this.refresh(current);
    if (current.kids.has(kid)) return current;
    if (this.mayRetry()) current = await this.refresh(current);
    if (current.kids.has(kid)) return current;
    // While the endpoint is down we cannot tell a rotated key from a forged kid: an outage, not a 401.
    if (this.lastAttempt?.error !== undefined) throw this.lastAttempt.error;
    throw new InvalidTokenError('unknown_kid', { cause: `kid ${JSON.stringify(kid.slice(0, 64))}` });
  }

  /**
   * The cached set when it is fresh and publishes `kid`, without waiting for anything: the verifier's
   * fast path (a warm cache costs no promise). Otherwise undefined, and `keySetFor` decides.
   */
  freshFor(kid: string): KeySetSnapshot | undefined {
    const current = this.snapshot;
    return current?.kids.has(kid) && this.now() < current.freshUntil ? current : undefined;
  }

  /** The cached set, if any (for diagnostics and tests). */
  get cached(): KeySetSnapshot | undefined {
    return this.snapshot;
  }

  private mayRetry(): boolean {
    return this.lastAttempt === undefined || this.now() - this.lastAttempt.at >= this.cooldownSeconds;
  }

  /** Fetches once for all concurrent callers; falls back to `stale` when the fetch fails. */
  private async refresh(stale: KeySetSnapshot | undefined): Promise<KeySetSnapshot> {
    if (this.pending === undefined) {
      const failedRecently = this.lastAttempt?.error !== undefined && !this.mayRetry();
      if (failedRecently) {
        if (stale !== undefined) return stale;
        throw this.lastAttempt?.error;
      }
      const attempt: { at: number; error: JwksUnavailableError | undefined } = {
        at: this.now(),
        error: undefined,
      };
      this.lastAttempt = attempt;
      this.pending = this.load().then(
        (snapshot) => {
          this.snapshot = snapshot;
          return snapshot;
        },
        (error: JwksUnavailableError) => {
          attempt.error = error;
          throw error;
        },
      );
      const clear = () => {
        this.pending = undefined;
      };
      this.pending.then(clear, clear);
    }
    try {
      return await this.pending;
    } catch (error) {
      if (stale !== undefined) return stale;
      throw error;
    }
  }

  private async load(): Promise<KeySetSnapshot> {
    const fail = (problem: string, cause?: unknown) =>
      new JwksUnavailableError(this.jwksUri, problem, cause === undefined ? {} : { cause });
    let response: Response;
    let body: unknown;
    try {
      response = await this.fetchImpl(this.jwksUri, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        throw fail(`the server answered HTTP ${response.status}`);
      }
      const text = await response.text();
      try {
        body = JSON.parse(text);
      } catch (cause) {
        throw fail('the response is not JSON', cause);
      }
    } catch (error) {
      if (error instanceof JwksUnavailableError) throw error;
      throw fail(`the request failed (${describeCause(error)})`, error);
    }
    let getKey: ReturnType<typeof createLocalJWKSet>;
    try {
      getKey = createLocalJWKSet(body as JSONWebKeySet);
    } catch (cause) {
      throw fail('the response is not a JSON Web Key Set (an object with a "keys" array of objects)', cause);
    }
    const jwks = body as JSONWebKeySet;
    const kids = new Set(jwks.keys.flatMap((key) => (typeof key.kid === 'string' ? [key.kid] : [])));
    const fetchedAt = this.now();
    const lifetime = freshnessLifetime(response.headers, this.defaultCacheSeconds);
    const seconds = Math.min(MAX_CACHE_SECONDS, Math.max(MIN_CACHE_SECONDS, lifetime));
    return { jwks, kids, getKey, fetchedAt, freshUntil: fetchedAt + seconds };
  }
}

/**
 * RFC 9111 §4.2.1 and §4.2.3: `max-age` minus `Age`; `no-store`/`no-cache` mean 0 (refetch on the next
 * use, which the caller floors at 1 s); `fallback` when the response says nothing usable.
 */
export function freshnessLifetime(headers: Headers, fallback: number): number {
  const directives = new Map<string, string | undefined>();
  for (const part of (headers.get('cache-control') ?? '').split(',')) {
    const [name = '', value] = part.trim().split('=', 2);
    if (name !== '') directives.set(name.toLowerCase(), value?.replace(/^"(.*)"$/, '$1'));
  }
  if (directives.has('no-store') || directives.has('no-cache')) return 0;
  const maxAge = directives.get('max-age');
  if (maxAge === undefined || !/^\d+$/.test(maxAge)) return fallback;
  const age = headers.get('age');
  return Math.max(0, Number(maxAge) - (age !== null && /^\d+$/.test(age) ? Number(age) : 0));
}
