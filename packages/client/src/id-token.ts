// ID token validation, OIDC Core §3.1.3.7 (and §3.1.3.6 at_hash): RS256 signature by a key of the
// server's JWK Set (WebCrypto RSASSA-PKCS1-v1_5 SHA-256), then iss, aud, exp, iat, nonce, at_hash and, when
// asked, auth_time against max_age. Clock checks allow a skew, and say so when the device clock is off.

import type { AuthorizationServerMetadata } from './discovery.ts';
import { type IdTokenFailureReason, IdTokenValidationError } from './errors.ts';
import { encodeAscii, encodeBase64Url } from './internal/base64url.ts';
import type { HttpOptions } from './internal/http.ts';
import { decodeJwt } from './internal/jwt.ts';
import { RemoteJwks } from './jwks.ts';

/**
 * The claims of a validated ID token (OIDC Core §2, with Okta's `ver`, `amr`, `idp`).
 *
 * @example
 * ```ts
 * const claims: IdTokenClaims = await validateIdToken(idToken, { metadata, clientId });
 * console.log(claims.sub, claims.name);
 * ```
 */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  auth_time?: number;
  nonce?: string;
  at_hash?: string;
  amr?: string[];
  name?: string;
  email?: string;
  preferred_username?: string;
  [claim: string]: unknown;
}

/**
 * What {@link validateIdToken} checks the token against.
 *
 * @example
 * ```ts
 * const options: IdTokenValidationOptions = {
 *   metadata,
 *   clientId,
 *   nonce: request.nonce,
 *   accessToken: tokens.accessToken,
 * };
 * ```
 */
export interface IdTokenValidationOptions extends HttpOptions {
  /** The server's metadata: `issuer` is compared exactly, keys come from `jwks_uri`. */
  metadata: Pick<AuthorizationServerMetadata, 'issuer' | 'jwks_uri'>;
  /** Must be the token's audience. */
  clientId: string;
  /** The nonce of the authorization request. Omit after a refresh: refreshed ID tokens carry none. */
  nonce?: string | undefined;
  /** The access token issued with the ID token; checked against `at_hash` when the token has one. */
  accessToken?: string | undefined;
  /** The `max_age` sent to /authorize: `auth_time` must be that recent. */
  maxAge?: number | undefined;
  /** Allowed difference between this device's clock and the server's, in seconds (default 300). */
  clockToleranceSeconds?: number | undefined;
  /** Milliseconds since the epoch; defaults to Date.now. */
  now?: (() => number) | undefined;
  /** The key set to use; by default one shared cache per `jwks_uri`. */
  jwks?: RemoteJwks | undefined;
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const sharedKeySets = new Map<string, RemoteJwks>();

/**
 * Validates an ID token and returns its claims.
 *
 * @throws {@link IdTokenValidationError} whose `reason` names the failed check.
 *
 * @example
 * ```ts
 * import { validateIdToken } from '@latchkey/client';
 *
 * const claims = await validateIdToken(tokens.idToken!, {
 *   metadata,
 *   clientId: request.clientId,
 *   nonce: request.nonce,
 *   accessToken: tokens.accessToken,
 * });
 * console.log(`Signed in as ${claims.sub}`);
 * ```
 */
export async function validateIdToken(
  idToken: string,
  options: IdTokenValidationOptions,
): Promise<IdTokenClaims> {
  const { header, claims, signingInput, signature } = decodeJwt(idToken);

  // §3.1.3.7 step 7: the algorithm must be the one registered (RS256); this refuses `none` and HMAC.
  if (header['alg'] !== 'RS256') {
    fail(
      'unsupported_algorithm',
      `its algorithm is ${JSON.stringify(header['alg'])}; only RS256 is accepted.`,
    );
  }
  if (header['crit'] !== undefined)
    fail('malformed', 'its header has "crit" extensions this client does not know.');
  const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
  const jwks = options.jwks ?? sharedJwks(options);
  const key = await jwks.getKey(kid);
  if (key === undefined) {
    fail(
      'unknown_key',
      `it was signed with key ${kid ?? '(no kid)'}, which ${jwks.jwksUri} does not publish. It was not issued by this server, or the key was revoked.`,
    );
  }
  const valid = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, signingInput);
  if (!valid)
    fail(
      'invalid_signature',
      "its signature does not verify with the server's key. It was altered or forged.",
    );

  const { issuer } = options.metadata;
  if (claims['iss'] !== issuer) {
    fail('issuer_mismatch', `its issuer is ${JSON.stringify(claims['iss'])}, expected exactly "${issuer}".`);
  }
  checkAudience(claims, options.clientId);
  if (typeof claims['sub'] !== 'string' || claims['sub'] === '') fail('missing_claim', 'it has no sub.');
  checkTimes(claims, options);
  if (options.nonce !== undefined && claims['nonce'] !== options.nonce) {
    fail(
      'nonce_mismatch',
      claims['nonce'] === undefined
        ? 'it carries no nonce, but the sign-in sent one. Sign in again.'
        : 'its nonce is not the one this sign-in sent: it belongs to another sign-in (replay). Sign in again.',
    );
  }
  if (options.accessToken !== undefined && claims['at_hash'] !== undefined) {
    // §3.1.3.6: base64url of the left half of SHA-256 (RS256's hash) over the access token's ASCII.
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encodeAscii(options.accessToken)));
    if (claims['at_hash'] !== encodeBase64Url(digest.subarray(0, 16))) {
      fail(
        'at_hash_mismatch',
        'its at_hash does not match the access token it came with: the tokens were mixed up or swapped.',
      );
    }
  }
  return claims as IdTokenClaims;
}

function sharedJwks(options: IdTokenValidationOptions): RemoteJwks {
  const uri = options.metadata.jwks_uri;
  let jwks = sharedKeySets.get(uri);
  if (jwks === undefined) {
    jwks = new RemoteJwks(uri, { fetch: options.fetch, now: options.now });
    sharedKeySets.set(uri, jwks);
  }
  return jwks;
}

function checkAudience(claims: Record<string, unknown>, clientId: string): void {
  const aud = claims['aud'];
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(clientId)) {
    fail(
      'audience_mismatch',
      `it was issued to ${JSON.stringify(aud)}, not to this app (${clientId}). Check the client id.`,
    );
  }
  const azp = claims['azp'];
  if (azp !== undefined && azp !== clientId) {
    fail(
      'audience_mismatch',
      `its authorized party (azp) is ${JSON.stringify(azp)}, not this app (${clientId}).`,
    );
  }
}

function checkTimes(claims: Record<string, unknown>, options: IdTokenValidationOptions): void {
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const exp = claims['exp'];
  const iat = claims['iat'];
  if (typeof exp !== 'number') fail('missing_claim', 'it has no numeric exp.');
  if (typeof iat !== 'number') fail('missing_claim', 'it has no numeric iat.');
  if (now > exp + tolerance) {
    fail(
      'expired',
      `it expired at ${iso(exp)}, ${now - exp} s before this device's time ${iso(now)} (allowed clock skew ${tolerance} s). Refresh the tokens or sign in again. If the token was issued just now, this device's clock is ahead: turn on automatic time (NTP) and sign in again.`,
    );
  }
  if (iat > now + tolerance) {
    fail(
      'issued_in_future',
      `it was issued at ${iso(iat)}, ${iat - now} s after this device's time ${iso(now)} (allowed clock skew ${tolerance} s). This device's clock is behind: turn on automatic time (NTP) and sign in again.`,
    );
  }
  if (options.maxAge !== undefined) {
    const authTime = claims['auth_time'];
    if (typeof authTime !== 'number') fail('missing_claim', 'it has no auth_time, which max_age requires.');
    if (now - authTime > options.maxAge + tolerance) {
      fail(
        'auth_time_too_old',
        `the user signed in at ${iso(authTime)}, longer ago than max_age ${options.maxAge} s. Sign in again.`,
      );
    }
  }
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function fail(reason: IdTokenFailureReason, message: string): never {
  throw new IdTokenValidationError(reason, message);
}
