// The hand-written compact JWS parser and node:crypto signature check (SECURITY-MATRIX JW-05, "claim and
// structure checks"): a header whose alg was changed, a signature from another key with a published kid,
// and malformed tokens of every kind are refused with an InvalidTokenError, never accepted and never
// another kind of throw. Property tests (fast-check) cover the parser over arbitrary input.

import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { base64url } from 'jose';
import { createVerifier, InvalidTokenError, type InvalidTokenReason, type Verifier } from '../src/index.ts';
import { decodeCompactJws, MAX_TOKEN_LENGTH } from '../src/jws.ts';
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
const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Resolves to the claims, or to the InvalidTokenError; anything else thrown fails the test. */
async function outcome(verifier: Verifier, token: unknown): Promise<'accepted' | InvalidTokenError> {
  try {
    await verifier.verifyAccessToken(token as string);
    return 'accepted';
  } catch (error) {
    if (error instanceof InvalidTokenError) return error;
    throw error;
  }
}

describe('verifier: JWS parsing and signatures', () => {
  let jwks: JwksServer;
  let key: TestKey;
  let twin: TestKey;
  let attacker: TestKey;
  let verifier: Verifier;
  let token: string;
  const clock = new TestClock();

  before(async () => {
    [key, twin, attacker] = await Promise.all([makeKey('key-1'), makeKey('key-2'), makeKey('key-1')]);
    // key-2 is published twice, as two keys sharing the kid (a careless rotation).
    const other = await makeKey('key-2');
    jwks = await startJwksServer({ keys: [key.jwk, other.jwk, twin.jwk], cacheControl: 'max-age=3600' });
    verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: jwks.url, now: clock.now });
    token = await forge(key, accessClaims(T0));
    await verifier.verifyAccessToken(token);
  });
  after(() => jwks.close());

  describe('JW-05 a header whose alg was changed is refused', () => {
    for (const alg of ['RS384', 'RS512', 'PS256', 'ES256', 'EdDSA', 'HS256', 'none', 'rs256', '', 7, null]) {
      it(JSON.stringify(alg), async () => {
        const [, payload, signature] = token.split('.');
        const header = encodeJson({ alg, kid: key.kid });
        await assert.rejects(
          verifier.verifyAccessToken(`${header}.${payload}.${signature}`),
          refusedWith('wrong_algorithm'),
        );
      });
    }

    it('also when the verifier accepts the other algorithm: the RS256 signature does not verify as PS256 or RS512', async () => {
      const { alg: _alg, ...anyAlg } = key.jwk;
      const loose = await startJwksServer({ keys: [anyAlg] });
      try {
        const several = createVerifier({
          issuer: ISSUER,
          audience: AUDIENCE,
          jwksUri: loose.url,
          now: clock.now,
          algorithms: ['RS256', 'PS256', 'RS512'],
        });
        await several.verifyAccessToken(token);
        const [, payload, signature] = token.split('.');
        for (const alg of ['PS256', 'RS512']) {
          const header = encodeJson({ alg, kid: key.kid });
          await assert.rejects(
            several.verifyAccessToken(`${header}.${payload}.${signature}`),
            refusedWith('bad_signature'),
          );
        }
      } finally {
        await loose.close();
      }
    });

    it('a JWK published for RS256 only is not used for another alg', async () => {
      const strict = createVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwksUri: jwks.url,
        now: clock.now,
        algorithms: ['RS256', 'PS256'],
      });
      const [, payload, signature] = token.split('.');
      const header = encodeJson({ alg: 'PS256', kid: key.kid });
      await assert.rejects(
        strict.verifyAccessToken(`${header}.${payload}.${signature}`),
        refusedWith('unknown_kid'),
      );
    });
  });

  it('JW-05 published keys unfit for RS256 are never used: use enc, key_ops without verify, RSA under 2048 bits', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const weakJwk = { ...weak.publicKey.export({ format: 'jwk' }), kid: 'weak', alg: 'RS256' };
    const unfit = startJwksServer({
      keys: [
        { ...key.jwk, kid: 'enc', use: 'enc' },
        { ...key.jwk, kid: 'wrap', key_ops: ['wrapKey'] },
        { ...key.jwk, kid: 'ec', kty: 'EC' },
        weakJwk,
      ],
    });
    const server = await unfit;
    try {
      const picky = createVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwksUri: server.url,
        now: clock.now,
      });
      for (const kid of ['enc', 'wrap', 'ec']) {
        await assert.rejects(
          picky.verifyAccessToken(await forge(key, accessClaims(T0), { kid })),
          refusedWith('unknown_kid'),
          kid,
        );
      }
      const input = `${encodeJson({ alg: 'RS256', kid: 'weak' })}.${encodeJson(accessClaims(T0))}`;
      const signature = sign('sha256', Buffer.from(input), weak.privateKey).toString('base64url');
      await assert.rejects(picky.verifyAccessToken(`${input}.${signature}`), refusedWith('unknown_kid'));
    } finally {
      await server.close();
    }
  });

  describe('JW-05 a signature from a different key with a published kid is refused', () => {
    it('with a warm key cache', async () => {
      await verifier.verifyAccessToken(token);
      await assert.rejects(
        verifier.verifyAccessToken(await forge(attacker, accessClaims(T0))),
        refusedWith('bad_signature'),
      );
      // The original header's verified parse is cached; the forged token reuses that very header text.
      const [header] = token.split('.');
      const [, payload, signature] = (await forge(attacker, accessClaims(T0, { sub: 'mallory' }))).split('.');
      await assert.rejects(
        verifier.verifyAccessToken(`${header}.${payload}.${signature}`),
        refusedWith('bad_signature'),
      );
    });

    it('when two published keys share the kid, either verifies and a third does not', async () => {
      await verifier.verifyAccessToken(await forge(twin, accessClaims(T0)));
      const impostor = await makeKey('key-2');
      await assert.rejects(
        verifier.verifyAccessToken(await forge(impostor, accessClaims(T0))),
        refusedWith('bad_signature'),
      );
    });

    it('a signature of the right key over another payload', async () => {
      const [header, , signature] = token.split('.');
      const payload = encodeJson(accessClaims(T0, { scp: ['openid', 'messages:read', 'admin'] }));
      await assert.rejects(
        verifier.verifyAccessToken(`${header}.${payload}.${signature}`),
        refusedWith('bad_signature'),
      );
    });
  });

  describe('JW-05 malformed tokens: InvalidTokenError malformed, never another throw', () => {
    const parts = () => token.split('.') as [string, string, string];
    const cases: [string, () => unknown][] = [
      ['one segment', () => parts()[0]],
      ['two segments', () => parts().slice(0, 2).join('.')],
      ['four segments', () => `${token}.${parts()[2]}`],
      ['five segments (a JWE)', () => `${token}.a.b`],
      ['an empty header', () => `.${parts()[1]}.${parts()[2]}`],
      ['an empty payload', () => `${parts()[0]}..${parts()[2]}`],
      ['only dots', () => '..'],
      ['padding', () => `${parts()[0]}=.${parts()[1]}.${parts()[2]}`],
      ['base64 (not url) characters', () => `${parts()[0]}.${parts()[1].replace(/.$/, '+')}.${parts()[2]}`],
      ['a slash', () => `${parts()[0]}.${parts()[1]}/.${parts()[2]}`],
      [
        'a space inside',
        () => `${parts()[0].slice(0, 4)} ${parts()[0].slice(4)}.${parts()[1]}.${parts()[2]}`,
      ],
      ['a non-ASCII character', () => `${parts()[0]}é.${parts()[1]}.${parts()[2]}`],
      ['a header of length 4n+1', () => `${parts()[0]}AA.${parts()[1]}.${parts()[2]}`],
      ['a signature of length 4n+1', () => `${parts()[0]}.${parts()[1]}.${parts()[2]}AAA`],
      ['stray bits in the header', () => `${strayBits(parts()[0])}.${parts()[1]}.${parts()[2]}`],
      [
        'a header that is not JSON',
        () => `${base64url.encode('{"alg":"RS256"')}.${parts()[1]}.${parts()[2]}`,
      ],
      ['a header that is a JSON array', () => `${encodeJson(['RS256'])}.${parts()[1]}.${parts()[2]}`],
      ['a header that is JSON null', () => `${encodeJson(null)}.${parts()[1]}.${parts()[2]}`],
      ['a payload that is not JSON', () => `${parts()[0]}.${base64url.encode('iss=me')}.${parts()[2]}`],
      ['a payload that is a JSON string', () => `${parts()[0]}.${encodeJson('claims')}.${parts()[2]}`],
      [
        'a payload that is not UTF-8',
        () => `${parts()[0]}.${base64url.encode(new Uint8Array([0x7b, 0xff, 0x7d]))}.${parts()[2]}`,
      ],
      [
        'a header with a UTF-8 BOM',
        () =>
          `${base64url.encode(`\uFEFF${JSON.stringify({ alg: 'RS256', kid: 'key-1' })}`)}.${parts()[1]}.${parts()[2]}`,
      ],
      [`a token over ${MAX_TOKEN_LENGTH} characters`, () => `${token}${'A'.repeat(MAX_TOKEN_LENGTH)}`],
      ['1 MB of base64url', () => 'A'.repeat(1024 * 1024)],
      ['an empty string', () => ''],
      ['undefined', () => undefined],
      ['null', () => null],
      ['a number', () => 42],
      ['an object', () => ({ toString: () => token })],
      ['a Buffer', () => Buffer.from(token)],
    ];
    for (const [name, make] of cases) {
      it(name, async () => {
        await assert.rejects(verifier.verifyAccessToken(make() as string), refusedWith('malformed'));
      });
    }

    it('a signed token over the bound is refused before any work; one under it verifies', async () => {
      const big = await forge(key, accessClaims(T0, { pad: 'x'.repeat(MAX_TOKEN_LENGTH) }));
      await assert.rejects(verifier.verifyAccessToken(big), refusedWith('malformed'));
      const fits = await forge(key, accessClaims(T0, { pad: 'x'.repeat(10_000) }));
      assert.ok(fits.length < MAX_TOKEN_LENGTH);
      assert.equal((await verifier.verifyAccessToken(fits))['pad'], 'x'.repeat(10_000));
    });

    it('stray bits in the signature: another spelling of a valid signature is refused', async () => {
      const [header, payload, signature] = parts();
      await assert.rejects(
        verifier.verifyAccessToken(`${header}.${payload}.${strayBits(signature)}`),
        refusedWith('bad_signature'),
      );
    });

    it('a genuine U+FFFD in a claim is valid UTF-8 and verifies', async () => {
      const claims = await verifier.verifyAccessToken(
        await forge(key, accessClaims(T0, { name: 'A\uFFFDB' })),
      );
      assert.equal(claims['name'], 'A\uFFFDB');
    });

    it('a signed payload that is not a JSON object, an unknown crit', async () => {
      const rs256 = { alg: 'RS256', kid: key.kid };
      for (const signed of [
        await signRaw(key, rs256, 'null'),
        await signRaw(key, rs256, '"x"'),
        await signRaw(key, { ...rs256, crit: ['exp'] }, JSON.stringify(accessClaims(T0))),
      ]) {
        await assert.rejects(verifier.verifyAccessToken(signed), refusedWith('malformed'));
      }
    });
  });

  it('JW-05 concurrent verifications on a cold key cache each check their own token', async () => {
    const cold = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: jwks.url, now: clock.now });
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, index) => forge(key, accessClaims(T0, { sub: `user-${index}` }))),
    );
    const forged = await forge(attacker, accessClaims(T0, { sub: 'mallory' }));
    const results = await Promise.allSettled([...tokens, forged].map((jwt) => cold.verifyAccessToken(jwt)));
    results.slice(0, 20).forEach((result, index) => {
      assert.equal(result.status === 'fulfilled' && result.value.sub, `user-${index}`);
    });
    const last = results[20];
    assert.ok(last?.status === 'rejected' && refusedWith('bad_signature')(last.reason));
  });

  describe('JW-05 properties (fast-check)', () => {
    it('any string is refused with an InvalidTokenError, never another throw', async () => {
      const segment = fc.string({
        unit: fc.constantFrom(...B64URL, '+', '/', '=', ' ', 'é', '\0'),
        maxLength: 60,
      });
      const dotted = fc.array(segment, { minLength: 1, maxLength: 6 }).map((segments) => segments.join('.'));
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), dotted), async (input) => {
          const result = await outcome(verifier, input);
          assert.ok(result instanceof InvalidTokenError, `accepted ${JSON.stringify(input)}`);
        }),
        { numRuns: 500 },
      );
    });

    it('decoding inverts encoding for any JSON object header and payload and any signature bytes', () => {
      const object = fc.dictionary(fc.string(), fc.jsonValue());
      fc.assert(
        fc.property(object, object, fc.uint8Array({ maxLength: 600 }), (header, payload, signature) => {
          const input = `${encodeJson(header)}.${encodeJson(payload)}`;
          fc.pre(input.length + signature.length * 2 < MAX_TOKEN_LENGTH);
          const decoded = decodeCompactJws(`${input}.${base64url.encode(signature)}`);
          assert.deepEqual(decoded.header, JSON.parse(JSON.stringify(header)));
          assert.deepEqual(decoded.payload, JSON.parse(JSON.stringify(payload)));
          assert.equal(decoded.signingInput.toString('latin1'), input);
          assert.deepEqual(new Uint8Array(decoded.signature), signature);
          assert.equal(decoded.signatureCanonical, true);
        }),
        { numRuns: 300 },
      );
    });

    it('no change of one character of a valid token is accepted', async () => {
      const alphabet = fc.constantFrom(...B64URL, '.', '=', '+', '/');
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: token.length - 1 }), alphabet, async (position, character) => {
          fc.pre(token[position] !== character);
          const changed = `${token.slice(0, position)}${character}${token.slice(position + 1)}`;
          const result = await outcome(verifier, changed);
          assert.ok(result instanceof InvalidTokenError, `accepted a change at ${position}`);
        }),
        { numRuns: 300 },
      );
    });
  });
});

/** The same bytes spelled with non-zero unused bits in the last character (RFC 4648 §3.5). */
function strayBits(segment: string): string {
  const rest = segment.length % 4;
  assert.ok(rest === 2 || rest === 3, 'the segment has unused bits');
  const last = B64URL.indexOf(segment.charAt(segment.length - 1));
  return `${segment.slice(0, -1)}${B64URL.charAt(last | 1)}`;
}
