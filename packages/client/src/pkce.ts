// RFC 7636 (PKCE): a code verifier of 43-128 unreserved characters (§4.1) made from at least 32 random
// bytes (§7.1), and its S256 challenge BASE64URL(SHA256(ASCII(code_verifier))) (§4.2).

import { encodeAscii, encodeBase64Url } from './internal/base64url.ts';
import { randomBase64Url } from './internal/random.ts';

/**
 * A PKCE pair: keep `verifier` secret until the code exchange; send `challenge` to /authorize.
 *
 * @example
 * ```ts
 * const pkce: PkcePair = await generatePkce();
 * ```
 */
export interface PkcePair {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** RFC 7636 §4.1: code-verifier = 43*128unreserved. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const MIN_RANDOM_BYTES = 32;
const MAX_RANDOM_BYTES = 96;

/**
 * A new code verifier: `byteLength` random bytes (32-96, default 32) as base64url, 43-128 characters.
 *
 * @example
 * ```ts
 * const verifier = generateCodeVerifier(); // 43 characters, 256 bits of entropy
 * ```
 */
export function generateCodeVerifier(byteLength = MIN_RANDOM_BYTES): string {
  // §7.1: at least 256 bits of entropy; 96 bytes encode to 128 characters, the maximum length.
  if (!Number.isInteger(byteLength) || byteLength < MIN_RANDOM_BYTES || byteLength > MAX_RANDOM_BYTES) {
    throw new RangeError(
      `A code verifier needs ${MIN_RANDOM_BYTES}-${MAX_RANDOM_BYTES} random bytes (RFC 7636 §4.1, §7.1); got ${byteLength}.`,
    );
  }
  return randomBase64Url(byteLength);
}

/**
 * The S256 code challenge of `verifier` (RFC 7636 §4.2).
 *
 * @throws RangeError when `verifier` is not 43-128 characters of `[A-Za-z0-9._~-]`.
 *
 * @example
 * ```ts
 * // RFC 7636 Appendix B:
 * await computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
 * // → 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 * ```
 */
export async function computeCodeChallenge(verifier: string): Promise<string> {
  if (!VERIFIER.test(verifier)) {
    throw new RangeError('A code verifier must be 43-128 characters from [A-Za-z0-9._~-] (RFC 7636 §4.1).');
  }
  const digest = await crypto.subtle.digest('SHA-256', encodeAscii(verifier));
  return encodeBase64Url(new Uint8Array(digest));
}

/**
 * A new PKCE pair with method S256. Pass `verifier` only to reproduce a known pair (tests, RFC 7636
 * Appendix B); otherwise a fresh one is generated.
 *
 * @example
 * ```ts
 * import { generatePkce } from '@latchkey/client';
 *
 * const { verifier, challenge } = await generatePkce();
 * // /authorize?…&code_challenge_method=S256&code_challenge=${challenge}; later code_verifier=${verifier}
 * ```
 */
export async function generatePkce(options: { verifier?: string } = {}): Promise<PkcePair> {
  const verifier = options.verifier ?? generateCodeVerifier();
  return { verifier, challenge: await computeCodeChallenge(verifier), method: 'S256' };
}
