// The server's signing keys (RFC 7517 JWK Set at discovery's jwks_uri), as WebCrypto RSASSA-PKCS1-v1_5
// SHA-256 keys. Cached for the response's max-age (at most 24 h); an unknown `kid` triggers one refetch,
// at most once per cool-down, so a rotated key is picked up at once and garbage tokens cannot hammer the
// server (OKTA-COMPAT §2.6).

import { UnexpectedResponseError } from './errors.ts';
import { type HttpOptions, readJsonObject, send, throwForErrorResponse } from './internal/http.ts';

/**
 * Options of {@link RemoteJwks}.
 *
 * @example
 * ```ts
 * const options: RemoteJwksOptions = { refetchCooldownMs: 30_000 };
 * ```
 */
export interface RemoteJwksOptions extends HttpOptions {
  /** Milliseconds since the epoch; defaults to Date.now. */
  now?: (() => number) | undefined;
  /** The least time between two fetches caused by an unknown `kid` (default 10 s). */
  refetchCooldownMs?: number | undefined;
}

const DEFAULT_MAX_AGE_MS = 60 * 60 * 1000;
const LONGEST_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const DEFAULT_COOLDOWN_MS = 10_000;

interface RsaJwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  n?: string;
  e?: string;
}

/**
 * A cached remote JWK Set. One instance per `jwks_uri` is enough for the life of the app.
 *
 * @example
 * ```ts
 * import { RemoteJwks, validateIdToken } from '@latchkey/client';
 *
 * const jwks = new RemoteJwks(metadata.jwks_uri);
 * const claims = await validateIdToken(tokens.idToken!, { metadata, clientId, jwks });
 * ```
 */
export class RemoteJwks {
  private keys: RsaJwk[] = [];
  private readonly imported = new Map<RsaJwk, Promise<CryptoKey>>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private expiresAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;

  constructor(
    readonly jwksUri: string,
    private readonly options: RemoteJwksOptions = {},
  ) {}

  /**
   * The verification key for `kid`, or undefined when the server does not publish it even after a
   * refetch. Without a `kid`, the one RS256 key when exactly one is published.
   *
   * @example
   * ```ts
   * const key = await jwks.getKey('k1');
   * ```
   */
  async getKey(kid: string | undefined): Promise<CryptoKey | undefined> {
    const now = this.now();
    if (now >= this.expiresAt) await this.refresh();
    let jwk = this.find(kid);
    const cooldown = this.options.refetchCooldownMs ?? DEFAULT_COOLDOWN_MS;
    if (jwk === undefined && this.now() - this.fetchedAt >= cooldown) {
      // Refetched once: the server may have started signing with a key published after our last fetch.
      await this.refresh();
      jwk = this.find(kid);
    }
    if (jwk === undefined) return undefined;
    let key = this.imported.get(jwk);
    if (key === undefined) {
      key = importRsaKey(jwk);
      this.imported.set(jwk, key);
    }
    try {
      return await key;
    } catch (error) {
      this.imported.delete(jwk);
      throw new UnexpectedResponseError(
        this.jwksUri,
        200,
        `key ${jwk.kid ?? '(no kid)'} is not a usable RSA public key (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private find(kid: string | undefined): RsaJwk | undefined {
    const usable = this.keys.filter(
      (key) =>
        key.kty === 'RSA' &&
        (key.alg === undefined || key.alg === 'RS256') &&
        (key.use === undefined || key.use === 'sig'),
    );
    if (kid === undefined) return usable.length === 1 ? usable[0] : undefined;
    return usable.find((key) => key.kid === kid);
  }

  private refresh(): Promise<void> {
    // Concurrent validations share one request.
    this.pending ??= this.load().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async load(): Promise<void> {
    const url = this.jwksUri;
    const response = await send(url, { headers: { accept: 'application/json' } }, this.options);
    await throwForErrorResponse(response, url, 'Fetching the signing keys');
    const body = await readJsonObject(response, url);
    if (!Array.isArray(body['keys'])) {
      throw new UnexpectedResponseError(url, response.status, 'the JWK Set has no "keys" array.');
    }
    this.keys = body['keys'].filter(
      (key): key is RsaJwk => typeof key === 'object' && key !== null && typeof key.kty === 'string',
    );
    this.imported.clear();
    this.fetchedAt = this.now();
    this.expiresAt = this.fetchedAt + maxAge(response.headers.get('cache-control'));
  }
}

function maxAge(cacheControl: string | null): number {
  const seconds = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl ?? '')?.[1];
  if (seconds === undefined) return DEFAULT_MAX_AGE_MS;
  return Math.min(Number(seconds) * 1000, LONGEST_MAX_AGE_MS);
}

function importRsaKey(jwk: RsaJwk): Promise<CryptoKey> {
  // Only the public members: `use` or `key_ops` could conflict with the usage asked for (okta-auth-js
  // drops `use` for the same reason).
  return crypto.subtle.importKey(
    'jwk',
    { kty: 'RSA', n: jwk.n ?? '', e: jwk.e ?? '', alg: 'RS256', ext: true },
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['verify'],
  );
}
