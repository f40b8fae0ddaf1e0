// Signing-key lifecycle (OIDC Core §10.1.1; SECURITY-MATRIX rule 7, RL-09, RL-10; OKTA-COMPAT §1.3, §7.2):
// pure decisions from the key rows and `now`. A key is NEXT (published, never signs) for at least the
// pre-publication window P, then ACTIVE (signs), then RETIRED (published so the tokens it signed still
// verify) for R, then EXPIRED (unpublished, row kept). REVOKED is the emergency exit: unpublished at once.
// key-ring.ts applies these decisions; every write is conditional on the status planned from, so any
// number of instances can run the same plan at once.

import { SESSION_ABSOLUTE_SECONDS } from '../../accounts/sessions.ts';
import type { AuthorizationServerRow, SigningKeyRow, SigningKeyStatus } from '../../storage/store.ts';

/** `Cache-Control: max-age` of `/v1/keys`: how long a relying party may keep a key set. */
export const JWKS_MAX_AGE_SECONDS = 3600;
/** How long an instance trusts its cached view of the key table (a new key reaches every instance). */
export const KEY_CACHE_SECONDS = 5;

const HOUR = 3600;
const DAY = 24 * HOUR;

export interface RotationPolicy {
  /** P: how long a NEXT key is published before it may sign (rule 7: ≥ JWKS max-age + key cache). */
  prePublicationSeconds: number;
  /** How long a key signs before the scheduled rotation replaces it. */
  rotationPeriodSeconds: number;
  /**
   * How long an ID token must still verify as an `id_token_hint` after it was issued. Hints are accepted
   * after `exp` (OKTA-COMPAT §1.7) and matter while the SSO session they name can exist.
   */
  logoutHintSeconds: number;
  /** Added to R for clock skew at relying parties and instances still signing from their key cache. */
  retirementMarginSeconds: number;
}

export const DEFAULT_ROTATION_POLICY: Readonly<RotationPolicy> = Object.freeze({
  // OKTA-COMPAT §1.3: clients cache keys up to 24 h, so a next key is published 24 h before use.
  prePublicationSeconds: 24 * HOUR,
  // Okta rotates about four times a year.
  rotationPeriodSeconds: 90 * DAY,
  logoutHintSeconds: SESSION_ABSOLUTE_SECONDS,
  // Relying parties allow ±300 to ±600 s of clock skew (OKTA-COMPAT §6).
  retirementMarginSeconds: 600,
});

/** Refuses a policy that would sign with a key some instance or relying party has not seen yet. */
export function checkRotationPolicy(policy: RotationPolicy): RotationPolicy {
  const minimum = JWKS_MAX_AGE_SECONDS + KEY_CACHE_SECONDS;
  // SECURITY-MATRIX rule 7: published on every instance for at least the JWKS max-age before it signs.
  if (!(policy.prePublicationSeconds >= minimum)) {
    throw new Error(`prePublicationSeconds must be at least ${minimum} (JWKS max-age + key cache).`);
  }
  if (!(policy.rotationPeriodSeconds > policy.prePublicationSeconds)) {
    throw new Error('rotationPeriodSeconds must be longer than prePublicationSeconds.');
  }
  if (!(policy.logoutHintSeconds >= 0 && policy.retirementMarginSeconds >= KEY_CACHE_SECONDS)) {
    throw new Error(`logoutHintSeconds must be ≥ 0 and retirementMarginSeconds ≥ ${KEY_CACHE_SECONDS}.`);
  }
  return policy;
}

export type TokenLifetimes = Pick<
  AuthorizationServerRow,
  'accessTokenLifetimeSeconds' | 'idTokenLifetimeSeconds'
>;

/** R: how long a retired key stays published (rule 7: the longest token or logout-hint lifetime). */
export function retentionSeconds(server: TokenLifetimes, policy: RotationPolicy): number {
  return (
    Math.max(server.accessTokenLifetimeSeconds, server.idTokenLifetimeSeconds, policy.logoutHintSeconds) +
    policy.retirementMarginSeconds
  );
}

const PUBLISHED: ReadonlySet<SigningKeyStatus> = new Set(['NEXT', 'ACTIVE', 'RETIRED']);

/** What `/v1/keys` lists: next, active and retired keys (OKTA-COMPAT §1.3); never EXPIRED or REVOKED. */
export function publishedKeys(rows: readonly SigningKeyRow[]): SigningKeyRow[] {
  return rows.filter((row) => PUBLISHED.has(row.status));
}

/** The key that signs: the most recently activated ACTIVE key (ties by kid, so every instance agrees). */
export function signingKeyRow(rows: readonly SigningKeyRow[]): SigningKeyRow | undefined {
  return rows
    .filter((row) => row.status === 'ACTIVE')
    .sort((a, b) => (b.activatedAt ?? b.createdAt) - (a.activatedAt ?? a.createdAt) || compareKid(b, a))[0];
}

/**
 * The NEXT key that will be promoted: the longest published one, which relying parties most likely hold.
 * Two instances may each stage one at the same moment; the others are unpublished by the plan.
 */
export function nextKeyRow(rows: readonly SigningKeyRow[]): SigningKeyRow | undefined {
  return rows
    .filter((row) => row.status === 'NEXT')
    .sort((a, b) => a.createdAt - b.createdAt || compareKid(a, b))[0];
}

export type RotationStep =
  /** No ACTIVE key and no NEXT one: signing must go on, so a fresh key signs at once. */
  | { kind: 'create-active' }
  /** Stage a key: published now, signs no earlier than P from now. */
  | { kind: 'create-next' }
  /** NEXT → ACTIVE, and in the same transaction the `retire` keys ACTIVE → RETIRED. */
  | { kind: 'promote'; kid: string; retire: string[] }
  /** ACTIVE → RETIRED: a second ACTIVE key left by a race; the newest one keeps signing. */
  | { kind: 'retire'; kid: string }
  /** Unpublish: a RETIRED key after R, or a duplicate NEXT key that never signed anything. */
  | { kind: 'expire'; kid: string; from: 'RETIRED' | 'NEXT' };

/** Everything due for one server's keys at `now`, in the order to apply it. */
export function planRotation(
  rows: readonly SigningKeyRow[],
  server: TokenLifetimes,
  now: number,
  policy: RotationPolicy = DEFAULT_ROTATION_POLICY,
): RotationStep[] {
  const steps: RotationStep[] = [];
  const next = nextKeyRow(rows);
  for (const row of rows) {
    if (row.status === 'NEXT' && row.kid !== next?.kid) {
      steps.push({ kind: 'expire', kid: row.kid, from: 'NEXT' });
    }
  }
  const active = signingKeyRow(rows);
  const otherActive = rows.filter((row) => row.status === 'ACTIVE' && row.kid !== active?.kid);
  if (active === undefined) {
    // After an emergency revocation the next key signs at once, even before P has passed: relying
    // parties fetch an unknown kid on demand, and a pause in signing is an outage.
    steps.push(
      next === undefined ? { kind: 'create-active' } : { kind: 'promote', kid: next.kid, retire: [] },
    );
  } else if (next !== undefined && now - next.createdAt >= policy.prePublicationSeconds) {
    steps.push({
      kind: 'promote',
      kid: next.kid,
      retire: [active.kid, ...otherActive.map((row) => row.kid)],
    });
  } else {
    for (const row of otherActive) steps.push({ kind: 'retire', kid: row.kid });
    const signingSince = active.activatedAt ?? active.createdAt;
    if (
      next === undefined &&
      now - signingSince >= policy.rotationPeriodSeconds - policy.prePublicationSeconds
    ) {
      steps.push({ kind: 'create-next' });
    }
  }
  const retention = retentionSeconds(server, policy);
  for (const row of rows) {
    if (row.status === 'RETIRED' && row.retiredAt !== null && now - row.retiredAt >= retention) {
      steps.push({ kind: 'expire', kid: row.kid, from: 'RETIRED' });
    }
  }
  return steps;
}

export interface RotationTimes {
  /** Okta's `rotationMode`: the schedule always runs. */
  rotationMode: 'AUTO';
  /** Okta's `lastRotated`: when the signing key became ACTIVE. */
  lastRotated: number | undefined;
  /** Okta's `nextRotation`: when the next key is due to start signing (the schedule runs every minute). */
  nextRotation: number | undefined;
}

export function rotationTimes(
  rows: readonly SigningKeyRow[],
  policy: RotationPolicy = DEFAULT_ROTATION_POLICY,
): RotationTimes {
  const active = signingKeyRow(rows);
  const next = nextKeyRow(rows);
  const lastRotated = active === undefined ? undefined : (active.activatedAt ?? active.createdAt);
  const nextRotation =
    next !== undefined
      ? next.createdAt + policy.prePublicationSeconds
      : lastRotated === undefined
        ? undefined
        : lastRotated + policy.rotationPeriodSeconds;
  return { rotationMode: 'AUTO', lastRotated, nextRotation };
}

function compareKid(a: SigningKeyRow, b: SigningKeyRow): number {
  return a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0;
}
