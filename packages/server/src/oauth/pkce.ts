// RFC 7636 (PKCE), S256 only: §4.2 (challenge), §4.3 (method), §4.6 (verification), §7.2 (no `plain`).

import { createHash, timingSafeEqual } from 'node:crypto';
import { OAuthError } from './errors.ts';

export const SUPPORTED_CHALLENGE_METHODS = ['S256'] as const;

// RFC 7636 §4.1: code-verifier = 43*128unreserved
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const UNRESERVED = /^[A-Za-z0-9._~-]*$/;

/** Checks `code_challenge` and `code_challenge_method` as sent to /authorize. */
export function validateCodeChallenge(challenge: string, method: string | undefined): void {
  // RFC 7636 §4.3 defaults a missing method to `plain`, which we never accept (SECURITY-MATRIX rule 2).
  if (method !== 'S256') {
    throw new OAuthError(
      'invalid_request',
      'PKCE code challenge method is not supported. Valid values: [S256]',
    );
  }
  if (!UNRESERVED.test(challenge)) {
    throw new OAuthError('invalid_request', 'PKCE code challenge contains illegal characters.');
  }
  // BASE64URL(SHA-256) without padding is always 43 characters.
  if (challenge.length !== 43) {
    throw new OAuthError(
      'invalid_request',
      'PKCE code challenge must be 43 characters: BASE64URL(SHA256(code_verifier)) without padding.',
    );
  }
}

/** S256: BASE64URL(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2). */
export function computeS256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * Verifies the token request's `code_verifier` against what /authorize stored (RFC 7636 §4.6).
 * A verifier is accepted only when a challenge was stored (PKCE downgrade, RFC 9700 §4.8.2).
 */
export function verifyCodeVerifier(verifier: string | undefined, storedChallenge: string | null): void {
  if (storedChallenge === null) {
    if (verifier === undefined) return;
    throw new OAuthError(
      'invalid_request',
      'PKCE code challenge should be specified in the authorize request for code verification.',
    );
  }
  if (verifier === undefined) {
    throw new OAuthError('invalid_request', 'PKCE code verifier is required by the application.');
  }
  // A malformed verifier is a malformed parameter (RFC 6749 §5.2 `invalid_request`, SECURITY-MATRIX PK-04);
  // the text keeps Okta's "PKCE verification failed: …" form.
  if (!VERIFIER.test(verifier)) {
    throw new OAuthError(
      'invalid_request',
      'PKCE verification failed: code_verifier must be 43-128 characters from [A-Za-z0-9._~-].',
    );
  }
  // Compare digests of equal length in constant time (ASVS 11.2.4).
  const expected = createHash('sha256').update(storedChallenge).digest();
  const actual = createHash('sha256').update(computeS256Challenge(verifier)).digest();
  if (!timingSafeEqual(expected, actual)) {
    throw new OAuthError('invalid_grant', 'PKCE verification failed.');
  }
}
