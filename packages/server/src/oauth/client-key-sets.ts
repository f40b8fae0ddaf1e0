// The public keys of apps that authenticate with private_key_jwt (RFC 7523 §2.2, OIDC Core §9): an inline
// JWK Set, or one fetched from the app's `jwks_uri` (RFC 7591 §2) with a time limit and a size limit and
// cached for a few minutes, never the source of truth for longer (ARCHITECTURE "Scale"). One instance per
// process, built in http/app.ts and passed in (no module-level state).

import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  type FetchImplementation,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import type { ClientRow } from '../storage/store.ts';

/** A JWK Set document larger than this is refused, fetched or registered. */
export const MAX_JWKS_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 5_000;
/** A rotated key is picked up within this time; an unknown `kid` refetches at most every 30 s (jose). */
const CACHE_MAX_AGE_MS = 5 * 60_000;
const MAX_CACHED_URIS = 1_000;

/** Why `uri` cannot be a jwks_uri, or undefined: https, or http on a loopback address (development). */
export function jwksUriProblem(uri: string): string | undefined {
  if (!URL.canParse(uri)) return 'is not an absolute URL';
  const url = new URL(uri);
  if (url.hash !== '' || url.username !== '' || url.password !== '') {
    return 'must not carry a fragment or credentials';
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return 'must use https (http only on 127.0.0.1, [::1] or localhost)';
  }
  return undefined;
}

/** Why `text` is not a usable public JWK Set, or undefined (RFC 7517 §5; no private members, §4). */
export function jwksProblem(text: string): string | undefined {
  if (Buffer.byteLength(text) > MAX_JWKS_BYTES) return `is larger than ${MAX_JWKS_BYTES} bytes`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0)
    return 'must be a JWK Set: {"keys": [ … ]} with at least one key';
  for (const key of keys as Record<string, unknown>[]) {
    if (typeof key !== 'object' || key === null || !['RSA', 'EC', 'OKP'].includes(String(key['kty']))) {
      return 'has a key that is not an RSA, EC or OKP public key';
    }
    // A private key pasted by mistake must not be stored (RFC 7517 §9.2: private members).
    if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((member) => member in key)) {
      return 'contains private key material ("d" or similar); register the public keys only';
    }
  }
  return undefined;
}

/** Reads at most MAX_JWKS_BYTES of the response; redirects are not followed (jose asks for `manual`). */
const limitedFetch: FetchImplementation = async (url, options) => {
  const response = await fetch(url, options);
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader !== undefined) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_JWKS_BYTES) {
      await reader.cancel();
      throw new Error(`the JWK Set at ${url} is larger than ${MAX_JWKS_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return new Response(Buffer.concat(chunks), { status: response.status, headers: response.headers });
};

export class ClientKeySets {
  private readonly remote = new Map<string, JWTVerifyGetKey>();

  /** The key resolver for an app's assertions, or undefined when it registered no keys. */
  resolver(client: Pick<ClientRow, 'jwks' | 'jwksUri'>): JWTVerifyGetKey | undefined {
    if (client.jwks !== null) return createLocalJWKSet(JSON.parse(client.jwks) as JSONWebKeySet);
    if (client.jwksUri === null) return undefined;
    let keys = this.remote.get(client.jwksUri);
    if (keys === undefined) {
      if (this.remote.size >= MAX_CACHED_URIS) this.remote.clear();
      keys = createRemoteJWKSet(new URL(client.jwksUri), {
        timeoutDuration: FETCH_TIMEOUT_MS,
        cacheMaxAge: CACHE_MAX_AGE_MS,
        [customFetch]: limitedFetch,
      });
      this.remote.set(client.jwksUri, keys);
    }
    return keys;
  }
}
