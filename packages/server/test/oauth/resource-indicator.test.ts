// RFC 8707 §2 resource indicators, table-driven: which values are resources, which a server allows, and
// that a grant's resource may be repeated but never widened.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectParameters } from '../../src/oauth/params.ts';
import {
  checkDeclaredResources,
  requestedResource,
  resourceUriProblem,
  resourceWithinGrant,
} from '../../src/oauth/resource-indicator.ts';
import { assertThrowsOAuthError } from '../fixtures/assert-oauth-error.ts';

const SERVER = { id: 'default', audience: 'api://default', resources: ['https://api.example.com/'] };
const bag = (query: string) => collectParameters(new URLSearchParams(query));

describe('resource indicators (RFC 8707)', () => {
  it('RI-13 absolute URIs without a fragment are resources; anything else says why not', () => {
    const cases: [string, RegExp | undefined][] = [
      ['https://api.example.com/', undefined],
      ['https://api.example.com/v1?tenant=a', undefined],
      ['urn:example:api', undefined],
      ['api://default', undefined],
      ['/relative', /absolute URI/],
      ['api.example.com', /absolute URI/],
      ['https://api.example.com/ x', /absolute URI/],
      ['https://api.example.com/#frag', /fragment/],
      [`https://api.example.com/${'a'.repeat(2100)}`, /longer than 2048/],
    ];
    for (const [uri, problem] of cases) {
      const found = resourceUriProblem(uri);
      if (problem === undefined) assert.equal(found, undefined, uri);
      else assert.match(found ?? '', problem, uri);
    }
    assert.deepEqual(checkDeclaredResources(['https://a.example/', 'https://a.example/']), {
      resources: ['https://a.example/'],
    });
    assert.ok('problem' in checkDeclaredResources(['https://a.example/#x']));
  });

  it('RI-14 the audience and declared resources are allowed; the rest is invalid_target', () => {
    assert.equal(requestedResource(bag(''), SERVER), undefined);
    assert.equal(requestedResource(bag('resource=api%3A%2F%2Fdefault'), SERVER), 'api://default');
    assert.equal(
      requestedResource(bag('resource=https%3A%2F%2Fapi.example.com%2F'), SERVER),
      'https://api.example.com/',
    );
    for (const query of [
      'resource=https%3A%2F%2Fother.example%2F',
      'resource=relative',
      'resource=https%3A%2F%2Fapi.example.com%2F%23x',
      'resource=https%3A%2F%2Fapi.example.com%2F&resource=api%3A%2F%2Fdefault',
      'resource=%22quoted%22%3Aevil',
    ]) {
      const error = assertThrowsOAuthError(() => requestedResource(bag(query), SERVER), {
        error: 'invalid_target',
        status: 400,
      });
      // RFC 6749 §5.2: error_description stays within %x20-21 / %x23-5B / %x5D-7E.
      assert.match(error.description, /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/, query);
    }
  });

  it('RI-15 a token request may repeat the grant resource or leave it out, never name another', () => {
    assert.equal(
      resourceWithinGrant(bag(''), SERVER, 'https://api.example.com/'),
      'https://api.example.com/',
    );
    assert.equal(
      resourceWithinGrant(
        bag('resource=https%3A%2F%2Fapi.example.com%2F'),
        SERVER,
        'https://api.example.com/',
      ),
      'https://api.example.com/',
    );
    assert.equal(resourceWithinGrant(bag('resource=api%3A%2F%2Fdefault'), SERVER, null), null);
    assertThrowsOAuthError(
      () => resourceWithinGrant(bag('resource=https%3A%2F%2Fapi.example.com%2F'), SERVER, null),
      {
        error: 'invalid_target',
        status: 400,
      },
    );
    assertThrowsOAuthError(
      () => resourceWithinGrant(bag('resource=api%3A%2F%2Fdefault'), SERVER, 'https://api.example.com/'),
      { error: 'invalid_target', status: 400 },
    );
  });
});
