// Claim checks on a payload whose signature is already verified (OKTA-COMPAT §2.3, §2.6; RFC 9068 §4;
// RFC 7519 §4.1). Pure: the time comes in as `now`, so tests need no clock.

import type { JWTPayload } from 'jose';
import { InsufficientScopeError, InvalidTokenError } from './errors.ts';

/** The verified payload. `scp` is normalised to an array (Okta's form) even when the token used `scope`. */
export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  aud: string | string[];
  exp: number;
  iat: number;
  /** The client the token was issued to (Okta's `cid`; RFC 9068 `client_id` is accepted too). */
  cid: string;
  scp: string[];
  /** Latchkey and Okta: the user's login, or the client id when no user is bound. */
  sub?: string;
  /** The user id; absent when no user is bound. */
  uid?: string;
}

export interface ClaimExpectations {
  issuer: string;
  audiences: readonly string[];
  /** Epoch seconds. */
  now: number;
  clockToleranceSeconds: number;
  clientIds?: readonly string[] | undefined;
}

const STRING_CLAIMS = ['sub', 'uid'] as const;

/** RFC 7519 §4.1.3: `aud` is one string or an array of them, and must contain one of ours. */
function intendedFor(aud: unknown, audiences: readonly string[]): boolean {
  if (typeof aud === 'string') return audiences.includes(aud);
  if (!Array.isArray(aud)) return false;
  for (const value of aud) if (typeof value === 'string' && audiences.includes(value)) return true;
  return false;
}

/** Members only an ID token carries (OIDC Core §2, §3.1.3.6): presented as a Bearer token it must fail. */
const ID_TOKEN_CLAIMS = ['nonce', 'at_hash', 'c_hash'] as const;

export function checkClaims(payload: JWTPayload, expected: ClaimExpectations): AccessTokenClaims {
  // RFC 9068 §4 / OKTA-COMPAT §2.6: `iss` exactly, no normalisation (a trailing slash is another issuer).
  if (payload.iss !== expected.issuer) throw new InvalidTokenError('wrong_issuer');
  const { aud } = payload;
  if (!intendedFor(aud, expected.audiences)) throw new InvalidTokenError('wrong_audience');

  const tolerance = expected.clockToleranceSeconds;
  const exp = numericDate(payload, 'exp', true);
  // RFC 7519 §4.1.4: the current time MUST be before `exp`.
  if (expected.now >= exp + tolerance) throw new InvalidTokenError('expired');
  const iat = numericDate(payload, 'iat', true);
  if (iat > expected.now + tolerance) throw new InvalidTokenError('not_yet_valid');
  const nbf = numericDate(payload, 'nbf', false);
  if (nbf !== undefined && nbf > expected.now + tolerance) throw new InvalidTokenError('not_yet_valid');

  // Our decision: an ID token (or any JWT that is not an access token) never authorizes an API call.
  // Okta ID tokens already fail `aud` (it is the client id); these checks hold when an API's audience
  // happens to equal a client id.
  for (const claim of ID_TOKEN_CLAIMS) {
    if (claim in payload) {
      throw new InvalidTokenError('not_access_token', {
        description: `An ID token cannot be used as an access token (it has ${claim}).`,
      });
    }
  }
  const cid = payload['cid'] ?? payload['client_id'];
  if (typeof cid !== 'string' || cid === '') {
    throw new InvalidTokenError('not_access_token', {
      description: 'The token is not an access token (it names no client: cid).',
    });
  }
  if (expected.clientIds !== undefined && !expected.clientIds.includes(cid)) {
    throw new InvalidTokenError('client_not_allowed');
  }

  for (const claim of STRING_CLAIMS) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string') {
      throw new InvalidTokenError('malformed', {
        description: `The access token claim '${claim}' is not a string.`,
      });
    }
  }
  return {
    ...payload,
    iss: expected.issuer,
    aud: aud as string | string[],
    exp,
    iat,
    cid,
    scp: scopesOf(payload),
  };
}

/** Every required scope must be granted (RFC 6750 §3.1 `insufficient_scope` otherwise). */
export function checkScopes(claims: AccessTokenClaims, required: readonly string[] | undefined): void {
  if (required === undefined || required.length === 0) return;
  // A route needs a scope or two: a scan beats building a Set per request.
  for (const scope of required) {
    if (!claims.scp.includes(scope)) {
      const missing = required.filter((name) => !claims.scp.includes(name));
      throw new InsufficientScopeError(required, missing, claims);
    }
  }
}

/** Okta's `scp` array; a space-separated `scp` or RFC 9068 / RFC 8693 `scope` string is tolerated. */
function scopesOf(payload: JWTPayload): string[] {
  const { scp, scope } = payload as { scp?: unknown; scope?: unknown };
  const value = scp ?? scope;
  if (value === undefined) return [];
  if (typeof value === 'string') return value.split(' ').filter((token) => token !== '');
  if (Array.isArray(value) && value.every((token) => typeof token === 'string')) return [...value];
  throw new InvalidTokenError('malformed', {
    description: 'The access token scopes (scp) are neither an array of strings nor a string.',
  });
}

function numericDate(payload: JWTPayload, claim: 'exp' | 'iat' | 'nbf', required: true): number;
function numericDate(payload: JWTPayload, claim: 'exp' | 'iat' | 'nbf', required: false): number | undefined;
function numericDate(
  payload: JWTPayload,
  claim: 'exp' | 'iat' | 'nbf',
  required: boolean,
): number | undefined {
  const value = payload[claim];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidTokenError('malformed', {
      description: `The access token claim '${claim}' is ${value === undefined ? 'missing' : 'not a number'}.`,
    });
  }
  return value;
}
