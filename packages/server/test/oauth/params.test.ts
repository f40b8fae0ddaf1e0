// RFC 6749 §3.1 / §3.2 single-valued parameters on oauth/params.ts (RU-12, OKTA-COMPAT §1.0).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  collectParameters,
  MAX_PARAMETERS,
  optional,
  REPEATED_PARAMETER_DESCRIPTION,
  rejectRepeated,
  required,
} from '../../src/oauth/params.ts';
import { assertThrowsOAuthError } from '../fixtures/assert-oauth-error.ts';

const REPEATED = { error: 'invalid_request', status: 400, description: REPEATED_PARAMETER_DESCRIPTION };

describe('collectParameters', () => {
  it("keeps Okta's text for repeats", () => {
    assert.equal(
      REPEATED_PARAMETER_DESCRIPTION,
      'The request contained multiple parameters with the same name.',
    );
  });

  it('reads every source and keeps the first value of a name', () => {
    const bag = collectParameters(new URLSearchParams('a=1&b=2'), new URLSearchParams('c=3'));
    assert.equal(bag.get('a'), '1');
    assert.equal(bag.get('c'), '3');
    assert.equal(bag.has('b'), true);
    assert.equal(bag.has('z'), false);
    assert.equal(bag.get('z'), undefined);
    assert.deepEqual([...bag.repeated], []);
  });

  it('decodes form encoding exactly once (RU-13 state is echoed byte for byte)', () => {
    const bag = collectParameters(new URLSearchParams('state=a%25b%2Bc%26d+e%2520'));
    assert.equal(bag.get('state'), 'a%b+c&d e%20');
  });

  describe('RU-12 repeated names', () => {
    for (const [label, sources] of [
      ['twice in the query', ['state=a&state=b']],
      ['twice with the same value', ['state=a&state=a']],
      ['once empty, once set', ['state=&state=a']],
      ['in the query and the body', ['state=a', 'state=b']],
      ['in the query and the body with the same value', ['state=a', 'state=a']],
    ] as const) {
      it(label, () => {
        const bag = collectParameters(...sources.map((source) => new URLSearchParams(source)));
        assert.deepEqual([...bag.repeated], ['state']);
        assertThrowsOAuthError(() => rejectRepeated(bag), REPEATED);
        assertThrowsOAuthError(() => rejectRepeated(bag, ['state']), REPEATED);
      });
    }

    it('names are case-sensitive: State and state are different parameters', () => {
      const bag = collectParameters(new URLSearchParams('state=a&State=b'));
      assert.deepEqual([...bag.repeated], []);
      assert.doesNotThrow(() => rejectRepeated(bag));
    });

    it('rejectRepeated with names ignores repeats of other names', () => {
      const bag = collectParameters(new URLSearchParams('extra=1&extra=2&state=a'));
      assert.doesNotThrow(() => rejectRepeated(bag, ['state', 'client_id']));
      assertThrowsOAuthError(() => rejectRepeated(bag), REPEATED);
    });

    it('the cause names the repeated parameters but is never the description', () => {
      const bag = collectParameters(new URLSearchParams('a=1&a=2&b=1&b=2'));
      const error = assertThrowsOAuthError(() => rejectRepeated(bag), REPEATED);
      assert.equal(error.cause, 'repeated: a, b');
    });
  });

  it(`TE-05 refuses more than ${MAX_PARAMETERS} parameters`, () => {
    const many = (count: number) =>
      new URLSearchParams(Array.from({ length: count }, (_, index) => [`p${index}`, 'x']));
    assert.doesNotThrow(() => collectParameters(many(MAX_PARAMETERS)));
    assertThrowsOAuthError(() => collectParameters(many(MAX_PARAMETERS + 1)), {
      error: 'invalid_request',
      status: 400,
      description: `The request has more than ${MAX_PARAMETERS} parameters.`,
    });
    assertThrowsOAuthError(() => collectParameters(many(60), many(41)), {
      error: 'invalid_request',
      status: 400,
    });
  });

  it('an empty name is never a parameter', () => {
    const bag = collectParameters(new URLSearchParams('=x&a=1'));
    assert.equal(bag.get(''), undefined);
  });
});

describe('optional and required', () => {
  const bag = collectParameters(new URLSearchParams('present=v&empty='));

  it('RFC 6749 §3.1: a parameter without a value is treated as omitted', () => {
    assert.equal(optional(bag, 'present'), 'v');
    assert.equal(optional(bag, 'empty'), undefined);
    assert.equal(optional(bag, 'absent'), undefined);
  });

  for (const name of ['empty', 'absent']) {
    it(`required('${name}') names the missing parameter`, () => {
      assertThrowsOAuthError(() => required(bag, name), {
        error: 'invalid_request',
        status: 400,
        description: `The required parameter '${name}' is missing.`,
      });
    });
  }

  it('required returns a present value', () => assert.equal(required(bag, 'present'), 'v'));
});
