// JWS compact serialization (RFC 7515 §7.1) taken apart; no verification here (id-token.ts does that).

import { IdTokenValidationError } from '../errors.ts';
import { decodeBase64Url, encodeAscii } from './base64url.ts';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
}

export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) malformed('it is not a signed JWT (three dot-separated parts).');
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const signature = decodeBase64Url(signaturePart);
  if (signature === undefined || signature.length === 0) malformed('it has no valid signature part.');
  return {
    header: decodeJson(headerPart, 'header'),
    claims: decodeJson(payloadPart, 'payload'),
    signingInput: encodeAscii(`${headerPart}.${payloadPart}`),
    signature,
  };
}

function decodeJson(part: string, name: string): Record<string, unknown> {
  const bytes = decodeBase64Url(part);
  try {
    const value: unknown = bytes === undefined ? undefined : JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  return malformed(`its ${name} is not base64url-encoded JSON.`);
}

function malformed(message: string): never {
  throw new IdTokenValidationError('malformed', message);
}
