// RFC 6749 §3.3 scope syntax and the grant decision of oauth/scope.ts (OKTA-COMPAT §2.5, RU-11 invalid_scope).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GRANTABLE_RESERVED_SCOPES,
  grantScopes,
  MAX_SCOPE_LENGTH,
  parseScope,
} from '../../src/oauth/scope.ts';
import type { ClientRow, ScopeRow } from '../../src/storage/store.ts';
import { assertThrowsOAuthError } from '../fixtures/assert-oauth-error.ts';

const INVALID_SCOPE_TEXT =
  'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.';
const NO_SCOPES = { error: 'invalid_scope', status: 400, description: 'No scopes were requested.' };

function client(grantTypes: string[]): ClientRow {
  return {
    clientId: '0oatestclient',
    name: 'Test',
    applicationType: 'native',
    tokenEndpointAuthMethod: 'none',
    clientSecretHash: null,
    jwks: null,
    jwksUri: null,
    redirectUris: ['com.example.app:/cb'],
    postLogoutRedirectUris: [],
    grantTypes,
    pkceRequired: true,
    loopbackAnyPort: true,
    consentMethod: 'TRUSTED',
    refreshRotation: 'ROTATE',
    refreshLeewaySeconds: 30,
    logoUri: null,
    status: 'ACTIVE',
    createdAt: 0,
    updatedAt: 0,
  };
}

const CUSTOM: ScopeRow[] = [
  {
    serverId: 'default',
    name: 'orders:read',
    displayName: 'Read orders',
    description: '',
    metadataPublish: 'ALL_CLIENTS',
    createdAt: 0,
  },
];

describe('parseScope', () => {
  for (const [label, value] of [
    ['missing', undefined],
    ['empty', ''],
    ['only spaces', '   '],
  ] as const) {
    it(`RU-11 ${label} scope`, () => void assertThrowsOAuthError(() => parseScope(value), NO_SCOPES));
  }

  it('splits on spaces, drops empty tokens and repeats, keeps order', () => {
    assert.deepEqual(parseScope('openid  profile openid email'), ['openid', 'profile', 'email']);
  });

  it('RU-13 reversed scope order is accepted as is', () => {
    assert.deepEqual(parseScope('email profile openid'), ['email', 'profile', 'openid']);
  });

  it(`accepts exactly ${MAX_SCOPE_LENGTH} characters and refuses one more`, () => {
    const tokens = `openid ${'x'.repeat(MAX_SCOPE_LENGTH - 7)}`;
    assert.equal(tokens.length, MAX_SCOPE_LENGTH);
    assert.equal(parseScope(tokens).length, 2);
    assertThrowsOAuthError(() => parseScope(`${tokens}x`), {
      error: 'invalid_scope',
      status: 400,
      description: `The 'scope' parameter is longer than ${MAX_SCOPE_LENGTH} characters.`,
    });
  });

  describe('malformed scope tokens (RFC 6749 §3.3)', () => {
    for (const value of ['openid "admin"', 'openid a\\b', 'openid\tprofile', 'openid prófile', 'openid\nx']) {
      it(
        JSON.stringify(value),
        () =>
          void assertThrowsOAuthError(() => parseScope(value), {
            error: 'invalid_scope',
            status: 400,
            description: INVALID_SCOPE_TEXT,
          }),
      );
    }
  });
});

describe('grantScopes', () => {
  const refresher = client(['authorization_code', 'refresh_token']);

  it('grants reserved and published custom scopes', () => {
    assert.deepEqual(grantScopes(['openid', 'orders:read', 'email'], refresher, CUSTOM), [
      'openid',
      'orders:read',
      'email',
    ]);
    for (const scope of GRANTABLE_RESERVED_SCOPES)
      assert.deepEqual(grantScopes([scope], refresher, []), [scope]);
  });

  describe('RU-11 scopes the server does not know', () => {
    for (const scopes of [
      ['openid', 'admin'],
      ['groups'],
      ['device_sso'],
      ['okta.users.read'],
      ['ORDERS:READ'],
    ]) {
      it(
        scopes.join(' '),
        () =>
          void assertThrowsOAuthError(() => grantScopes(scopes, refresher, CUSTOM), {
            error: 'invalid_scope',
            status: 400,
            // Okta's text, then the offending names (our addition).
            description: new RegExp(`^${INVALID_SCOPE_TEXT.replace(/[.]/g, '\\.')} Unknown scopes: \\[`),
          }),
      );
    }
  });

  it('drops offline_access for a client without the refresh_token grant (OKTA-COMPAT §2.5)', () => {
    assert.deepEqual(grantScopes(['openid', 'offline_access'], client(['authorization_code']), []), [
      'openid',
    ]);
    assert.deepEqual(grantScopes(['openid', 'offline_access'], refresher, []), ['openid', 'offline_access']);
  });
});
