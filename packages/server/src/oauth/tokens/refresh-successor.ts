// SECURITY-MATRIX rule 3: the successor of a rotated refresh token is kept only sealed under a key derived
// from the previous raw token (HKDF, RFC 5869; compact JWE `dir` + A256GCM, RFC 7516). The database holds
// the previous token's SHA-256 only (AC-06), from which the key cannot be derived, so only a holder of the
// previous token can recover its successor during the grace period.

import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

function deriveKey(previousToken: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', previousToken, 'latchkey', 'refresh-token-successor/v1', 32));
}

export async function sealSuccessor(successor: string, previousToken: string): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(successor))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .encrypt(deriveKey(previousToken));
}

/** The successor, or undefined when `sealed` was not made with this previous token. */
export async function unsealSuccessor(sealed: string, previousToken: string): Promise<string | undefined> {
  try {
    const { plaintext } = await compactDecrypt(sealed, deriveKey(previousToken), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    return new TextDecoder().decode(plaintext);
  } catch {
    return undefined;
  }
}
