// Planned signing-key rotation over HTTP (SECURITY-MATRIX rule 7, RL-09, JW-06; OKTA-COMPAT §1.3): the
// schedule runs after each clock move, a relying party caches /v1/keys by its Cache-Control, and tokens
// minted before, during and after a rotation keep verifying.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { KeyRing } from '../../src/oauth/keys/key-ring.ts';
import {
  DEFAULT_ROTATION_POLICY,
  JWKS_MAX_AGE_SECONDS,
  KEY_CACHE_SECONDS,
  retentionSeconds,
} from '../../src/oauth/keys/rotation.ts';
import { type RotationSchedule, startRotationSchedule } from '../../src/oauth/keys/rotation-schedule.ts';
import type { SigningKeyRow } from '../../src/storage/store.ts';
import { CachingRelyingParty, publishedKids, TokenSource } from '../fixtures/relying-party.ts';
import { logoutUrl } from '../fixtures/session-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { introspect, userinfo } from '../fixtures/token-endpoints.ts';

const P = DEFAULT_ROTATION_POLICY.prePublicationSeconds;
const PERIOD = DEFAULT_ROTATION_POLICY.rotationPeriodSeconds;
const STEP = 1500;

describe('signing-key rotation', () => {
  let server: TestServer;
  let schedule: RotationSchedule;
  let rp: CachingRelyingParty;
  let source: TokenSource;
  const held: { token: string; exp: number }[] = [];
  const failures: string[] = [];
  const firstSeen = new Map<string, number>();
  const firstSigned = new Map<string, number>();

  const rows = (): Promise<SigningKeyRow[]> => server.deps.store.signingKeys.listForServer('default');
  const row = async (kid: string): Promise<SigningKeyRow> => {
    const found = (await rows()).find((candidate) => candidate.kid === kid);
    assert.ok(found, kid);
    return found;
  };
  const kidOf = (token: string): string => decodeProtectedHeader(token).kid ?? '';

  /** Moves the clock, runs the schedule, watches /v1/keys, mints tokens and has the RP verify all live ones. */
  async function step(seconds: number): Promise<{ access_token: string; id_token: string }> {
    server.clock.advance(seconds);
    // The worst moment for the RP to refresh its cache: just before the schedule changes the key set.
    await rp.keySet();
    await schedule.run();
    const now = server.clock.now();
    for (const kid of await publishedKids(server)) if (!firstSeen.has(kid)) firstSeen.set(kid, now);
    const tokens = await source.next();
    for (const token of [tokens.access_token, tokens.id_token]) {
      if (!firstSigned.has(kidOf(token))) firstSigned.set(kidOf(token), now);
      held.push({ token, exp: decodeJwt(token).exp ?? 0 });
    }
    // The caching RP, and one that starts now (a new resource-server instance) with a fresh key set.
    const starting = new CachingRelyingParty(server);
    for (const { token } of held.filter((entry) => entry.exp > now)) {
      for (const party of [rp, starting]) {
        await party.verify(token).catch((error: Error) => failures.push(`${kidOf(token)}: ${error.message}`));
      }
    }
    return tokens;
  }

  before(async () => {
    server = await startTestServer();
    schedule = startRotationSchedule(server.deps);
    rp = new CachingRelyingParty(server);
    source = new TokenSource(server);
  });
  after(async () => {
    await schedule.stop();
    await server.close();
  });

  it('RL-09 a relying party caching /v1/keys by its Cache-Control verifies every token across a scheduled rotation', async () => {
    const [k1] = (await rows()).map((key) => key.kid);
    assert.ok(k1 !== undefined);
    await step(60);
    // Nothing is due until P before the period ends (the refresh token lapsed meanwhile: a new sign-in).
    await step(PERIOD - P - 2 * 3600);
    assert.deepEqual(await publishedKids(server), [k1]);
    let beforeRotation = await step(STEP);
    for (let i = 0; i < 80 && kidOf(beforeRotation.access_token) === k1; i += 1) {
      const tokens = await step(STEP);
      if (kidOf(tokens.access_token) !== k1) {
        // Tokens signed before the rotation still pass /userinfo, /introspect and logout (RL-09).
        assert.equal((await userinfo(server, beforeRotation.access_token)).status, 200);
        assert.equal((await introspect(server, beforeRotation.access_token))['active'], true);
        const logout = await fetch(
          logoutUrl(server, {
            id_token_hint: beforeRotation.id_token,
            post_logout_redirect_uri: 'com.example.app:/logout',
          }),
          { redirect: 'manual' },
        );
        assert.equal(logout.status, 302, await logout.text());
        assert.equal(logout.headers.get('location'), 'com.example.app:/logout');
        break;
      }
      beforeRotation = tokens;
    }
    for (let i = 0; i < 4; i += 1) await step(STEP);

    const k2 = kidOf(held.at(-1)?.token ?? '');
    assert.notEqual(k2, k1, 'the schedule rotated');
    assert.deepEqual(failures, []);
    assert.ok(held.length > 100 && rp.fetches > 20, `${held.length} tokens, ${rp.fetches} fetches`);
    // Rule 7: in /v1/keys for at least P (≥ the JWKS max-age) before any token carries it.
    const published = (firstSigned.get(k2) ?? 0) - (firstSeen.get(k2) ?? Number.POSITIVE_INFINITY);
    assert.ok(published >= P && P >= JWKS_MAX_AGE_SECONDS + KEY_CACHE_SECONDS, `published ${published} s`);
    assert.ok((firstSeen.get(k2) ?? 0) - (await row(k2)).createdAt <= STEP);
    assert.equal((await row(k1)).status, 'RETIRED');
    assert.equal((await row(k2)).status, 'ACTIVE');
    assert.deepEqual(new Set(await publishedKids(server)), new Set([k1, k2]));
  });

  it('JW-06 /v1/keys: public RSA members only, unique kids, ≥ 2048-bit moduli, max-age below P; private keys only as JWE', async () => {
    const staged = await server.deps.keys.stageNextKey('default');
    assert.equal(staged.created, true);
    assert.deepEqual(await server.deps.keys.stageNextKey('default'), { key: staged.key, created: false });
    const response = await fetch(server.url('/v1/keys'));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), `max-age=${JWKS_MAX_AGE_SECONDS}, must-revalidate`);
    assert.ok(JWKS_MAX_AGE_SECONDS < P);
    const { keys } = (await response.json()) as { keys: Record<string, string>[] };
    assert.equal(keys.length, 3, 'retired, active and next');
    for (const jwk of keys) {
      assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
      assert.deepEqual([jwk['kty'], jwk['use'], jwk['alg']], ['RSA', 'sig', 'RS256']);
      assert.ok(Buffer.from(jwk['n'] ?? '', 'base64url').length * 8 >= 2048);
    }
    assert.equal(new Set(keys.map((jwk) => jwk['kid'])).size, keys.length);
    for (const key of await rows()) {
      const parts = key.privateJwe.split('.');
      assert.equal(parts.length, 5, 'compact JWE');
      assert.deepEqual(JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString()), {
        alg: 'dir',
        enc: 'A256GCM',
        cty: 'jwk+json',
      });
      assert.doesNotMatch(key.privateJwe, /"d"/);
      assert.ok(!('d' in JSON.parse(key.publicJwk)));
    }
  });

  it('RL-09 the retired key stays published until R after retirement; a staged key signs only after P', async () => {
    const [k1, k2, k3] = (await rows()).map((key) => key.kid) as [string, string, string];
    const retiredAt = (await row(k1)).retiredAt ?? 0;
    const retention = retentionSeconds(
      (await server.deps.store.authorizationServers.get('default'))!,
      DEFAULT_ROTATION_POLICY,
    );
    await step(retiredAt + retention - 60 - server.clock.now());
    assert.ok((await publishedKids(server)).includes(k1));
    await step(60);
    assert.ok(!(await publishedKids(server)).includes(k1));
    assert.equal((await row(k1)).status, 'EXPIRED', 'unpublished, row kept');

    const signsFrom = (await row(k3)).createdAt + P;
    assert.equal(kidOf((await step(signsFrom - 1 - server.clock.now())).access_token), k2);
    assert.equal(kidOf((await step(1)).access_token), k3);
    assert.ok((await publishedKids(server)).includes(k2), 'the previous key stays published');
    await step(STEP);
    assert.deepEqual(failures, []);
  });

  it('RL-09 three instances running the schedule at once converge on one next key and one promotion', async () => {
    const secret = server.deps.config.secret;
    const { store } = server.deps;
    const { clock } = server;
    const instances = [server.deps.keys, ...[1, 2].map(() => new KeyRing({ store, clock, secret }))];
    const serverRow = (await store.authorizationServers.get('default'))!;
    const active = (await rows()).find((key) => key.status === 'ACTIVE')!;
    clock.advance((active.activatedAt ?? 0) + PERIOD - P - clock.now());
    const runAll = async () => (await Promise.all(instances.map((ring) => ring.rotate(serverRow)))).flat();
    await runAll();
    await runAll();
    const next = (await rows()).filter((key) => key.status === 'NEXT');
    assert.equal(next.length, 1, 'duplicates staged by racing instances are unpublished');
    clock.advance(KEY_CACHE_SECONDS);
    for (const ring of instances) {
      assert.ok((await ring.jwks('default')).keys.some((jwk) => jwk.kid === next[0]?.kid));
    }
    clock.advance(P);
    const steps = await runAll();
    assert.equal(steps.filter((applied) => applied.kind === 'promote').length, 1);
    const final = await rows();
    assert.deepEqual(
      final.filter((key) => key.status === 'ACTIVE').map((key) => key.kid),
      [next[0]?.kid],
    );
    assert.equal(final.find((key) => key.kid === active.kid)?.status, 'RETIRED');
    for (const ring of instances) assert.equal((await ring.signingKey('default')).kid, next[0]?.kid);
  });
});
