// Signing keys per authorization server (OIDC Core §10.1.1; SECURITY-MATRIX rule 7). Every instance reads
// keys from the database; this cache only saves round trips and lets /keys answer from memory when the
// database is down (rule 4).

import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Clock } from '../../deps.ts';
import { freshOr } from '../../services/patience.ts';
import type { SigningKeyRow, SigningKeyStatus, Store } from '../../storage/store.ts';
import { sealPrivateJwk, unsealPrivateJwk } from './key-sealing.ts';
import {
  DEFAULT_ROTATION_POLICY,
  KEY_CACHE_SECONDS,
  nextKeyRow,
  planRotation,
  publishedKeys,
  type RotationPolicy,
  type RotationStep,
  signingKeyRow,
  type TokenLifetimes,
} from './rotation.ts';

export { KEY_CACHE_SECONDS };

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

export interface RevokedKey {
  revoked: SigningKeyRow;
  /** False when the key was already REVOKED (nothing changed). */
  changed: boolean;
  /** The key that signs from now on, when the revoked key was the signing key. */
  replacement: SigningKeyRow | undefined;
}

export class KeyRing {
  private readonly cache = new Map<string, CachedKeys>();
  private readonly reloading = new Map<string, Promise<CachedKeys>>();

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
    const { rows } = await this.loadPatiently(serverId);
    return {
      keys: publishedKeys(rows).map((row) => {
        const { kty, n, e, kid, alg, use } = JSON.parse(row.publicJwk) as JWK;
        return { kty, alg, kid, use, e, n } as JWK;
      }),
    };
  }

  /** Drops the cached view so the next call reads the database (after a rotation on this instance). */
  forget(serverId: string): void {
    this.cache.delete(serverId);
  }

  /**
   * Applies what `planRotation` says is due for one server (the schedule calls this every minute on every
   * instance). Each write is conditional on the status it was planned from, so concurrent runs converge.
   * Returns the steps this call carried out.
   */
  async rotate(
    server: TokenLifetimes & { id: string },
    policy: RotationPolicy = DEFAULT_ROTATION_POLICY,
  ): Promise<RotationStep[]> {
    const now = this.deps.clock.now();
    const rows = await this.deps.store.signingKeys.listForServer(server.id);
    const applied: RotationStep[] = [];
    for (const step of planRotation(rows, server, now, policy)) {
      if (await this.apply(server.id, step, now)) applied.push(step);
    }
    if (applied.length > 0) this.forget(server.id);
    return applied;
  }

  /** `latchkey keys rotate`: stages a NEXT key unless one is staged already; it signs after P. */
  async stageNextKey(serverId: string): Promise<{ key: SigningKeyRow; created: boolean }> {
    const existing = nextKeyRow(await this.deps.store.signingKeys.listForServer(serverId));
    if (existing !== undefined) return { key: existing, created: false };
    const now = this.deps.clock.now();
    const key: SigningKeyRow = { ...(await this.generate(serverId, now)), status: 'NEXT', activatedAt: null };
    await this.deps.store.signingKeys.create(key);
    this.forget(serverId);
    // Another instance may have staged one at the same moment; the older one is the one that will sign.
    const winner = nextKeyRow(await this.deps.store.signingKeys.listForServer(serverId)) ?? key;
    return { key: winner, created: winner.kid === key.kid };
  }

  /**
   * The emergency path (RL-10): REVOKED at once, so no instance publishes or signs with it after its key
   * cache (KEY_CACHE_SECONDS) expires; this instance forgets at once. When it was the signing key, the
   * NEXT key (or a fresh one) signs from now on. Undefined when the server has no such key.
   */
  async revoke(serverId: string, kid: string): Promise<RevokedKey | undefined> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const rows = await this.deps.store.signingKeys.listForServer(serverId);
      const row = rows.find((candidate) => candidate.kid === kid);
      if (row === undefined) return undefined;
      if (row.status === 'REVOKED') return { revoked: row, changed: false, replacement: undefined };
      // Conditional, so a rotation running meanwhile can never republish the key (RETIRED over REVOKED).
      if (!(await this.deps.store.signingKeys.update(kid, { status: 'REVOKED' }, { ifStatus: row.status }))) {
        continue;
      }
      this.forget(serverId);
      const remaining = rows.filter((candidate) => candidate.kid !== kid);
      const replacement =
        row.status === 'ACTIVE' && signingKeyRow(remaining) === undefined
          ? await this.replaceSigningKey(serverId, remaining)
          : undefined;
      return { revoked: { ...row, status: 'REVOKED' }, changed: true, replacement };
    }
    throw new Error(`Signing key ${kid} kept changing while it was being revoked; try again.`);
  }

  /**
   * Rule 4 (RL-05): /keys waits for the database at most MEMORY_PATIENCE_MS when it has a view to fall back on;
   * the reload goes on in the background (one at a time) and refreshes the cache when it completes.
   */
  private loadPatiently(serverId: string): Promise<CachedKeys> {
    const cached = this.cache.get(serverId);
    if (cached === undefined || this.deps.clock.now() - cached.loadedAt < KEY_CACHE_SECONDS) {
      return this.load(serverId);
    }
    let reloading = this.reloading.get(serverId);
    if (reloading === undefined) {
      reloading = this.load(serverId).finally(() => this.reloading.delete(serverId));
      this.reloading.set(serverId, reloading);
    }
    return freshOr(reloading, () => this.cache.get(serverId) ?? cached);
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
    const active = signingKeyRow(rows);
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

  private async apply(serverId: string, step: RotationStep, now: number): Promise<boolean> {
    const keys = this.deps.store.signingKeys;
    const move = (kid: string, from: SigningKeyStatus, patch: Parameters<typeof keys.update>[1]) =>
      keys.update(kid, patch, { ifStatus: from });
    switch (step.kind) {
      case 'create-active':
        await keys.create({ ...(await this.generate(serverId, now)), status: 'ACTIVE', activatedAt: now });
        return true;
      case 'create-next':
        await keys.create({ ...(await this.generate(serverId, now)), status: 'NEXT', activatedAt: null });
        return true;
      case 'promote':
        // One transaction: the old key retires only if this call promoted the new one, so there is
        // always an ACTIVE key, and a key revoked meanwhile is never promoted.
        return this.deps.store.transaction(async (tx) => {
          const txKeys = tx.signingKeys;
          if (
            !(await txKeys.update(step.kid, { status: 'ACTIVE', activatedAt: now }, { ifStatus: 'NEXT' }))
          ) {
            return false;
          }
          for (const kid of step.retire) {
            await txKeys.update(kid, { status: 'RETIRED', retiredAt: now }, { ifStatus: 'ACTIVE' });
          }
          return true;
        });
      case 'retire':
        return move(step.kid, 'ACTIVE', { status: 'RETIRED', retiredAt: now });
      case 'expire':
        return move(step.kid, step.from, { status: 'EXPIRED' });
    }
  }

  /** After revoking the signing key: the staged NEXT key signs at once, or else a fresh key. */
  private async replaceSigningKey(serverId: string, rows: SigningKeyRow[]): Promise<SigningKeyRow> {
    const now = this.deps.clock.now();
    const next = nextKeyRow(rows);
    if (
      next !== undefined &&
      (await this.apply(serverId, { kind: 'promote', kid: next.kid, retire: [] }, now))
    ) {
      this.forget(serverId);
      return { ...next, status: 'ACTIVE', activatedAt: now };
    }
    // A rotation running at the same moment may have promoted a key already: that one signs.
    const promoted = signingKeyRow(await this.deps.store.signingKeys.listForServer(serverId));
    if (promoted !== undefined) return promoted;
    const fresh: SigningKeyRow = {
      ...(await this.generate(serverId, now)),
      status: 'ACTIVE',
      activatedAt: now,
    };
    await this.deps.store.signingKeys.create(fresh);
    this.forget(serverId);
    return fresh;
  }

  private async unseal(row: SigningKeyRow): Promise<SigningKey> {
    const jwk = await unsealPrivateJwk(row.privateJwe, this.deps.secret);
    const privateKey = (await importJWK(jwk, 'RS256')) as CryptoKey;
    return { kid: row.kid, alg: 'RS256', privateKey };
  }
}
