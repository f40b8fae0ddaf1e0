// Signing keys per authorization server (OIDC Core §10.1.1; SECURITY-MATRIX rule 7). Every instance reads
// keys from the database; this cache only saves round trips and lets /keys answer from memory when the
// database is down (rule 4).

import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Clock } from '../../deps.ts';
import type { SigningKeyRow, Store } from '../../storage/store.ts';
import { sealPrivateJwk, unsealPrivateJwk } from './key-sealing.ts';

export interface SigningKey {
  kid: string;
  alg: 'RS256';
  privateKey: CryptoKey;
}

export interface JsonWebKeySet {
  keys: JWK[];
}

interface CachedKeys {
  loadedAt: number;
  rows: SigningKeyRow[];
  signing: SigningKey | undefined;
}

/** How long an instance trusts its cached view of the key table. */
export const KEY_CACHE_SECONDS = 5;

export class KeyRing {
  private readonly cache = new Map<string, CachedKeys>();

  constructor(private readonly deps: { store: Store; clock: Clock; secret: string }) {}

  /** Creates an ACTIVE RS256 key for a server that has none (first start, new server). */
  async ensureSigningKey(serverId: string): Promise<void> {
    const rows = await this.deps.store.signingKeys.listForServer(serverId);
    if (rows.some((row) => row.status === 'ACTIVE')) return;
    const now = this.deps.clock.now();
    await this.deps.store.signingKeys.create({
      ...(await this.generate(serverId, now)),
      status: 'ACTIVE',
      activatedAt: now,
    });
    this.cache.delete(serverId);
  }

  /** Generates a 2048-bit RSA key (JW-06); the private half is sealed before it reaches the store. */
  async generate(serverId: string, now: number): Promise<Omit<SigningKeyRow, 'status' | 'activatedAt'>> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await exportJWK(privateKey);
    return {
      kid,
      serverId,
      alg: 'RS256',
      publicJwk: JSON.stringify({ ...publicJwk, kid, alg: 'RS256', use: 'sig' }),
      privateJwe: await sealPrivateJwk({ ...privateJwk, kid, alg: 'RS256' }, this.deps.secret),
      createdAt: now,
      retiredAt: null,
    };
  }

  async signingKey(serverId: string): Promise<SigningKey> {
    const cached = await this.load(serverId);
    if (cached.signing === undefined) {
      throw new Error(`Authorization server ${serverId} has no active signing key.`);
    }
    return cached.signing;
  }

  /** The published set: next, active and retired keys, public members only (OKTA-COMPAT §1.3). */
  async jwks(serverId: string): Promise<JsonWebKeySet> {
    const { rows } = await this.load(serverId);
    return {
      keys: rows
        .filter((row) => row.status !== 'REVOKED')
        .map((row) => {
          const { kty, n, e, kid, alg, use } = JSON.parse(row.publicJwk) as JWK;
          return { kty, alg, kid, use, e, n } as JWK;
        }),
    };
  }

  /** Drops the cached view so the next call reads the database (after a rotation on this instance). */
  forget(serverId: string): void {
    this.cache.delete(serverId);
  }

  private async load(serverId: string): Promise<CachedKeys> {
    const now = this.deps.clock.now();
    const cached = this.cache.get(serverId);
    if (cached !== undefined && now - cached.loadedAt < KEY_CACHE_SECONDS) return cached;
    let rows: SigningKeyRow[];
    try {
      rows = await this.deps.store.signingKeys.listForServer(serverId);
    } catch (error) {
      // Rule 4: keys are served from memory while the database is unreachable.
      if (cached !== undefined) return cached;
      throw error;
    }
    const active = rows
      .filter((row) => row.status === 'ACTIVE')
      .sort((a, b) => (b.activatedAt ?? 0) - (a.activatedAt ?? 0))[0];
    const signing =
      active === undefined
        ? undefined
        : active.kid === cached?.signing?.kid
          ? cached.signing
          : await this.unseal(active);
    const fresh = { loadedAt: now, rows, signing };
    this.cache.set(serverId, fresh);
    return fresh;
  }

  private async unseal(row: SigningKeyRow): Promise<SigningKey> {
    const jwk = await unsealPrivateJwk(row.privateJwe, this.deps.secret);
    const privateKey = (await importJWK(jwk, 'RS256')) as CryptoKey;
    return { kid: row.kid, alg: 'RS256', privateKey };
  }
}
