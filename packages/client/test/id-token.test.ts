// ID token validation (OIDC Core §3.1.3.7) against real RS256 signatures and a JWK Set served over HTTP:
// the valid token, then one negative case per check.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IdTokenValidationError, RemoteJwks, validateIdToken } from '../src/index.ts';
import {
  atHash,
  generateTestKey,
  type JwksServer,
  signJwt,
  startJwksServer,
  type TestKey,
} from './helpers/signing-key.ts';

const ISSUER = 'https://id.example.com/oauth2/default';
const CLIENT_ID = '0oaclient';
const NOW = 1_700_000_000;
const ACCESS_TOKEN = 'eyJ.access.token';

describe('ID token validation', () => {
  let key: TestKey;
  let otherKey: TestKey;
  let jwks: JwksServer;

  before(async () => {
    [key, otherKey] = await Promise.all([generateTestKey('k1'), generateTestKey('k2')]);
    jwks = await startJwksServer([key.publicJwk]);
  });
  after(() => jwks?.close());

  function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      iss: ISSUER,
      sub: '00uALICE',
      aud: CLIENT_ID,
      iat: NOW,
      exp: NOW + 3600,
      nonce: 'n-1',
      at_hash: atHash(ACCESS_TOKEN),
      auth_time: NOW - 10,
      ...overrides,
    };
  }

  function validate(token: string, extra: Record<string, unknown> = {}) {
    return validateIdToken(token, {
      metadata: { issuer: ISSUER, jwks_uri: jwks.jwksUri },
      clientId: CLIENT_ID,
      nonce: 'n-1',
      accessToken: ACCESS_TOKEN,
      now: () => NOW * 1000,
      jwks: new RemoteJwks(jwks.jwksUri),
      ...extra,
    });
  }

  async function rejectsWith(
    token: Promise<string> | string,
    reason: string,
    extra: Record<string, unknown> = {},
    message?: RegExp,
  ) {
    await assert.rejects(validate(await token, extra), (error) => {
      assert.ok(error instanceof IdTokenValidationError, String(error));
      assert.equal(error.reason, reason, error.message);
      if (message) assert.match(error.message, message);
      return true;
    });
  }

  it('accepts a valid token and returns its claims', async () => {
    const result = await validate(await signJwt(key, claims({ name: 'Alice' })));
    assert.equal(result.sub, '00uALICE');
    assert.equal(result.name, 'Alice');
  });

  it('accepts an array audience that includes the client, and a token within the clock skew', async () => {
    await validate(await signJwt(key, claims({ aud: ['other', CLIENT_ID], azp: CLIENT_ID })));
    await validate(await signJwt(key, claims({ exp: NOW - 200, iat: NOW - 3800 })));
    await validate(await signJwt(key, claims({ iat: NOW + 200 })));
  });

  it('wrong iss', () => rejectsWith(signJwt(key, claims({ iss: `${ISSUER}/` })), 'issuer_mismatch'));
  it('wrong aud', () =>
    rejectsWith(
      signJwt(key, claims({ aud: 'someone-else' })),
      'audience_mismatch',
      {},
      /Check the client id/,
    ));
  it('azp of another client', () =>
    rejectsWith(signJwt(key, claims({ aud: [CLIENT_ID, 'x'], azp: 'x' })), 'audience_mismatch'));
  it('wrong nonce', () => rejectsWith(signJwt(key, claims({ nonce: 'n-2' })), 'nonce_mismatch'));
  it('missing nonce when one was sent', () =>
    rejectsWith(signJwt(key, claims({ nonce: undefined })), 'nonce_mismatch'));
  it('wrong at_hash', () =>
    rejectsWith(signJwt(key, claims({ at_hash: atHash('another token') })), 'at_hash_mismatch'));
  it('expired beyond the skew, with a clock hint', () =>
    rejectsWith(
      signJwt(key, claims({ exp: NOW - 301, iat: NOW - 3901 })),
      'expired',
      {},
      /clock is ahead.*NTP/,
    ));
  it('iat in the future beyond the skew, with a clock hint', () =>
    rejectsWith(
      signJwt(key, claims({ iat: NOW + 301, exp: NOW + 3901 })),
      'issued_in_future',
      {},
      /clock is behind.*NTP/,
    ));
  it('a custom skew applies', () =>
    rejectsWith(signJwt(key, claims({ iat: NOW + 31 })), 'issued_in_future', { clockToleranceSeconds: 30 }));
  it('auth_time older than max_age', () =>
    rejectsWith(signJwt(key, claims({ auth_time: NOW - 4000 })), 'auth_time_too_old', { maxAge: 600 }));
  it('missing exp', () => rejectsWith(signJwt(key, claims({ exp: undefined })), 'missing_claim'));
  it('missing sub', () => rejectsWith(signJwt(key, claims({ sub: '' })), 'missing_claim'));

  it('bad signature: payload altered after signing', async () => {
    const [header, , signature] = (await signJwt(key, claims())).split('.');
    const altered = Buffer.from(JSON.stringify(claims({ sub: '00uMALLORY' }))).toString('base64url');
    await rejectsWith(`${header}.${altered}.${signature}`, 'invalid_signature');
  });

  it('bad signature: signed by another key under a published kid', () =>
    rejectsWith(signJwt(otherKey, claims(), { alg: 'RS256', kid: 'k1' }), 'invalid_signature'));

  it('alg none, with and without a signature part', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims())).toString('base64url');
    await rejectsWith(`${header}.${payload}.c2ln`, 'unsupported_algorithm', {}, /only RS256/);
    await rejectsWith(`${header}.${payload}.`, 'malformed');
  });

  it('HS256 and other algorithms', () =>
    rejectsWith(signJwt(key, claims(), { alg: 'HS256', kid: 'k1' }), 'unsupported_algorithm'));

  it('malformed tokens', async () => {
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', '!!.e30.c2ln', 'e30.bm90IGpzb24.c2ln']) {
      await rejectsWith(token, 'malformed');
    }
  });

  it('unknown kid: one refetch, then unknown_key; a kid published later is found by that refetch', async () => {
    let now = NOW * 1000;
    const keySet = new RemoteJwks(jwks.jwksUri, { now: () => now, refetchCooldownMs: 10_000 });
    const before = jwks.fetches;
    await validate(await signJwt(key, claims()), { jwks: keySet, now: () => now });
    assert.equal(jwks.fetches, before + 1, 'first use fetches');

    now += 11_000;
    await rejectsWith(signJwt(otherKey, claims()), 'unknown_key', { jwks: keySet, now: () => now }, /k2/);
    assert.equal(jwks.fetches, before + 2, 'an unknown kid refetches once');
    await rejectsWith(signJwt(otherKey, claims()), 'unknown_key', { jwks: keySet, now: () => now });
    assert.equal(jwks.fetches, before + 2, 'no second refetch within the cool-down');

    jwks.keys = [key.publicJwk, otherKey.publicJwk];
    now += 11_000;
    await validate(await signJwt(otherKey, claims()), { jwks: keySet, now: () => now });
    assert.equal(jwks.fetches, before + 3, 'the rotated-in key is picked up by the refetch');
    jwks.keys = [key.publicJwk];
  });
});
