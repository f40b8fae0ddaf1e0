// RFC 7636: the Appendix B vector, verifier length and alphabet (§4.1), entropy (§7.1).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeCodeChallenge, generateCodeVerifier, generatePkce } from '../src/index.ts';

const UNRESERVED = /^[A-Za-z0-9._~-]+$/;

describe('PKCE', () => {
  it('reproduces the RFC 7636 Appendix B vector with an injected verifier', async () => {
    const pair = await generatePkce({ verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' });
    assert.deepEqual(pair, {
      verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      method: 'S256',
    });
  });

  it('generates 43-character verifiers of unreserved characters from 32 random bytes, never twice the same', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { verifier, challenge } = await generatePkce();
      assert.equal(verifier.length, 43);
      assert.match(verifier, UNRESERVED);
      assert.equal(challenge.length, 43);
      assert.equal(challenge, await computeCodeChallenge(verifier));
      seen.add(verifier);
    }
    assert.equal(seen.size, 50);
  });

  it('makes verifiers up to 128 characters (96 bytes) and refuses fewer than 32 bytes or more than 96', () => {
    assert.equal(generateCodeVerifier(96).length, 128);
    assert.equal(generateCodeVerifier(64).length, 86);
    for (const bytes of [0, 16, 31, 97, 32.5]) {
      assert.throws(() => generateCodeVerifier(bytes), RangeError, `byteLength ${bytes}`);
    }
  });

  for (const [name, verifier] of [
    ['42 characters', 'a'.repeat(42)],
    ['129 characters', 'a'.repeat(129)],
    ['a space', `${'a'.repeat(42)} `],
    ['a plus sign', `${'a'.repeat(42)}+`],
    ['a slash', `${'a'.repeat(42)}/`],
    ['padding', `${'a'.repeat(42)}=`],
  ] as const) {
    it(`refuses an injected verifier with ${name}`, async () => {
      await assert.rejects(generatePkce({ verifier }), RangeError);
    });
  }
});
