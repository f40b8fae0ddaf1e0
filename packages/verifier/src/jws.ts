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
  encodedHeader: string;
  /** The header's parse came from the HeaderCache passed in. */
  headerCached: boolean;
  header: JoseHeader;
  payload: JWTPayload;
  /**
   * ASCII(BASE64URL(header) '.' BASE64URL(payload)), what the signature covers (RFC 7515 §5.2 step 8).
   * `signingInput` and `signature` are views of a buffer that the next decode overwrites: use them before
   * then, or copy them (the verifier copies them before it waits for a key set).
   */
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

// The base64url alphabet (RFC 4648 §5).
const SEGMENT = /^[A-Za-z0-9_-]*$/;
/**
 * One buffer, reused by every decode, for the signing input, the payload and the signature: a warm
 * verification allocates no Buffer of its own (allocation and GC were a fifth of the decoding time).
 */
const scratch = Buffer.allocUnsafe(3 * MAX_TOKEN_LENGTH);
const INPUT_AT = 0;
const PAYLOAD_AT = MAX_TOKEN_LENGTH;
const SIGNATURE_AT = 2 * MAX_TOKEN_LENGTH;

export function malformed(description: string, cause?: unknown): InvalidTokenError {
  return new InvalidTokenError('malformed', cause === undefined ? { description } : { description, cause });
}

const NOT_COMPACT = 'The access token is not a compact JWS (a JWT).';

/**
 * Parsed headers by their encoded text. An issuer's tokens share a handful of headers (one per kid), so
 * the verifier keeps the ones that verified and skips decoding them again; the parse is a pure function
 * of the text, so a hit gives exactly what decoding would.
 */
export class HeaderCache {
  private readonly entries = new Map<string, JoseHeader>();

  constructor(private readonly capacity = 16) {}

  get(encoded: string): JoseHeader | undefined {
    return this.entries.get(encoded);
  }

  /** Called only for headers of tokens that verified, so forged headers cannot push real ones out. */
  remember(encoded: string, header: JoseHeader): void {
    if (this.entries.has(encoded)) return;
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(encoded, Object.freeze(header));
  }
}

export function decodeCompactJws(token: unknown, headers?: HeaderCache): DecodedJws {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw malformed(NOT_COMPACT);
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  // Exactly three segments (a five-segment JWE or a two-segment string is not a JWS).
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1)
    throw malformed(NOT_COMPACT);
  const encodedSignature = token.slice(second + 1);
  const signatureLength = decodeInto(encodedSignature, SIGNATURE_AT);
  const signatureCanonical = signatureLength >= 0;
  if (!signatureCanonical && !strayBitsOnly(encodedSignature)) throw malformed(NOT_COMPACT);
  const encodedHeader = token.slice(0, first);
  const cached = headers?.get(encodedHeader);
  const header = cached ?? (jsonObject(encodedHeader, 'header') as JoseHeader);
  const payload = jsonObject(token.slice(first + 1, second), 'payload') as JWTPayload;
  // Base64url is ASCII, so latin1 writes one byte per character.
  const inputLength = scratch.write(token, INPUT_AT, second, 'latin1');
  return {
    encodedHeader,
    headerCached: cached !== undefined,
    header,
    payload,
    signingInput: scratch.subarray(INPUT_AT, INPUT_AT + inputLength),
    signature: signatureCanonical
      ? scratch.subarray(SIGNATURE_AT, SIGNATURE_AT + signatureLength)
      : Buffer.alloc(0),
    signatureCanonical,
  };
}

/**
 * Decodes strict base64url (RFC 7515 §2: RFC 4648 §5 without padding) into the scratch buffer at `at`;
 * the length, or -1 unless encoding the bytes again gives the segment back. That refuses characters outside
 * the alphabet, padding, a length that leaves 6 stray bits and non-zero unused bits in the last character
 * (RFC 4648 §3.5), all of which Buffer's decoder skips or ignores, for less than a regular expression costs.
 */
function decodeInto(segment: string, at: number): number {
  const length = scratch.write(segment, at, MAX_TOKEN_LENGTH, 'base64url');
  return scratch.toString('base64url', at, at + length) === segment ? length : -1;
}

/** A signature segment in the alphabet whose only fault is non-zero unused bits in its last character. */
function strayBitsOnly(segment: string): boolean {
  return SEGMENT.test(segment) && segment.length % 4 !== 1;
}

function jsonObject(segment: string, part: 'header' | 'payload'): Record<string, unknown> {
  const length = decodeInto(segment, PAYLOAD_AT);
  if (length < 0) throw malformed(NOT_COMPACT);
  const text = scratch.toString('utf8', PAYLOAD_AT, PAYLOAD_AT + length);
  // RFC 8259 §8.1, RFC 7515 §5.2 step 4: UTF-8 JSON. toString replaces invalid sequences with U+FFFD, so
  // only a text containing one needs the strict check (a genuine U+FFFD passes it).
  if (text.includes('\uFFFD') && !isUtf8(scratch.subarray(PAYLOAD_AT, PAYLOAD_AT + length))) {
    throw malformed(`The access token ${part} is not UTF-8.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw malformed(`The access token ${part} is not JSON.`, cause);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`The access token ${part} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}
