// Access-token verification for one issuer (OKTA-COMPAT §2.6; RFC 9068 §4; RFC 8725 §3.1):
// structure → alg pinned → `iss` (before any network) → key by `kid` → signature → claims →
// optional introspection → scopes. Parsing and the signature use Buffer and node:crypto directly (jws.ts,
// signature.ts): with a warm key cache a token costs one synchronous crypto.verify (issue 8).

import { type AccessTokenClaims, checkClaims, checkScopes } from './claims.ts';
import { InvalidTokenError } from './errors.ts';
import { type IntrospectionOptions, introspect } from './introspection.ts';
import { JwksCache } from './jwks-cache.ts';
import { decodeCompactJws, HeaderCache, malformed } from './jws.ts';
import { KeyObjectCache } from './signature.ts';

export interface VerifierOptions {
  /** Compared byte for byte with `iss`, e.g. https://id.example.com/oauth2/default. */
  issuer: string;
  /** The API's audience (`api://default` on the default server); a list accepts any of them. */
  audience: string | readonly string[];
  /** Default `issuer + '/v1/keys'`, as @okta/jwt-verifier (discovery is not read). */
  jwksUri?: string | undefined;
  /** Default ['RS256'] (OKTA-COMPAT §2.2). `none` and HMAC algorithms are refused at construction. */
  algorithms?: readonly string[] | undefined;
  /** Leeway for exp, iat and nbf. Default 60 s: small, for clock drift only. */
  clockToleranceSeconds?: number | undefined;
  /** Minimum time between JWKS refetches caused by unknown kids or failures. Default 30 s. */
  cooldownSeconds?: number | undefined;
  /** Timeout of each JWKS or introspection request. Default 5000 ms. */
  timeoutMs?: number | undefined;
  /** Check every token at `{issuer}/v1/introspect` too, so revocation takes effect at once. */
  introspect?: IntrospectionOptions | undefined;
  /** A JWKS cache to share between verifiers of the same issuer (one is created otherwise). */
  keys?: JwksCache | undefined;
  fetch?: typeof fetch | undefined;
  /** Epoch seconds. Default: the system clock. */
  now?: (() => number) | undefined;
}

export interface VerifyOptions {
  /** Every one must be in `scp` (else InsufficientScopeError). */
  requiredScopes?: readonly string[] | undefined;
  /** When given, `cid` must be one of them (else InvalidTokenError 'client_not_allowed'). */
  clientIds?: readonly string[] | undefined;
}

export interface Verifier {
  readonly issuer: string;
  readonly keys: JwksCache;
  /** Resolves to the verified claims or throws InvalidTokenError, InsufficientScopeError or a VerifierUnavailableError. */
  verifyAccessToken(token: string, options?: VerifyOptions): Promise<AccessTokenClaims>;
}

/** Asymmetric JWS algorithms only: with a public key set, `none` and HS* can only be attacks (JW-01, JW-02). */
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;
const MAX_KID_LENGTH = 256;
/** RFC 9068 §2.1 `at+jwt`, or a generic JWT; Okta sends no `typ` (OKTA-COMPAT §2.2). */
const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt', 'jwt']);

export function defaultJwksUri(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/v1/keys`;
}

export function createVerifier(options: VerifierOptions): Verifier {
  const { issuer } = options;
  if (typeof issuer !== 'string' || !URL.canParse(issuer)) {
    throw new TypeError(`issuer must be an absolute URL, got ${JSON.stringify(issuer)}.`);
  }
  const audiences = typeof options.audience === 'string' ? [options.audience] : [...(options.audience ?? [])];
  if (audiences.length === 0 || audiences.some((value) => typeof value !== 'string' || value === '')) {
    throw new TypeError('audience must be a non-empty string (e.g. api://default) or a list of them.');
  }
  const algorithms = [...(options.algorithms ?? ['RS256'])];
  const refused = algorithms.filter((alg) => !ASYMMETRIC.test(alg));
  if (algorithms.length === 0 || refused.length > 0) {
    throw new TypeError(
      `algorithms must be asymmetric JWS algorithms such as RS256; refused: ${refused.join(', ')}.`,
    );
  }
  const clockToleranceSeconds = options.clockToleranceSeconds ?? 60;
  const now = options.now ?? (() => Date.now() / 1000);
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const keys =
    options.keys ??
    new JwksCache({
      jwksUri: options.jwksUri ?? defaultJwksUri(issuer),
      cooldownSeconds: options.cooldownSeconds,
      timeoutMs,
      fetch: fetchImpl,
      now,
    });
  const introspection = options.introspect;
  const keyObjects = new KeyObjectCache();
  const headers = new HeaderCache();

  async function verifyAccessToken(token: string, verify: VerifyOptions = {}): Promise<AccessTokenClaims> {
    const decoded = decodeCompactJws(token, headers);
    const { header, payload, signingInput, signature } = decoded;
    // RFC 8725 §3.1: the algorithm is the one we expect, never what the header chooses (JW-01, JW-02).
    const { alg, kid, typ } = header;
    if (typeof alg !== 'string' || !algorithms.includes(alg)) {
      throw new InvalidTokenError('wrong_algorithm', {
        description: `The access token must be signed with ${algorithms.join(' or ')}.`,
      });
    }
    if (typeof kid !== 'string' || kid === '' || kid.length > MAX_KID_LENGTH) {
      throw malformed('The access token header has no usable kid.');
    }
    if (typ !== undefined && (typeof typ !== 'string' || !ACCESS_TOKEN_TYPES.has(typ.toLowerCase()))) {
      throw new InvalidTokenError('not_access_token', {
        description: 'The token is not an access token (typ).',
      });
    }
    // RFC 7515 §4.1.11: extensions listed in `crit` MUST be understood; we understand none.
    if (header.crit !== undefined) {
      throw malformed('The access token header lists critical extensions (crit) this API does not support.');
    }
    // A token of another issuer fails anyway; refusing it here spares a JWKS fetch.
    if (payload.iss !== issuer) throw new InvalidTokenError('wrong_issuer');

    if (!decoded.signatureCanonical) throw new InvalidTokenError('bad_signature');
    const warm = keys.freshFor(kid);
    if (warm !== undefined) {
      keyObjects.verify(warm, kid, alg, signingInput, signature);
    } else {
      // The decoded bytes live in a buffer the next token's decode reuses: copy them before waiting.
      const input = Buffer.from(signingInput);
      const signatureBytes = Buffer.from(signature);
      keyObjects.verify(await keys.keySetFor(kid), kid, alg, input, signatureBytes);
    }
    if (!decoded.headerCached) headers.remember(decoded.encodedHeader, header);
    const claims = checkClaims(payload, {
      issuer,
      audiences,
      now: now(),
      clockToleranceSeconds,
      clientIds: verify.clientIds,
    });
    if (introspection !== undefined) {
      const active = await introspect(token, { issuer, ...introspection, fetch: fetchImpl, timeoutMs });
      if (!active) throw new InvalidTokenError('revoked');
    }
    checkScopes(claims, verify.requiredScopes);
    return claims;
  }

  return { issuer, keys, verifyAccessToken };
}

const sharedKeySets = new Map<string, JwksCache>();

/**
 * The one-call form from the issue. It keeps one JWKS cache per JWKS URL (so per issuer) for the life of
 * the process, created with the options of the first call for that issuer. Prefer `createVerifier` in
 * servers: one verifier per issuer, with its options in one place.
 */
export function verifyAccessToken(
  token: string,
  options: Omit<VerifierOptions, 'keys'> & VerifyOptions,
): Promise<AccessTokenClaims> {
  const jwksUri = new URL(options.jwksUri ?? defaultJwksUri(options.issuer)).href;
  let keys = sharedKeySets.get(jwksUri);
  if (keys === undefined) {
    keys = new JwksCache({
      jwksUri,
      cooldownSeconds: options.cooldownSeconds,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
      now: options.now,
    });
    sharedKeySets.set(jwksUri, keys);
  }
  return createVerifier({ ...options, keys }).verifyAccessToken(token, options);
}
