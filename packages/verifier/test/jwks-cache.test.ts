// The JWKS cache against a key server we control (OKTA-COMPAT §1.3, §2.6): Cache-Control honoured, one
// refetch on an unknown kid with a cooldown against refetch storms, and outages that end in a clear
// JwksUnavailableError (or cached keys that keep working), never a crash or an unhandled rejection.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  createVerifier,
  freshnessLifetime,
  InvalidTokenError,
  JwksUnavailableError,
  type Verifier,
} from '../src/index.ts';
import {
  AUDIENCE,
  accessClaims,
  closedUrl,
  forge,
  ISSUER,
  type JwksServer,
  makeKey,
  startJwksServer,
  TestClock,
  type TestKey,
  watchUnhandledRejections,
} from './helpers.ts';

const unavailable = (pattern: RegExp) => (error: unknown) =>
  error instanceof JwksUnavailableError && pattern.test(error.message);
const unknownKid = (error: unknown) => error instanceof InvalidTokenError && error.reason === 'unknown_kid';

describe('verifier: JWKS cache', () => {
  const rejections = watchUnhandledRejections();
  let k1: TestKey;
  let k2: TestKey;
  let jwks: JwksServer;
  let clock: TestClock;
  let verifier: Verifier;
  const token = (key: TestKey) => forge(key, accessClaims(clock.current));

  before(async () => {
    [k1, k2] = await Promise.all([makeKey('k1'), makeKey('k2')]);
  });
  const fresh = async (state: Parameters<typeof startJwksServer>[0]) => {
    jwks = await startJwksServer(state);
    clock = new TestClock();
    verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: jwks.url, now: clock.now });
  };
  afterEach(() => jwks.close());
  after(() => {
    rejections.stop();
    assert.deepEqual(rejections.reasons, []);
  });

  it('keeps keys for max-age and fetches again once it has passed', async () => {
    await fresh({ keys: [k1.jwk], cacheControl: 'max-age=60, must-revalidate' });
    await verifier.verifyAccessToken(await token(k1));
    clock.advance(59);
    await verifier.verifyAccessToken(await token(k1));
    assert.equal(jwks.requests, 1);
    clock.advance(1);
    await verifier.verifyAccessToken(await token(k1));
    assert.equal(jwks.requests, 2);
  });

  it('reads max-age minus Age, treats no-store as 0, falls back without a max-age', () => {
    const lifetime = (headers: Record<string, string>) => freshnessLifetime(new Headers(headers), 300);
    assert.equal(lifetime({ 'cache-control': 'public, max-age=3600, must-revalidate' }), 3600);
    assert.equal(lifetime({ 'cache-control': 'max-age=3600', age: '600' }), 3000);
    assert.equal(lifetime({ 'cache-control': 'max-age=60', age: '600' }), 0);
    assert.equal(lifetime({ 'cache-control': 'MAX-AGE="120"' }), 120);
    assert.equal(lifetime({ 'cache-control': 'no-store' }), 0);
    assert.equal(lifetime({ 'cache-control': 'max-age=60, no-cache' }), 0);
    assert.equal(lifetime({ 'cache-control': 'max-age=soon' }), 300);
    assert.equal(lifetime({}), 300);
  });

  it('unknown kid then key rotation: one refetch, and the cooldown stops a refetch storm', async () => {
    await fresh({ keys: [k1.jwk], cacheControl: 'max-age=3600' });
    await verifier.verifyAccessToken(await token(k1));
    assert.equal(jwks.requests, 1);
    // The server publishes k2 and signs with it before our max-age ran out. Within the cooldown of our
    // last fetch an unknown kid fetches nothing; after it, once.
    jwks.state.keys = [k1.jwk, k2.jwk];
    const rotated = await token(k2);
    await assert.rejects(verifier.verifyAccessToken(rotated), unknownKid);
    assert.equal(jwks.requests, 1);
    clock.advance(30);
    await verifier.verifyAccessToken(rotated);
    assert.equal(jwks.requests, 2, 'exactly one refetch for the unknown kid');
    // 50 tokens with made-up kids at once: no fetch at all within the cooldown.
    const forged = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        forge(k1, accessClaims(clock.current), { kid: `made-up-${index}` }),
      ),
    );
    const results = await Promise.allSettled(forged.map((jwt) => verifier.verifyAccessToken(jwt)));
    assert.ok(results.every((result) => result.status === 'rejected' && unknownKid(result.reason)));
    assert.equal(jwks.requests, 2);
    // After the cooldown (30 s) the next unknown kid may refetch once, however many arrive together.
    clock.advance(30);
    await Promise.allSettled(forged.map((jwt) => verifier.verifyAccessToken(jwt)));
    assert.equal(jwks.requests, 3);
    await verifier.verifyAccessToken(await token(k1));
    await verifier.verifyAccessToken(await token(k2));
    assert.equal(jwks.requests, 3);
  });

  it('a key removed from the set (max-age=1) stops verifying once max-age has passed', async () => {
    await fresh({ keys: [k1.jwk], cacheControl: 'max-age=1' });
    const old = await token(k1);
    await verifier.verifyAccessToken(old);
    jwks.state.keys = [k2.jwk];
    await verifier.verifyAccessToken(old);
    assert.equal(jwks.requests, 1, 'still within max-age');
    clock.advance(1);
    await assert.rejects(verifier.verifyAccessToken(old), unknownKid);
    assert.equal(jwks.requests, 2, 'the expiry refetch, and no second one for the unknown kid');
    await verifier.verifyAccessToken(await token(k2));
    assert.equal(jwks.requests, 2);
  });

  describe('JWKS endpoint down with nothing cached: JwksUnavailableError naming the URL and the cause', () => {
    const cases: [string, Parameters<typeof startJwksServer>[0], RegExp][] = [
      ['HTTP 500', { status: 500 }, /HTTP 500/],
      ['HTTP 404', { status: 404 }, /HTTP 404/],
      ['garbage', { rawBody: '<html>oops' }, /not JSON/],
      ['JSON but not a key set', { rawBody: '{"keys":"none"}' }, /not a JSON Web Key Set/],
      ['no answer (timeout)', { hang: true }, /request failed .*(timeout|abort)/i],
    ];
    for (const [name, state, pattern] of cases) {
      it(name, async () => {
        await fresh({ keys: [k1.jwk], ...state });
        verifier = createVerifier({
          issuer: ISSUER,
          audience: AUDIENCE,
          jwksUri: jwks.url,
          now: clock.now,
          timeoutMs: 200,
        });
        const jwt = await token(k1);
        await assert.rejects(verifier.verifyAccessToken(jwt), unavailable(pattern));
        await assert.rejects(
          verifier.verifyAccessToken(jwt),
          unavailable(new RegExp(jwks.url.replace(/\./g, '\\.'))),
        );
        assert.equal(jwks.requests, 1, 'failed fetches are retried only after the cooldown');
        Object.assign(jwks.state, { status: 200, rawBody: undefined, hang: false });
        clock.advance(30);
        await verifier.verifyAccessToken(jwt);
        assert.equal(jwks.requests, 2);
      });
    }

    it('connection refused', async () => {
      await fresh({ keys: [k1.jwk] });
      const url = await closedUrl();
      const down = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: url, now: clock.now });
      await assert.rejects(
        down.verifyAccessToken(await token(k1)),
        (error: unknown) =>
          unavailable(/ECONNREFUSED/)(error) &&
          (error as Error).message.startsWith(`Could not load the JSON Web Key Set from ${url}`),
      );
    });
  });

  it('cached keys keep working while the endpoint is down; an unknown kid is then an outage, not a 401', async () => {
    await fresh({ keys: [k1.jwk], cacheControl: 'max-age=1' });
    const jwt = await token(k1);
    await verifier.verifyAccessToken(jwt);
    jwks.state.status = 503;
    clock.advance(10);
    await verifier.verifyAccessToken(jwt);
    assert.equal(jwks.requests, 2, 'one failed refresh');
    await verifier.verifyAccessToken(jwt);
    assert.equal(jwks.requests, 2, 'no retry within the cooldown');
    await assert.rejects(verifier.verifyAccessToken(await token(k2)), unavailable(/HTTP 503/));
    await jwks.close();
    clock.advance(60);
    await verifier.verifyAccessToken(jwt);
    // Connection refused, or a kept-alive socket found closed: an outage either way.
    await assert.rejects(verifier.verifyAccessToken(await token(k2)), unavailable(/request failed/));
    jwks = await startJwksServer({ keys: [] });
  });
});
