// Emergency key revocation (SECURITY-MATRIX rule 7, RL-10; OKTA-COMPAT §1.3): a revoked kid leaves
// /v1/keys at once on this instance and within KEY_CACHE_SECONDS on the others, its tokens stop verifying
// everywhere we check them, and signing goes on with another key at once.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { KeyRing } from '../../src/oauth/keys/key-ring.ts';
import { DEFAULT_ROTATION_POLICY, KEY_CACHE_SECONDS } from '../../src/oauth/keys/rotation.ts';
import { type RotationSchedule, startRotationSchedule } from '../../src/oauth/keys/rotation-schedule.ts';
import type { SigningKeyRow } from '../../src/storage/store.ts';
import { CachingRelyingParty, publishedKids, TokenSource } from '../fixtures/relying-party.ts';
import { logoutUrl } from '../fixtures/session-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { introspect, userinfo } from '../fixtures/token-endpoints.ts';

describe('signing-key revocation', () => {
  let server: TestServer;
  let schedule: RotationSchedule;
  let source: TokenSource;

  const rows = (): Promise<SigningKeyRow[]> => server.deps.store.signingKeys.listForServer('default');
  const statusOf = async (kid: string) => (await rows()).find((row) => row.kid === kid)?.status;
  const activeKid = async () => (await rows()).find((row) => row.status === 'ACTIVE')?.kid ?? '';
  const kidOf = (token: string): string => decodeProtectedHeader(token).kid ?? '';

  before(async () => {
    server = await startTestServer();
    schedule = startRotationSchedule(server.deps);
    source = new TokenSource(server);
  });
  after(async () => {
    await schedule.stop();
    await server.close();
  });

  it('RL-10 revoking the signing key: out of /v1/keys at once, its tokens fail everywhere, the staged key signs at once', async () => {
    const compromised = await activeKid();
    const next = (await server.deps.keys.stageNextKey('default')).key.kid;
    const tokens = await source.next();
    assert.equal(kidOf(tokens.access_token), compromised);
    // Another instance on the same database, its key cache warm.
    const other = new KeyRing({
      store: server.deps.store,
      clock: server.clock,
      secret: server.deps.config.secret,
    });
    assert.ok((await other.jwks('default')).keys.some((jwk) => jwk.kid === compromised));
    const cachingRp = new CachingRelyingParty(server);
    await cachingRp.verify(tokens.access_token);

    const result = await server.deps.keys.revoke('default', compromised);
    assert.equal(result?.changed, true);
    assert.equal(result?.replacement?.kid, next);
    assert.deepEqual(await publishedKids(server), [next]);
    assert.equal(await statusOf(compromised), 'REVOKED', 'row kept, for the record');

    // Other instances follow within their key cache.
    server.clock.advance(KEY_CACHE_SECONDS);
    assert.deepEqual(
      (await other.jwks('default')).keys.map((jwk) => jwk.kid),
      [next],
    );
    assert.equal((await other.signingKey('default')).kid, next);

    // A relying party with a fresh key set rejects the token; our own endpoints reject it at once.
    await assert.rejects(new CachingRelyingParty(server).verify(tokens.access_token), {
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
    const info = await userinfo(server, tokens.access_token);
    assert.equal(info.status, 401);
    assert.match(info.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.deepEqual(await introspect(server, tokens.access_token), { active: false });
    const logout = await fetch(
      logoutUrl(server, {
        id_token_hint: tokens.id_token,
        post_logout_redirect_uri: 'com.example.app:/logout',
      }),
      { redirect: 'manual' },
    );
    assert.equal(logout.status, 400);
    assert.equal(logout.headers.get('location'), null);

    // Signing goes on with the staged key; a relying party that cached the set before still verifies.
    const fresh = await source.next();
    assert.equal(kidOf(fresh.access_token), next);
    assert.equal(kidOf(fresh.id_token), next);
    await cachingRp.verify(fresh.access_token);
    await new CachingRelyingParty(server).verify(fresh.id_token);
  });

  it('RL-10 the schedule never republishes or signs with a revoked key', async () => {
    const revoked = (await rows()).filter((row) => row.status === 'REVOKED').map((row) => row.kid);
    assert.equal(revoked.length, 1);
    const { prePublicationSeconds, rotationPeriodSeconds } = DEFAULT_ROTATION_POLICY;
    for (const seconds of [rotationPeriodSeconds - prePublicationSeconds, prePublicationSeconds, 3600]) {
      server.clock.advance(seconds);
      await schedule.run();
      const kids = await publishedKids(server);
      assert.ok(!kids.includes(revoked[0] ?? ''), `after ${seconds} s`);
      assert.notEqual(kidOf((await source.next()).access_token), revoked[0]);
    }
    assert.equal(await statusOf(revoked[0] ?? ''), 'REVOKED');
  });

  it('RL-10 revoking with no staged key creates a fresh signing key; a retired key is only unpublished; twice changes nothing', async () => {
    assert.ok(!(await rows()).some((row) => row.status === 'NEXT'));
    const retired = (await rows()).find((row) => row.status === 'RETIRED');
    assert.ok(retired, 'the rotation of the previous test retired a key');
    const active = await activeKid();

    const unpublished = await server.deps.keys.revoke('default', retired.kid);
    assert.deepEqual([unpublished?.changed, unpublished?.replacement], [true, undefined]);
    assert.ok(!(await publishedKids(server)).includes(retired.kid));
    assert.equal(await activeKid(), active, 'the signing key is unchanged');

    const result = await server.deps.keys.revoke('default', active);
    const replacement = result?.replacement;
    assert.ok(replacement !== undefined && replacement.kid !== active);
    assert.equal(replacement.status, 'ACTIVE');
    assert.equal(kidOf((await source.next()).access_token), replacement.kid);
    assert.deepEqual(await publishedKids(server), [replacement.kid]);

    assert.equal((await server.deps.keys.revoke('default', active))?.changed, false);
    assert.equal(await server.deps.keys.revoke('default', 'no-such-kid'), undefined);
    assert.equal(await server.deps.keys.revoke('other-server', replacement.kid), undefined);
  });

  for (const order of ['rotation first', 'revocation first'] as const) {
    it(`RL-10 a revocation racing a scheduled promotion (${order}): the key stays revoked, one key signs`, async () => {
      const active = await activeKid();
      const { key: next } = await server.deps.keys.stageNextKey('default');
      server.clock.advance(DEFAULT_ROTATION_POLICY.prePublicationSeconds);
      const serverRow = await server.deps.store.authorizationServers.get('default');
      assert.ok(serverRow);
      const rotate = () => server.deps.keys.rotate(serverRow);
      const revoke = () => server.deps.keys.revoke('default', active);
      await Promise.all(order === 'rotation first' ? [rotate(), revoke()] : [revoke(), rotate()]);
      assert.equal(await statusOf(active), 'REVOKED');
      assert.deepEqual(
        (await rows()).filter((row) => row.status === 'ACTIVE').map((row) => row.kid),
        [next.kid],
      );
      assert.ok(!(await publishedKids(server)).includes(active));
    });
  }
});
