// Random values from the platform CSPRNG (WebCrypto getRandomValues).

import { encodeBase64Url } from './base64url.ts';

/** `byteLength` random bytes as unpadded base64url: 32 bytes give 43 characters (256 bits). */
export function randomBase64Url(byteLength: number): string {
  const bytes = new Uint8Array(byteLength);
  crypto.getRandomValues(bytes);
  return encodeBase64Url(bytes);
}
