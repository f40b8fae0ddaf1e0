// RFC 7636 on the pure functions of oauth/pkce.ts: the Appendix B vector (PK-03), the challenge rules of
// /authorize (PK-02) and the verifier rules of /token (PK-04, PK-05, PK-06), plus properties over any verifier.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  computeS256Challenge,
  SUPPORTED_CHALLENGE_METHODS,
  validateCodeChallenge,
  verifyCodeVerifier,
} from '../../src/oauth/pkce.ts';
import { assertThrowsOAuthError } from '../fixtures/assert-oauth-error.ts';

const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const METHOD_NOT_SUPPORTED = {
  error: 'invalid_request',
  status: 400,
  description: 'PKCE code challenge method is not supported. Valid values: [S256]',
};
const ILLEGAL_CHARACTERS = {
  error: 'invalid_request',
  status: 400,
  description: 'PKCE code challenge contains illegal characters.',
};
const WRONG_LENGTH = {
  error: 'invalid_request',
  status: 400,
  description: 'PKCE code challenge must be 43 characters: BASE64URL(SHA256(code_verifier)) without padding.',
};
const MALFORMED_VERIFIER = {
  error: 'invalid_request',
  status: 400,
  description: 'PKCE verification failed: code_verifier must be 43-128 characters from [A-Za-z0-9._~-].',
};
const VERIFICATION_FAILED = { error: 'invalid_grant', status: 400, description: 'PKCE verification failed.' };

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
const verifierArbitrary = fc.string({ unit: fc.constantFrom(...UNRESERVED), minLength: 43, maxLength: 128 });

describe('PKCE (RFC 7636)', () => {
  it('PK-03 RFC 7636 Appendix B vector', () => {
    assert.equal(computeS256Challenge(RFC_VERIFIER), RFC_CHALLENGE);
    assert.doesNotThrow(() => validateCodeChallenge(RFC_CHALLENGE, 'S256'));
    assert.doesNotThrow(() => verifyCodeVerifier(RFC_VERIFIER, RFC_CHALLENGE));
  });

  it('PK-02 only S256 is supported', () => {
    assert.deepEqual([...SUPPORTED_CHALLENGE_METHODS], ['S256']);
  });

  describe('PK-02 challenge method', () => {
    for (const method of ['plain', undefined, 'S512', 's256', 'S256 ', 'sha256', 'S-256']) {
      it(`code_challenge_method=${String(method)}`, () => {
        assertThrowsOAuthError(() => validateCodeChallenge(RFC_CHALLENGE, method), METHOD_NOT_SUPPORTED);
      });
    }
  });

  describe('PK-02 challenge format', () => {
    const base = RFC_CHALLENGE;
    for (const [label, challenge, expected] of [
      ['length 42', base.slice(0, 42), WRONG_LENGTH],
      ['length 44', `${base}A`, WRONG_LENGTH],
      ['length 129', 'A'.repeat(129), WRONG_LENGTH],
      ['length 1', 'A', WRONG_LENGTH],
      ['standard base64 +', `${base.slice(0, 42)}+`, ILLEGAL_CHARACTERS],
      ['standard base64 /', `/${base.slice(1)}`, ILLEGAL_CHARACTERS],
      ['padding =', `${base}=`, ILLEGAL_CHARACTERS],
      ['a space', `${base.slice(0, 21)} ${base.slice(22)}`, ILLEGAL_CHARACTERS],
      ['non-ASCII', `${base.slice(0, 42)}é`, ILLEGAL_CHARACTERS],
      ['a percent sign', `${base.slice(0, 42)}%`, ILLEGAL_CHARACTERS],
      ['a NUL byte', `${base.slice(0, 42)}\u0000`, ILLEGAL_CHARACTERS],
    ] as const) {
      it(label, () => void assertThrowsOAuthError(() => validateCodeChallenge(challenge, 'S256'), expected));
    }
  });

  describe('verifyCodeVerifier', () => {
    it('PK-04 a challenge was stored but no verifier is sent', () => {
      assertThrowsOAuthError(() => verifyCodeVerifier(undefined, RFC_CHALLENGE), {
        error: 'invalid_request',
        status: 400,
        description: 'PKCE code verifier is required by the application.',
      });
    });

    describe('PK-04 malformed verifier', () => {
      for (const [label, verifier] of [
        ['length 42', 'a'.repeat(42)],
        ['length 129', 'a'.repeat(129)],
        ['empty', ''],
        ['a space', `${RFC_VERIFIER.slice(0, 42)} `],
        ['a plus', `${RFC_VERIFIER.slice(0, 42)}+`],
        ['a slash', `${RFC_VERIFIER.slice(0, 42)}/`],
        ['padding', `${RFC_VERIFIER}=`],
        ['non-ASCII', `${RFC_VERIFIER.slice(0, 42)}ü`],
      ] as const) {
        it(
          label,
          () =>
            void assertThrowsOAuthError(
              () => verifyCodeVerifier(verifier, RFC_CHALLENGE),
              MALFORMED_VERIFIER,
            ),
        );
      }
    });

    describe('PK-05 wrong verifier', () => {
      for (const [label, verifier] of [
        ['a different well-formed verifier', 'a'.repeat(43)],
        ['the challenge string itself', RFC_CHALLENGE],
        ['the verifier with one character changed', `${RFC_VERIFIER.slice(0, 42)}l`],
        ['the verifier in upper case', RFC_VERIFIER.toUpperCase()],
        ['the verifier with a suffix', `${RFC_VERIFIER}A`],
      ] as const) {
        it(
          label,
          () =>
            void assertThrowsOAuthError(
              () => verifyCodeVerifier(verifier, RFC_CHALLENGE),
              VERIFICATION_FAILED,
            ),
        );
      }
    });

    it('PK-06 a verifier without a stored challenge is refused', () => {
      assertThrowsOAuthError(() => verifyCodeVerifier(RFC_VERIFIER, null), {
        error: 'invalid_request',
        status: 400,
        description:
          'PKCE code challenge should be specified in the authorize request for code verification.',
      });
    });

    it('PK-06 no verifier and no stored challenge (confidential client without PKCE) passes', () => {
      assert.doesNotThrow(() => verifyCodeVerifier(undefined, null));
    });
  });

  describe('properties', () => {
    it('PK-03 any 43-128 unreserved verifier verifies against its own S256 challenge', () => {
      fc.assert(
        fc.property(verifierArbitrary, (verifier) => {
          const challenge = computeS256Challenge(verifier);
          validateCodeChallenge(challenge, 'S256');
          verifyCodeVerifier(verifier, challenge);
        }),
        { numRuns: 300 },
      );
    });

    it("PK-05 a verifier never verifies against another verifier's challenge", () => {
      fc.assert(
        fc.property(verifierArbitrary, verifierArbitrary, (verifier, other) => {
          fc.pre(verifier !== other);
          assertThrowsOAuthError(
            () => verifyCodeVerifier(verifier, computeS256Challenge(other)),
            VERIFICATION_FAILED,
          );
        }),
        { numRuns: 300 },
      );
    });

    it('PK-04 a verifier with any character outside the unreserved set is malformed', () => {
      const outside = fc
        .integer({ min: 0, max: 0xd7ff })
        .map((code) => String.fromCharCode(code))
        .filter((char) => !UNRESERVED.includes(char));
      fc.assert(
        fc.property(verifierArbitrary, outside, fc.nat(), (verifier, char, position) => {
          const index = position % verifier.length;
          const tampered = verifier.slice(0, index) + char + verifier.slice(index + 1);
          assertThrowsOAuthError(() => verifyCodeVerifier(tampered, RFC_CHALLENGE), MALFORMED_VERIFIER);
        }),
        { numRuns: 300 },
      );
    });
  });
});
