// The signing-key lifecycle decisions of oauth/keys/rotation.ts (SECURITY-MATRIX rule 7, RL-09, RL-10,
// JW-06; OKTA-COMPAT §1.3): table-driven boundaries, then a property over arbitrary schedule gaps and
// instances running the schedule at once.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  checkRotationPolicy,
  DEFAULT_ROTATION_POLICY,
  JWKS_MAX_AGE_SECONDS,
  KEY_CACHE_SECONDS,
  planRotation,
  publishedKeys,
  type RotationPolicy,
  type RotationStep,
  retentionSeconds,
  rotationTimes,
  signingKeyRow,
} from '../../src/oauth/keys/rotation.ts';
import type { SigningKeyRow, SigningKeyStatus } from '../../src/storage/store.ts';

const DAY = 86_400;
const T0 = 1_800_000_000;
const SERVER = { accessTokenLifetimeSeconds: 3600, idTokenLifetimeSeconds: 3600 };
const P = DEFAULT_ROTATION_POLICY.prePublicationSeconds;
const PERIOD = DEFAULT_ROTATION_POLICY.rotationPeriodSeconds;
const R = retentionSeconds(SERVER, DEFAULT_ROTATION_POLICY);

function key(kid: string, status: SigningKeyStatus, times: Partial<SigningKeyRow> = {}): SigningKeyRow {
  return {
    kid,
    serverId: 'default',
    alg: 'RS256',
    publicJwk: '{}',
    privateJwe: 'a.b.c.d.e',
    status,
    createdAt: T0,
    activatedAt: status === 'NEXT' ? null : T0,
    retiredAt: null,
    ...times,
  };
}

describe('rotation policy and retention', () => {
  it('RL-09 the defaults: P = 24 h ≥ JWKS max-age + key cache, a 90-day period, R = 24 h + 10 min', () => {
    assert.equal(checkRotationPolicy({ ...DEFAULT_ROTATION_POLICY }).prePublicationSeconds, DAY);
    assert.ok(P >= JWKS_MAX_AGE_SECONDS + KEY_CACHE_SECONDS);
    assert.equal(PERIOD, 90 * DAY);
    assert.equal(R, DAY + 600);
  });

  for (const [label, patch, message] of [
    ['P shorter than the JWKS max-age', { prePublicationSeconds: JWKS_MAX_AGE_SECONDS }, /prePublication/],
    ['a period no longer than P', { rotationPeriodSeconds: DAY }, /rotationPeriodSeconds/],
    ['a margin below the key cache', { retirementMarginSeconds: 0 }, /retirementMarginSeconds/],
    ['NaN', { prePublicationSeconds: Number.NaN }, /prePublication/],
  ] as const) {
    it(`RL-09 refuses ${label} (rule 7)`, () => {
      assert.throws(() => checkRotationPolicy({ ...DEFAULT_ROTATION_POLICY, ...patch }), message);
    });
  }

  it('RL-09 R covers the longest token lifetime or the logout-hint window, whichever is longer', () => {
    const long = { accessTokenLifetimeSeconds: 2 * DAY, idTokenLifetimeSeconds: 3600 };
    assert.equal(retentionSeconds(long, DEFAULT_ROTATION_POLICY), 2 * DAY + 600);
  });
});

describe('publishing and signing', () => {
  for (const [status, published] of [
    ['NEXT', true],
    ['ACTIVE', true],
    ['RETIRED', true],
    ['EXPIRED', false],
    ['REVOKED', false],
  ] as const) {
    it(`RL-09 RL-10 a key in status ${status} is ${published ? '' : 'not '}in /v1/keys`, () => {
      assert.equal(publishedKeys([key('k', status)]).length, published ? 1 : 0);
    });
  }

  it('RL-09 only an ACTIVE key signs: the most recently activated, ties broken by kid', () => {
    assert.equal(signingKeyRow([key('n', 'NEXT'), key('r', 'RETIRED')]), undefined);
    const rows = [key('a', 'ACTIVE'), key('c', 'ACTIVE', { activatedAt: T0 + 1 }), key('b', 'ACTIVE')];
    assert.equal(signingKeyRow(rows)?.kid, 'c');
    assert.equal(signingKeyRow([key('a', 'ACTIVE'), key('b', 'ACTIVE')])?.kid, 'b');
  });
});

describe('planRotation', () => {
  const active = key('k1', 'ACTIVE');
  const next = key('k2', 'NEXT', { createdAt: T0 + PERIOD - P });
  const retired = key('k0', 'RETIRED', { retiredAt: T0 });
  const cases: [string, SigningKeyRow[], number, RotationStep[]][] = [
    ['nothing is due for a young key', [active], T0 + PERIOD - P - 1, []],
    ['stages the next key P before the period ends', [active], T0 + PERIOD - P, [{ kind: 'create-next' }]],
    ['keeps the next key unused until it has been published for P', [active, next], T0 + PERIOD - 1, []],
    [
      'promotes the next key after P and retires the old one in the same step',
      [active, next],
      T0 + PERIOD,
      [{ kind: 'promote', kid: 'k2', retire: ['k1'] }],
    ],
    ['keeps a retired key published until R has passed', [active, retired], T0 + R - 1, []],
    [
      'unpublishes a retired key after R',
      [active, retired],
      T0 + R,
      [{ kind: 'expire', kid: 'k0', from: 'RETIRED' }],
    ],
    [
      'RL-10 with no ACTIVE key the next key signs at once, before P (emergency)',
      [key('k1', 'REVOKED'), key('k2', 'NEXT', { createdAt: T0 })],
      T0 + 60,
      [{ kind: 'promote', kid: 'k2', retire: [] }],
    ],
    [
      'RL-10 with no ACTIVE and no NEXT key a fresh key signs at once',
      [key('k1', 'REVOKED')],
      T0,
      [{ kind: 'create-active' }],
    ],
    [
      'unpublishes the younger of two NEXT keys staged at once by two instances',
      [active, key('n2', 'NEXT', { createdAt: T0 + 5 }), key('n1', 'NEXT', { createdAt: T0 + 5 })],
      T0 + 10,
      [{ kind: 'expire', kid: 'n2', from: 'NEXT' }],
    ],
    [
      'retires an older second ACTIVE key left by a race; the newest keeps signing',
      [active, key('k9', 'ACTIVE', { activatedAt: T0 + 1 })],
      T0 + 10,
      [{ kind: 'retire', kid: 'k1' }],
    ],
    [
      'never republishes or promotes REVOKED and EXPIRED keys',
      [active, key('x', 'REVOKED'), key('y', 'EXPIRED')],
      T0 + 10,
      [],
    ],
  ];
  for (const [label, rows, now, expected] of cases) {
    it(`RL-09 ${label}`, () => assert.deepEqual(planRotation(rows, SERVER, now), expected));
  }

  it('RL-09 a shorter policy (as tests pass it) moves every boundary', () => {
    const policy: RotationPolicy = {
      prePublicationSeconds: 2 * 3600,
      rotationPeriodSeconds: DAY,
      logoutHintSeconds: 0,
      retirementMarginSeconds: 60,
    };
    assert.deepEqual(planRotation([active], SERVER, T0 + DAY - 2 * 3600, policy), [{ kind: 'create-next' }]);
    assert.deepEqual(planRotation([active, retired], SERVER, T0 + 3600 + 60, policy), [
      { kind: 'expire', kid: 'k0', from: 'RETIRED' },
    ]);
  });

  it("rotationTimes gives Okta's lastRotated and nextRotation", () => {
    assert.deepEqual(rotationTimes([active]), {
      rotationMode: 'AUTO',
      lastRotated: T0,
      nextRotation: T0 + PERIOD,
    });
    assert.equal(rotationTimes([active, next]).nextRotation, T0 + PERIOD);
  });
});

/** What key-ring.ts does with a step, in memory: every status change is conditional on `from`. */
function apply(
  rows: SigningKeyRow[],
  step: RotationStep,
  now: number,
  newKid: () => string,
): SigningKeyRow[] {
  const move = (kid: string, from: SigningKeyStatus, patch: Partial<SigningKeyRow>): boolean => {
    const row = rows.find((candidate) => candidate.kid === kid && candidate.status === from);
    if (row !== undefined) Object.assign(row, patch);
    return row !== undefined;
  };
  switch (step.kind) {
    case 'create-active':
      return [...rows, key(newKid(), 'ACTIVE', { createdAt: now, activatedAt: now })];
    case 'create-next':
      return [...rows, key(newKid(), 'NEXT', { createdAt: now })];
    case 'promote':
      if (move(step.kid, 'NEXT', { status: 'ACTIVE', activatedAt: now })) {
        for (const kid of step.retire) move(kid, 'ACTIVE', { status: 'RETIRED', retiredAt: now });
      }
      return rows;
    case 'retire':
      move(step.kid, 'ACTIVE', { status: 'RETIRED', retiredAt: now });
      return rows;
    case 'expire':
      move(step.kid, step.from, { status: 'EXPIRED' });
      return rows;
  }
}

describe('the schedule over time', () => {
  it('RL-09 for any gaps between runs and 1-3 instances planning from the same read: a key signs only after P in /v1/keys, stays published while its tokens or hints are valid, and keys rotate on time', () => {
    const lifetime = R - DEFAULT_ROTATION_POLICY.retirementMarginSeconds;
    const run = fc.record({
      gap: fc.integer({ min: 1, max: 2 * DAY }),
      instances: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(run, { minLength: 100, maxLength: 400 }), (runs) => {
        let counter = 0;
        let rows = [key('k0', 'ACTIVE')];
        let now = T0;
        const lastSigned = new Map<string, number>();
        const maxGap = Math.max(...runs.map((r) => r.gap));
        for (const { gap, instances } of runs) {
          now += gap;
          // The key that was signing kept signing until this run.
          lastSigned.set(signingKeyRow(rows)?.kid ?? '', now);
          const plans = Array.from({ length: instances }, () => planRotation(rows, SERVER, now));
          for (const plan of plans)
            for (const step of plan) rows = apply(rows, step, now, () => `k${++counter}`);
          const signer = signingKeyRow(rows);
          assert.ok(signer !== undefined, 'some key signs');
          if (signer.kid !== 'k0') assert.ok(now - signer.createdAt >= P, 'published for P before signing');
          assert.ok(now - (signer.activatedAt ?? 0) <= PERIOD + 2 * maxGap, 'rotated on schedule');
          const published = new Set(publishedKeys(rows).map((row) => row.kid));
          for (const [kid, at] of lastSigned) {
            if (at + lifetime > now)
              assert.ok(published.has(kid), `${kid} unpublished while its tokens live`);
          }
          assert.ok(published.size <= 2 + instances, 'a handful of keys at most');
        }
      }),
      { numRuns: 60 },
    );
  });
});
