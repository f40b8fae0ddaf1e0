// SECURITY-MATRIX F, the ID token itself: ID-01 (claims and signature), ID-02 (at_hash), ID-05 (RS256 only),
// ID-06 (scope claims in the ID token and at /v1/userinfo). OIDC Core §2, §3.1.3.6, §5.4;
// OKTA-COMPAT §2.4. prompt / max_age / id_token_hint (ID-03, ID-04) are in id-token-prompt.test.ts.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { computeAtHash } from '../../src/oauth/tokens/id-token.ts';
import { CookieJar, obtainCode } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import {
  claimsOf,
  codeFromSession,
  expectTokens,
  headerOf,
  type IssuedTokens,
  redeemCode,
} from '../fixtures/token-assertions.ts';

/** The claims every ID token carries (OKTA-COMPAT §2.4), before scope claims and nonce. */
const BASE_CLAIMS = ['amr', 'at_hash', 'aud', 'auth_time', 'exp', 'iat', 'idp', 'iss', 'jti', 'sub', 'ver'];

describe('ID token (ID-01, ID-02, ID-05, ID-06)', () => {
  let server: TestServer;
  const jar = new CookieJar();
  before(async () => {
    server = await startTestServer();
    await obtainCode(server, {}, jar);
  });
  after(async () => server.close());

  async function tokensFor(extra: Record<string, string>): Promise<IssuedTokens & { id_token: string }> {
    const tokens = await expectTokens(await redeemCode(server, await codeFromSession(server, jar, extra)));
    assert.equal(typeof tokens.id_token, 'string');
    return tokens as IssuedTokens & { id_token: string };
  }

  describe('ID-01 claims and signature', () => {
    for (const nonce of ['n-0S6_WzA2Mj', undefined]) {
      it(`ID-01 ${nonce ? 'with' : 'without'} nonce: RS256, kid in /keys, iss, aud, times, nonce ${nonce ? 'echoed' : 'absent'}`, async () => {
        const { id_token: idToken } = await tokensFor(nonce ? { nonce } : {});
        const header = headerOf(idToken);
        assert.equal(header.alg, 'RS256');
        const keys = (await (await fetch(server.url('/v1/keys'))).json()) as { keys: { kid: string }[] };
        assert.ok(
          keys.keys.some((key) => key.kid === header.kid),
          `kid ${header.kid} is published`,
        );
        const discovery = (await (await fetch(server.url('/.well-known/openid-configuration'))).json()) as {
          issuer: string;
        };
        const clientId = server.nativePub.client.clientId;
        const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(server.url('/v1/keys'))), {
          algorithms: ['RS256'],
          issuer: discovery.issuer,
          audience: clientId,
          currentDate: new Date(server.clock.now() * 1000),
        });
        assert.equal(payload.iss, server.issuer);
        assert.equal(payload.aud, clientId, 'aud is the client id as a plain string');
        assert.equal(payload.sub, server.user.id);
        assert.match(payload.sub ?? '', /^[\x21-\x7e]{1,255}$/);
        const iat = payload.iat ?? 0;
        assert.ok(Math.abs(iat - server.clock.now()) <= 5, 'iat is the server time');
        assert.equal(payload.exp, iat + 3600);
        assert.equal(payload['nonce'], nonce);
        assert.equal('nonce' in payload, nonce !== undefined);
        assert.equal('azp' in payload, false, 'no azp with a single audience');
        assert.equal('nbf' in payload, false);
        assert.match(String(payload.jti), /^ID\.[A-Za-z0-9_-]{43}$/);
        assert.equal(payload['ver'], 1);
        assert.deepEqual(payload['amr'], ['pwd']);
        assert.equal(typeof payload['idp'], 'string');
        const authTime = payload['auth_time'];
        assert.ok(typeof authTime === 'number' && authTime <= iat);
      });
    }

    it('ID-01 sub is stable per user: a second ID token names the same subject', async () => {
      const [a, b] = [await tokensFor({}), await tokensFor({})];
      assert.equal(claimsOf(a.id_token).sub, claimsOf(b.id_token).sub);
      assert.notEqual(claimsOf(a.id_token).jti, claimsOf(b.id_token).jti);
    });
  });

  describe('ID-02 at_hash', () => {
    it('ID-02 at_hash is base64url of the left half of SHA-256 of the access token', async () => {
      const tokens = await tokensFor({});
      const expected = createHash('sha256').update(tokens.access_token, 'ascii').digest().subarray(0, 16);
      assert.equal(claimsOf(tokens.id_token)['at_hash'], expected.toString('base64url'));
      assert.equal(claimsOf(tokens.id_token)['at_hash'], computeAtHash(tokens.access_token));
    });

    it('ID-02 the OIDC test vector', () => {
      assert.equal(computeAtHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y'), '77QmUPtjPfzWtF2AnpK9RQ');
    });
  });

  it('ID-05 ID tokens are RS256 only: discovery lists exactly ["RS256"] (no client setting can ask for none)', async () => {
    const discovery = (await (await fetch(server.url('/.well-known/openid-configuration'))).json()) as Record<
      string,
      unknown
    >;
    assert.deepEqual(discovery['id_token_signing_alg_values_supported'], ['RS256']);
    assert.equal(headerOf((await tokensFor({})).id_token).alg, 'RS256');
  });

  describe('ID-06 scope claims', () => {
    const cases: [string, Record<string, string>, Record<string, (s: TestServer) => string>][] = [
      ['openid', {}, {}],
      ['openid profile', {}, { name: (s) => s.user.name, preferred_username: (s) => s.user.login }],
      ['openid email', {}, { email: (s) => s.user.email }],
      [
        'openid profile email address phone',
        {},
        { name: (s) => s.user.name, preferred_username: (s) => s.user.login, email: (s) => s.user.email },
      ],
      ['openid', { claims: JSON.stringify({ userinfo: { name: { essential: true } } }) }, {}],
    ];
    for (const [scope, extra, expected] of cases) {
      const label = extra['claims'] ? `${scope} with claims={"userinfo":{"name":…}}` : scope;
      it(`ID-06 scope=${label}: exactly the claims of the granted scopes`, async () => {
        const tokens = await tokensFor({ scope, ...extra });
        assert.equal(tokens.scope, scope);
        const claims: JWTPayload = claimsOf(tokens.id_token);
        assert.deepEqual(Object.keys(claims).sort(), [...BASE_CLAIMS, ...Object.keys(expected)].sort());
        for (const [name, value] of Object.entries(expected)) assert.equal(claims[name], value(server), name);
        assert.equal('email_verified' in claims, false);
      });
    }

    const userinfoCases: [string, string[]][] = [
      [
        'openid profile email address phone',
        ['name', 'preferred_username', 'updated_at', 'email', 'email_verified'],
      ],
      ['openid email', ['email', 'email_verified']],
    ];
    for (const [scope, present] of userinfoCases) {
      it(`ID-06 /v1/userinfo for scope=${scope}: same sub, the scopes' claims with their JSON types`, async () => {
        const tokens = await tokensFor({ scope });
        const response = await fetch(server.url('/v1/userinfo'), {
          headers: { authorization: `Bearer ${tokens.access_token}` },
        });
        assert.equal(response.status, 200);
        const info = (await response.json()) as Record<string, unknown>;
        assert.equal(info['sub'], claimsOf(tokens.id_token).sub);
        for (const name of present) assert.ok(name in info, `${name} present`);
        if ('email_verified' in info) assert.equal(typeof info['email_verified'], 'boolean');
        if ('updated_at' in info) assert.equal(typeof info['updated_at'], 'number');
        const profileClaims = ['name', 'given_name', 'family_name', 'preferred_username', 'updated_at'];
        if (!scope.includes('profile'))
          for (const name of profileClaims) assert.equal(name in info, false, name);
        // The fixture user has no address or phone number, so those scopes add nothing (OKTA-COMPAT §1.4).
        assert.equal('address' in info || 'phone_number' in info, false);
      });
    }
  });
});
