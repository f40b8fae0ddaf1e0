// The JWS Compact Serialization (RFC 7515 §7.1) of a signed JWT (RFC 7519 §7.2), parsed by hand with
// Buffer: three base64url segments, a JSON-object header and a JSON-object payload. Nothing here is trusted
// yet: the signature is checked afterwards over `signingInput`. Every failure is an InvalidTokenError
// 'malformed', never another kind of throw (SECURITY-MATRIX JW-05).

import { isUtf8 } from 'node:buffer';
import type { JWTPayload } from 'jose';
import { InvalidTokenError } from './errors.ts';

export interface JoseHeader {
  alg?: unknown;
  kid?: unknown;
  typ?: unknown;
  crit?: unknown;
  [name: string]: unknown;
}

export interface DecodedJws {
  header: JoseHeader;
  payload: JWTPayload;
  /** ASCII(BASE64URL(header) '.' BASE64URL(payload)), what the signature covers (RFC 7515 §5.2 step 8). */
  signingInput: Buffer;
  signature: Buffer;
  /**
   * False when the signature segment has stray bits in its last character: another spelling of the same
   * bytes. The verifier refuses it as a bad signature, so that a token has one valid spelling only.
   */
  signatureCanonical: boolean;
}

/**
 * Well above any access token (Okta's are 1-2 KB, Latchkey's under 1 KB with few custom claims), and small
 * enough that decoding a hostile token costs little: longer strings are refused before any work.
 */
export const MAX_TOKEN_LENGTH = 16 * 1024;

// The base64url alphabet (RFC 4648 §5), without padding (RFC 7515 §2).
const SEGMENT = /^[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function malformed(description: string, cause?: unknown): InvalidTokenError {
  return new InvalidTokenError('malformed', cause === undefined ? { description } : { description, cause });
}

const NOT_COMPACT = 'The access token is not a compact JWS (a JWT).';

export function decodeCompactJws(token: unknown): DecodedJws {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw malformed(NOT_COMPACT);
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  // Exactly three segments (a five-segment JWE or a two-segment string is not a JWS).
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1) throw malformed(NOT_COMPACT);
  const encodedHeader = token.slice(0, first);
  const encodedPayload = token.slice(first + 1, second);
  const encodedSignature = token.slice(second + 1);
  if (
    canonical(encodedHeader) !== 'yes' ||
    canonical(encodedPayload) !== 'yes' ||
    canonical(encodedSignature) === 'no'
  ) {
    throw malformed(NOT_COMPACT);
  }
  const header = jsonObject(encodedHeader, 'header') as JoseHeader;
  const payload = jsonObject(encodedPayload, 'payload') as JWTPayload;
  return {
    header,
    payload,
    signingInput: Buffer.from(token.slice(0, second), 'latin1'),
    signature: Buffer.from(encodedSignature, 'base64url'),
    signatureCanonical: canonical(encodedSignature) === 'yes',
  };
}

/**
 * Strict base64url: 'no' outside its alphabet or for a length that leaves 6 stray bits (length % 4 === 1);
 * 'stray-bits' when the unused bits of the last character are not zero (RFC 4648 §3.5: another spelling
 * of the same bytes). Buffer's decoder silently accepts all of these.
 */
function canonical(segment: string): 'yes' | 'stray-bits' | 'no' {
  if (!SEGMENT.test(segment)) return 'no';
  const rest = segment.length % 4;
  if (rest === 0) return 'yes';
  if (rest === 1) return 'no';
  const last = ALPHABET.indexOf(segment.charAt(segment.length - 1));
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0 ? 'yes' : 'stray-bits';
}

function jsonObject(segment: string, part: 'header' | 'payload'): Record<string, unknown> {
  const bytes = Buffer.from(segment, 'base64url');
  // RFC 7515 §5.2 steps 3-4 and RFC 7519 §7.2 step 10: UTF-8 JSON; invalid UTF-8 is refused, not replaced.
  if (!isUtf8(bytes)) throw malformed(`The access token ${part} is not UTF-8.`);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw malformed(`The access token ${part} is not JSON.`, cause);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`The access token ${part} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}
