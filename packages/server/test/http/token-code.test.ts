// SECURITY-MATRIX C, authorization code lifecycle at the token endpoint: AC-01 (reuse), AC-02 (replay
// DoS), AC-03 (expiry), AC-04 (binding). AC-05 is in token-code-confusion.test.ts, AC-06/AC-07 in
// token-code-storage.test.ts, PK-03…PK-06 in token-code-pkce.test.ts.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CookieJar, obtainCode, postForm } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import {
  basic,
  codeFromSession,
  expectTokenError,
  expectTokens,
  type IssuedTokens,
  redeemCode,
  revocationState,
} from '../fixtures/token-assertions.ts';

const INVALID_CODE = 'The authorization code is invalid or has expired.';
const OTHER_CLIENT =
  "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request.";
const REDIRECT_MISMATCH =
  "The 'redirect_uri' does not match the redirection URI used in the authorization request.";
const REPLAYED = { status: 400, error: 'invalid_grant', description: INVALID_CODE };
const ACTIVE = { accessRevoked: false, refreshRevoked: false };
const REVOKED = { accessRevoked: true, refreshRevoked: true };

describe('authorization code lifecycle (AC-01…AC-04)', () => {
  let server: TestServer;
  const jar = new CookieJar();
  before(async () => {
    server = await startTestServer();
    await obtainCode(server, {}, jar); // leaves an SSO session in jar
  });
  after(async () => server.close());

  describe('AC-01 code reuse revokes what the first redemption issued', () => {
    for (const delay of [0, 1, 30]) {
      it(`AC-01 replay after ${delay} s`, async () => {
        const issued = await codeFromSession(server, jar);
        const tokens = await expectTokens(await redeemCode(server, issued));
        assert.deepEqual(await revocationState(server, tokens), ACTIVE);
        server.clock.advance(delay);
        await expectTokenError(await redeemCode(server, issued), REPLAYED);
        assert.deepEqual(await revocationState(server, tokens), REVOKED);
      });
    }

    it('AC-01 after a replay, /v1/introspect reports AT and RT inactive and /v1/userinfo answers 401', async () => {
      const issued = await codeFromSession(server, jar);
      const tokens = await expectTokens(await redeemCode(server, issued));
      const userinfo = () =>
        fetch(server.url('/v1/userinfo'), { headers: { authorization: `Bearer ${tokens.access_token}` } });
      const introspect = async (token: string) => {
        const form = { token, client_id: server.nativePub.client.clientId };
        const response = await postForm(server.url('/v1/introspect'), form);
        assert.equal(response.status, 200);
        return ((await response.json()) as { active: boolean }).active;
      };
      assert.equal((await userinfo()).status, 200);
      assert.equal(await introspect(tokens.access_token), true);
      await expectTokenError(await redeemCode(server, issued), REPLAYED);
      const refused = await userinfo();
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
      assert.equal(await introspect(tokens.access_token), false);
      assert.equal(await introspect(tokens.refresh_token ?? ''), false);
    });

    it('AC-01 20 simultaneous redemptions: exactly one 200, the rest invalid_grant, winner revoked', async () => {
      const issued = await codeFromSession(server, jar);
      const responses = await Promise.all(Array.from({ length: 20 }, () => redeemCode(server, issued)));
      const statuses = responses.map((response) => response.status);
      assert.equal(statuses.filter((status) => status === 200).length, 1, `statuses: ${statuses.join(',')}`);
      assert.equal(statuses.filter((status) => status === 400).length, 19, `statuses: ${statuses.join(',')}`);
      let winner: IssuedTokens | undefined;
      for (const response of responses) {
        if (response.status === 200) winner = await expectTokens(response);
        else await expectTokenError(response, REPLAYED);
      }
      assert.ok(winner);
      assert.deepEqual(await revocationState(server, winner), REVOKED);
    });
  });

  describe('AC-02 a replay with invalid parameters revokes nothing', () => {
    let issued: Awaited<ReturnType<typeof codeFromSession>>;
    let tokens: IssuedTokens;
    before(async () => {
      issued = await codeFromSession(server, jar);
      tokens = await expectTokens(await redeemCode(server, issued));
    });
    type Attempt = [Record<string, string | undefined>, Record<string, string>?];
    const cases: [string, (s: TestServer) => Attempt, number, string][] = [
      ['wrong code_verifier', () => [{ code_verifier: 'x'.repeat(43) }], 400, 'invalid_grant'],
      ['another public client', (s) => [{ client_id: s.otherPub.client.clientId }], 400, 'invalid_grant'],
      ['a public client sending a secret', () => [{ client_secret: 'guess' }], 401, 'invalid_client'],
      ['an unknown client_id', () => [{ client_id: '0oaunknownclient00' }], 401, 'invalid_client'],
      [
        'web-conf with a wrong secret',
        (s) => [{ client_id: undefined }, { authorization: basic(s.webConf.client.clientId, 'wrong') }],
        401,
        'invalid_client',
      ],
    ];
    for (const [name, attempt, status, error] of cases) {
      it(`AC-02 replay with ${name}: ${status} ${error}, the first tokens stay active`, async () => {
        const [overrides, headers] = attempt(server);
        await expectTokenError(await redeemCode(server, issued, overrides, headers), { status, error });
        assert.deepEqual(await revocationState(server, tokens), ACTIVE);
      });
    }
  });

  describe('AC-03 code expiry', () => {
    it('AC-03 default L = 60 s: redeemed at L-1 → 200', async () => {
      const issued = await codeFromSession(server, jar);
      server.clock.advance(59);
      await expectTokens(await redeemCode(server, issued));
    });

    it('AC-03 default L = 60 s: redeemed at L+1 → invalid_grant', async () => {
      const issued = await codeFromSession(server, jar);
      server.clock.advance(61);
      await expectTokenError(await redeemCode(server, issued), REPLAYED);
    });

    it('AC-03 with the server lifetime set to 300 s, a 120 s-old code is accepted', async () => {
      const servers = server.deps.store.authorizationServers;
      assert.ok(await servers.update('default', { codeLifetimeSeconds: 300 }));
      try {
        server.clock.advance(6); // past the 5 s server cache
        const issued = await codeFromSession(server, jar);
        server.clock.advance(120);
        await expectTokens(await redeemCode(server, issued));
      } finally {
        await servers.update('default', { codeLifetimeSeconds: 60 });
        server.clock.advance(6);
      }
    });
  });

  describe('AC-04 code binding; a wrong client or redirect_uri does not burn the code', () => {
    let issued: Awaited<ReturnType<typeof codeFromSession>>;
    before(async () => {
      issued = await codeFromSession(server, jar);
    });
    it('AC-04 redeemed by other-pub → invalid_grant', async () => {
      await expectTokenError(
        await redeemCode(server, issued, { client_id: server.otherPub.client.clientId }),
        {
          status: 400,
          error: 'invalid_grant',
          description: OTHER_CLIENT,
        },
      );
    });
    it('AC-04 redeemed by web-conf with a valid secret → invalid_grant', async () => {
      const { clientId } = server.webConf.client;
      const authorization = basic(clientId, server.webConf.clientSecret);
      await expectTokenError(await redeemCode(server, issued, { client_id: undefined }, { authorization }), {
        status: 400,
        error: 'invalid_grant',
        description: OTHER_CLIENT,
      });
    });
    for (const uri of [
      'com.example.app:/oauth2redirect',
      'http://127.0.0.1:8080/callback',
      'http://127.0.0.1/callback/',
    ]) {
      it(`AC-04 redirect_uri ${uri} instead of the one sent to /authorize → invalid_grant`, async () => {
        await expectTokenError(await redeemCode(server, issued, { redirect_uri: uri }), {
          status: 400,
          error: 'invalid_grant',
          description: REDIRECT_MISMATCH,
        });
      });
    }
    // The matrix row wins over OKTA-COMPAT's generic missing-parameter error: an omitted redirect_uri fails
    // the code's binding (invalid_grant), no tokens are issued and the code survives.
    it('AC-04 redirect_uri omitted → 400 invalid_grant', async () => {
      await expectTokenError(await redeemCode(server, issued, { redirect_uri: undefined }), {
        status: 400,
        error: 'invalid_grant',
        description:
          "The 'redirect_uri' parameter is missing; send the redirection URI used in the authorization request.",
      });
    });
    it('AC-04 the code still works for its own client afterwards', async () => {
      await expectTokens(await redeemCode(server, issued));
    });
  });
});
