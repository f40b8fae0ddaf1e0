// Private signing keys are stored only as compact JWE (RFC 7516, `dir` + A256GCM) under a key derived
// from LATCHKEY_SECRET with HKDF (RFC 5869), so a database dump alone cannot sign tokens.

import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, type JWK } from 'jose';

function deriveKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'latchkey', 'signing-key-encryption/v1', 32));
}

export async function sealPrivateJwk(jwk: JWK, secret: string): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'jwk+json' })
    .encrypt(deriveKey(secret));
}

export async function unsealPrivateJwk(jwe: string, secret: string): Promise<JWK> {
  try {
    const { plaintext } = await compactDecrypt(jwe, deriveKey(secret));
    return JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
  } catch (error) {
    throw new Error(
      'Cannot decrypt a signing key: LATCHKEY_SECRET differs from the one the keys were created with.',
      { cause: error },
    );
  }
}
