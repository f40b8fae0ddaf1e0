// Forged and tampered tokens against a key set we control (SECURITY-MATRIX JW-01..JW-05; OKTA-COMPAT
// §2.6): every refusal is a typed error with its reason, never a crash.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { base64url, exportSPKI, SignJWT } from 'jose';
import {
  createVerifier,
  InsufficientScopeError,
  InvalidTokenError,
  type InvalidTokenReason,
  type Verifier,
} from '../src/index.ts';
import {
  AUDIENCE,
  accessClaims,
  forge,
  ISSUER,
  type JwksServer,
  makeKey,
  signRaw,
  startJwksServer,
  T0,
  TestClock,
  type TestKey,
} from './helpers.ts';

const refusedWith = (reason: InvalidTokenReason) => (error: unknown) =>
  error instanceof InvalidTokenError && error.reason === reason && error.error === 'invalid_token';

describe('verifier: forged and tampered tokens', () => {
  let jwks: JwksServer;
  let key: TestKey;
  let attacker: TestKey;
  let verifier: Verifier;
  const clock = new TestClock();

  before(async () => {
    key = await makeKey('key-1');
    attacker = await makeKey('key-1');
    jwks = await startJwksServer({ keys: [key.jwk], cacheControl: 'max-age=3600' });
    verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: jwks.url, now: clock.now });
  });
  after(() => jwks.close());

  it('accepts a well-formed token and normalises scp', async () => {
    const claims = await verifier.verifyAccessToken(await forge(key, accessClaims(T0)), {
      requiredScopes: ['messages:read'],
      clientIds: ['0oa1ab2cd3EF4gh5i6j7'],
    });
    assert.equal(claims.sub, 'alice@example.com');
    assert.deepEqual(claims.scp, ['openid', 'messages:read']);
    const fromString = await verifier.verifyAccessToken(
      await forge(key, accessClaims(T0, { scp: undefined, scope: 'openid messages:read' })),
      { requiredScopes: ['openid', 'messages:read'] },
    );
    assert.deepEqual(fromString.scp, ['openid', 'messages:read']);
    const audList = await verifier.verifyAccessToken(
      await forge(key, accessClaims(T0, { aud: ['api://other', AUDIENCE] })),
    );
    assert.deepEqual(audList.aud, ['api://other', AUDIENCE]);
  });

  describe('JW-05 claim checks (60 s tolerance)', () => {
    const cases: [string, Record<string, unknown>, InvalidTokenReason | 'ok'][] = [
      ['expired beyond the tolerance', { iat: T0 - 3700, exp: T0 - 61 }, 'expired'],
      ['expired exactly at the tolerance', { iat: T0 - 3700, exp: T0 - 60 }, 'expired'],
      ['expired within the tolerance', { iat: T0 - 3700, exp: T0 - 59 }, 'ok'],
      ['nbf in the future', { nbf: T0 + 61 }, 'not_yet_valid'],
      ['nbf within the tolerance', { nbf: T0 + 60 }, 'ok'],
      ['iat in the future', { iat: T0 + 61 }, 'not_yet_valid'],
      ['wrong iss', { iss: 'https://evil.example/oauth2/default' }, 'wrong_issuer'],
      ['iss with a trailing slash', { iss: `${ISSUER}/` }, 'wrong_issuer'],
      ['wrong aud', { aud: 'api://payments' }, 'wrong_audience'],
      ['aud list without ours', { aud: ['api://a', 'api://b'] }, 'wrong_audience'],
      ['no exp', { exp: undefined }, 'malformed'],
      ['exp not a number', { exp: '9999999999' }, 'malformed'],
      ['no iat', { iat: undefined }, 'malformed'],
      ['scp an object', { scp: { read: true } }, 'malformed'],
      [
        'an ID token (nonce, at_hash)',
        { nonce: 'n-0S6_WzA2Mj', at_hash: 'x', cid: undefined },
        'not_access_token',
      ],
      ['an ID token whose aud is ours', { at_hash: 'x' }, 'not_access_token'],
      ['no cid', { cid: undefined }, 'not_access_token'],
      ['RFC 9068 client_id instead of cid', { cid: undefined, client_id: '0oaOther' }, 'ok'],
    ];
    for (const [name, extra, expected] of cases) {
      it(name, async () => {
        const token = await forge(key, accessClaims(T0, extra));
        if (expected === 'ok') await verifier.verifyAccessToken(token);
        else await assert.rejects(verifier.verifyAccessToken(token), refusedWith(expected));
      });
    }

    it('cid outside clientIds', async () => {
      await assert.rejects(
        verifier.verifyAccessToken(await forge(key, accessClaims(T0)), { clientIds: ['0oaSomeoneElse'] }),
        refusedWith('client_not_allowed'),
      );
    });

    it('typ of another kind of JWT', async () => {
      const token = await forge(key, accessClaims(T0), { typ: 'logout+jwt' });
      await assert.rejects(verifier.verifyAccessToken(token), refusedWith('not_access_token'));
      await verifier.verifyAccessToken(await forge(key, accessClaims(T0), { typ: 'at+jwt' }));
    });
  });

  it('missing scope: InsufficientScopeError naming the missing ones', async () => {
    const token = await forge(key, accessClaims(T0, { scp: ['openid'] }));
    await assert.rejects(
      verifier.verifyAccessToken(token, { requiredScopes: ['openid', 'messages:read', 'messages:write'] }),
      (error: unknown) =>
        error instanceof InsufficientScopeError &&
        error.error === 'insufficient_scope' &&
        error.missingScopes.join(' ') === 'messages:read messages:write' &&
        error.claims.sub === 'alice@example.com',
    );
  });

  describe('JW-01 alg none', () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      it(alg, async () => {
        const valid = await forge(key, accessClaims(T0));
        const [, payload, signature] = valid.split('.');
        const header = base64url.encode(JSON.stringify({ alg, kid: key.kid }));
        for (const token of [`${header}.${payload}.`, `${header}.${payload}.${signature}`]) {
          await assert.rejects(verifier.verifyAccessToken(token), refusedWith('wrong_algorithm'));
        }
      });
    }
  });

  describe('JW-02 HS256 with the RSA public key as the secret', () => {
    const secrets: [string, () => Promise<Uint8Array>][] = [
      ['PEM', async () => new TextEncoder().encode(await exportSPKI(key.publicKey))],
      ['JWK JSON', async () => new TextEncoder().encode(JSON.stringify(key.jwk))],
      ['raw n', async () => base64url.decode(key.jwk.n ?? '')],
    ];
    for (const [name, secret] of secrets) {
      it(name, async () => {
        const token = await new SignJWT(accessClaims(T0))
          .setProtectedHeader({ alg: 'HS256', kid: key.kid })
          .sign(await secret());
        await assert.rejects(verifier.verifyAccessToken(token), refusedWith('wrong_algorithm'));
      });
    }
    it('and a verifier cannot be configured for none or HS256', () => {
      for (const algorithms of [['none'], ['HS256'], ['RS256', 'HS512'], []]) {
        assert.throws(() => createVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms }), TypeError);
      }
    });
  });

  it('JW-03 embedded key material is never used nor fetched', async () => {
    let outbound = 0;
    const trap = createServer((_request, response) => {
      outbound += 1;
      response.end(JSON.stringify({ keys: [attacker.jwk] }));
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/keys`;
    try {
      for (const header of [{ jwk: attacker.jwk }, { jku: trapUrl }, { x5u: trapUrl }]) {
        const token = await forge(attacker, accessClaims(T0), header);
        await assert.rejects(verifier.verifyAccessToken(token), refusedWith('bad_signature'));
      }
      assert.equal(outbound, 0);
    } finally {
      trap.close();
    }
  });

  describe('JW-04 kid injection', () => {
    const kids: [string, unknown, InvalidTokenReason][] = [
      ['path', '../../../../dev/null', 'unknown_kid'],
      ['SQL', "' OR '1'='1", 'unknown_kid'],
      ['NoSQL', '{"$ne":null}', 'unknown_kid'],
      ['10 KB', 'k'.repeat(10_240), 'malformed'],
      ['number', 7, 'malformed'],
      ['array', ['key-1'], 'malformed'],
      ['missing', undefined, 'malformed'],
    ];
    for (const [name, kid, reason] of kids) {
      it(name, async () => {
        const token = await forge(key, accessClaims(T0), { kid });
        await assert.rejects(verifier.verifyAccessToken(token), refusedWith(reason));
      });
    }
  });

  describe('JW-05 structure', () => {
    it('a bit-flipped payload, a truncated or empty signature', async () => {
      const [header, payload, signature] = (await forge(key, accessClaims(T0))).split('.') as [
        string,
        string,
        string,
      ];
      const flipped = base64url.encode(
        new TextDecoder().decode(base64url.decode(payload)).replace('alice', 'mallory'),
      );
      for (const token of [
        `${header}.${flipped}.${signature}`,
        `${header}.${payload}.${signature.slice(0, -4)}`,
        `${header}.${payload}.`,
      ]) {
        await assert.rejects(verifier.verifyAccessToken(token), refusedWith('bad_signature'));
      }
    });

    it('another key with the published kid', async () => {
      await assert.rejects(
        verifier.verifyAccessToken(await forge(attacker, accessClaims(T0))),
        refusedWith('bad_signature'),
      );
    });

    it('garbage, a refresh token, a 5-segment JWE, an unknown crit header, a non-object payload', async () => {
      const [header, payload, signature] = (await forge(key, accessClaims(T0))).split('.');
      const rs256 = { alg: 'RS256', kid: key.kid };
      const claims = JSON.stringify(accessClaims(T0));
      const crit = await signRaw(
        key,
        { ...rs256, crit: ['urn:example:unknown'], 'urn:example:unknown': 1 },
        claims,
      );
      const arrayPayload = await signRaw(key, rs256, '[1]');
      const notJson = await signRaw(key, rs256, '{"iss":');
      for (const token of [
        '',
        'not a token',
        // An opaque refresh token presented as a Bearer access token.
        'xR3vQ9-Zp7Lk2mN8bT4sW1yH6cJ0aF5dG3eU7iO9kPq',
        `${header}.${payload}`,
        `${header}.${payload}.${signature}.x.y`,
        `${header}.!!!.${signature}`,
        'x'.repeat(20_000),
        crit,
        arrayPayload,
        notJson,
      ]) {
        await assert.rejects(verifier.verifyAccessToken(token), refusedWith('malformed'), token.slice(0, 40));
      }
    });
  });
});
