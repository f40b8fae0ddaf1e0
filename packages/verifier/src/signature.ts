// The JWS signature check with node:crypto directly (RFC 7515 §5.2 step 8; RFC 7518 §3): the public keys of
// a JWK Set snapshot are imported once per (kid, alg) as KeyObjects and kept with the snapshot, and each
// token costs one synchronous `crypto.verify`. (jose's compactVerify goes through WebCrypto, whose verify
// runs on the thread pool: a third of the throughput on one core, issue 8.)

import { constants, createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { JWK } from 'jose';
import { InvalidTokenError } from './errors.ts';
import type { KeySetSnapshot } from './jwks-cache.ts';

interface Algorithm {
  kty: 'RSA' | 'EC' | 'OKP';
  /** The digest passed to crypto.verify (null for EdDSA, which hashes by itself). */
  hash: string | null;
  /** Allowed `crv` values for EC and OKP keys. */
  curves?: readonly string[];
  pss?: true;
}

// RFC 7518 §3.1 and RFC 8037 §3.1 (EdDSA), RFC 9864 (Ed25519).
const ALGORITHMS: Record<string, Algorithm> = {
  RS256: { kty: 'RSA', hash: 'sha256' },
  RS384: { kty: 'RSA', hash: 'sha384' },
  RS512: { kty: 'RSA', hash: 'sha512' },
  PS256: { kty: 'RSA', hash: 'sha256', pss: true },
  PS384: { kty: 'RSA', hash: 'sha384', pss: true },
  PS512: { kty: 'RSA', hash: 'sha512', pss: true },
  ES256: { kty: 'EC', hash: 'sha256', curves: ['P-256'] },
  ES384: { kty: 'EC', hash: 'sha384', curves: ['P-384'] },
  ES512: { kty: 'EC', hash: 'sha512', curves: ['P-521'] },
  EdDSA: { kty: 'OKP', hash: null, curves: ['Ed25519', 'Ed448'] },
  Ed25519: { kty: 'OKP', hash: null, curves: ['Ed25519'] },
};

/** RFC 7518 §3.3 and §3.5: RSA keys of at least 2048 bits. */
const MIN_RSA_BITS = 2048;

/**
 * The KeyObjects imported from one JWK Set snapshot, by alg then kid. A new snapshot (a refetch) starts an
 * empty cache, so rotated-out keys are dropped with the snapshot that published them.
 */
export class KeyObjectCache {
  private snapshot: KeySetSnapshot | undefined;
  private byAlg = new Map<string, Map<string, KeyObject[]>>();

  /**
   * Checks `signature` over `signingInput` with the snapshot's key(s) for `kid` usable with `alg`; throws
   * InvalidTokenError 'bad_signature', or 'unknown_kid' when the kid is published but not as such a key.
   */
  verify(snapshot: KeySetSnapshot, kid: string, alg: string, signingInput: Buffer, signature: Buffer): void {
    const algorithm = ALGORITHMS[alg];
    if (algorithm === undefined) throw new InvalidTokenError('wrong_algorithm');
    const keys = this.keysFor(snapshot, kid, alg, algorithm);
    // Two published keys may share a kid (during a careless rotation): either may have signed.
    for (const key of keys) {
      if (verifyWith(algorithm, key, signingInput, signature)) return;
    }
    throw new InvalidTokenError('bad_signature');
  }

  private keysFor(snapshot: KeySetSnapshot, kid: string, alg: string, algorithm: Algorithm): KeyObject[] {
    if (snapshot !== this.snapshot) {
      this.snapshot = snapshot;
      this.byAlg = new Map();
    }
    let byKid = this.byAlg.get(alg);
    if (byKid === undefined) {
      byKid = new Map();
      this.byAlg.set(alg, byKid);
    }
    let keys = byKid.get(kid);
    if (keys === undefined) {
      keys = importKeys(snapshot.jwks.keys, kid, alg, algorithm);
      // Only kids the snapshot publishes get here (JwksCache checks), so the map is as small as the set.
      byKid.set(kid, keys);
    }
    if (keys.length === 0) {
      throw new InvalidTokenError('unknown_kid', {
        cause: `no key with kid ${JSON.stringify(kid.slice(0, 64))} can verify ${alg}`,
      });
    }
    return keys;
  }
}

function verifyWith(algorithm: Algorithm, key: KeyObject, input: Buffer, signature: Buffer): boolean {
  try {
    if (algorithm.kty === 'RSA' && algorithm.pss === undefined) {
      return verify(algorithm.hash, input, key, signature);
    }
    return verify(
      algorithm.hash,
      input,
      algorithm.pss
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
        : // RFC 7518 §3.4: ECDSA signatures are R || S, not DER.
          { key, dsaEncoding: 'ieee-p1363' },
      signature,
    );
  } catch {
    // OpenSSL refuses some malformed signatures by throwing rather than returning false.
    return false;
  }
}

/** The keys jose's createLocalJWKSet would select (RFC 7517 §4.2-4.4: `use`, `key_ops`, `alg`). */
function importKeys(jwks: readonly JWK[], kid: string, alg: string, algorithm: Algorithm): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const jwk of jwks) {
    if (jwk.kid !== kid || jwk.kty !== algorithm.kty) continue;
    if (typeof jwk.alg === 'string' && jwk.alg !== alg) continue;
    if (typeof jwk.use === 'string' && jwk.use !== 'sig') continue;
    if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) continue;
    if (algorithm.curves !== undefined && !algorithm.curves.includes(String(jwk.crv))) continue;
    let key: KeyObject;
    try {
      // Public members only: a published private member must not turn this into a private key.
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, k: _k, ...publicJwk } = jwk;
      key = createPublicKey({ key: publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    } catch {
      continue; // Not a usable key (bad modulus, unknown curve): as if not published for this alg.
    }
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (algorithm.kty === 'RSA' && (bits === undefined || bits < MIN_RSA_BITS)) continue;
    keys.push(key);
  }
  return keys;
}
