// GET|POST /v1/userinfo: SECURITY-MATRIX UI-01, UI-02; OKTA-COMPAT §1.4 and the §9 userinfo checklist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { createAuthorizationServer } from '../../src/services/authorization-servers.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { issueTokens, onServer, postAsClient, type Tokens, userinfo } from '../fixtures/token-endpoints.ts';

const INVALID_TOKEN = 'Bearer error="invalid_token", error_description="The access token is invalid"';
const NO_USERINFO_SCOPE =
  'Bearer error="insufficient_scope", error_description="The access token must provide access to at least one of these scopes - profile, email, address or phone"';

async function expectBearerError(response: Response, status: number, challenge: string): Promise<void> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.equal(response.headers.get('www-authenticate'), challenge);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const error = /error="([^"]+)"/.exec(challenge)?.[1];
  assert.equal((JSON.parse(text) as { error: string }).error, error);
}

describe('/v1/userinfo', () => {
  let server: TestServer;
  let tokens: Tokens;
  before(async () => {
    server = await startTestServer();
    tokens = await issueTokens(server, { scope: 'openid profile email offline_access' });
  });
  after(async () => server.close());

  describe('UI-01 bearer header accepted, other token locations refused', () => {
    for (const method of ['GET', 'POST'] as const) {
      it(`UI-01 ${method} with Authorization: Bearer returns the scopes' claims, sub = ID token sub`, async () => {
        const response = await userinfo(server, tokens.access_token, { method });
        const text = await response.text();
        assert.equal(response.status, 200, text);
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
        assert.equal(response.headers.get('cache-control'), 'no-store');
        const body = JSON.parse(text) as Record<string, unknown>;
        assert.equal(body['sub'], decodeJwt(tokens.id_token ?? '').sub);
        assert.deepEqual(body, {
          sub: server.user.id,
          name: 'Alice Liddell',
          given_name: 'Alice',
          family_name: 'Liddell',
          preferred_username: 'alice@example.com',
          updated_at: server.user.updatedAt,
          email: 'alice@example.com',
          email_verified: false,
        });
      });
    }

    it('UI-01 POST with a form access_token: 400 invalid_request (our pinned choice)', async () => {
      const response = await userinfo(server, undefined, {
        method: 'POST',
        body: new URLSearchParams({ access_token: tokens.access_token }).toString(),
      });
      await expectBearerError(
        response,
        400,
        'Bearer error="invalid_request", error_description="The access token must be sent in the Authorization header, not in the request body."',
      );
    });

    for (const [label, withHeader] of [
      ['alone', false],
      ['beside a valid header', true],
    ] as const) {
      it(`UI-01 ?access_token= in the query string (${label}): 400, never 200`, async () => {
        const query = `?${new URLSearchParams({ access_token: tokens.access_token })}`;
        const response = await userinfo(server, withHeader ? tokens.access_token : undefined, { query });
        await expectBearerError(
          response,
          400,
          'Bearer error="invalid_request", error_description="The access token cannot be presented in a query string."',
        );
      });
    }
  });

  describe('claims follow the granted scopes', () => {
    const cases: [string, string[]][] = [
      ['openid email', ['sub', 'email', 'email_verified']],
      ['openid profile', ['sub', 'name', 'given_name', 'family_name', 'preferred_username', 'updated_at']],
      ['openid address', ['sub']],
      ['openid phone', ['sub']],
    ];
    for (const [scope, claims] of cases) {
      it(`scope "${scope}" yields ${claims.join(', ')}`, async () => {
        const issued = await issueTokens(server, { scope });
        const response = await userinfo(server, issued.access_token);
        const body = (await response.json()) as Record<string, unknown>;
        assert.equal(response.status, 200, JSON.stringify(body));
        assert.deepEqual(Object.keys(body).sort(), [...claims].sort());
        assert.equal(typeof body['updated_at'], claims.includes('updated_at') ? 'number' : 'undefined');
      });
    }
  });

  describe("CORS (OKTA-COMPAT §1.0): the token client's origins only", () => {
    it("echoes the origin of spa-pub's redirect URI for spa-pub's token", async () => {
      const spa = await issueTokens(server, { client: 'spaPub' });
      const response = await userinfo(server, spa.access_token, {
        headers: { origin: 'http://localhost:8080' },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:8080');
      assert.match(response.headers.get('vary') ?? '', /Origin/);
      assert.match(response.headers.get('access-control-expose-headers') ?? '', /WWW-Authenticate/);
    });

    it("sends no CORS grant to another origin, or to spa-pub's origin for native-pub's token", async () => {
      const spa = await issueTokens(server, { client: 'spaPub' });
      for (const [token, origin] of [
        [spa.access_token, 'https://evil.example'],
        [tokens.access_token, 'http://localhost:8080'],
      ] as const) {
        const response = await userinfo(server, token, { headers: { origin } });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('access-control-allow-origin'), null, origin);
      }
    });

    it('answers the preflight okta-auth-js sends', async () => {
      const response = await fetch(server.url('/v1/userinfo'), {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:8080',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization, x-okta-user-agent-extended',
        },
      });
      assert.equal(response.status, 204);
      assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:8080');
      assert.match(response.headers.get('access-control-allow-headers') ?? '', /Authorization/);
      assert.match(response.headers.get('access-control-allow-headers') ?? '', /X-Okta-User-Agent-Extended/);
    });

    it('lets the app read an invalid_token challenge (our decision)', async () => {
      const response = await userinfo(server, 'garbage', { headers: { origin: 'http://localhost:8080' } });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:8080');
    });
  });

  describe('UI-02 errors', () => {
    it('UI-02 no token: 401 with a bare Bearer realm challenge, no error code', async () => {
      const response = await userinfo(server, undefined);
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), `Bearer realm="${server.issuer}"`);
      assert.equal(await response.text(), '');
    });

    it('UI-02 another scheme (Basic) counts as no bearer token', async () => {
      const response = await userinfo(server, undefined, { headers: { authorization: 'Basic YTpi' } });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), `Bearer realm="${server.issuer}"`);
    });

    for (const malformed of [
      'Bearer',
      'Bearer ',
      'Bearer a b',
      'Bearer "quoted"',
      'Bearer tok%en',
      'Bearer ==x',
    ]) {
      it(`UI-02 malformed header ${JSON.stringify(malformed)}: 401 invalid_token`, async () => {
        const response = await userinfo(server, undefined, { headers: { authorization: malformed } });
        await expectBearerError(response, 401, INVALID_TOKEN);
      });
    }

    it('UI-02 garbage token: 401 invalid_token', async () => {
      await expectBearerError(await userinfo(server, 'not.a.token'), 401, INVALID_TOKEN);
    });

    it('UI-02 revoked token: 401 invalid_token', async () => {
      const issued = await issueTokens(server);
      const revoked = await postAsClient(server, '/v1/revoke', { token: issued.access_token });
      assert.equal(revoked.status, 200);
      await expectBearerError(await userinfo(server, issued.access_token), 401, INVALID_TOKEN);
    });

    it("UI-02 foreign token (another authorization server's): 401 invalid_token", async () => {
      await createAuthorizationServer(server.deps, {
        id: 'foreign',
        name: 'Foreign',
        audience: 'api://default',
      });
      const foreign = await issueTokens(onServer(server, 'foreign'));
      assert.equal((await userinfo(onServer(server, 'foreign'), foreign.access_token)).status, 200);
      await expectBearerError(await userinfo(server, foreign.access_token), 401, INVALID_TOKEN);
    });

    it('UI-02 token of a user deactivated since: 401 invalid_token', async () => {
      const issued = await issueTokens(server);
      await server.deps.store.users.update(server.user.id, { status: 'DEPROVISIONED' });
      try {
        await expectBearerError(await userinfo(server, issued.access_token), 401, INVALID_TOKEN);
      } finally {
        await server.deps.store.users.update(server.user.id, { status: 'ACTIVE' });
      }
    });

    it('UI-02 none of profile/email/address/phone: 403 insufficient_scope with Okta text', async () => {
      const issued = await issueTokens(server, { scope: 'openid offline_access' });
      await expectBearerError(await userinfo(server, issued.access_token), 403, NO_USERINFO_SCOPE);
    });

    it('UI-02 an AT without the openid scope: 403 insufficient_scope', async () => {
      const issued = await issueTokens(server, { scope: 'profile email' });
      await expectBearerError(
        await userinfo(server, issued.access_token),
        403,
        `Bearer error="insufficient_scope", error_description="The access token must provide access to the 'openid' scope."`,
      );
    });

    it('UI-02 expired token: 200 one second before exp, 401 invalid_token at exp', async () => {
      const issued = await issueTokens(server);
      server.clock.advance(issued.expires_in - 1);
      assert.equal((await userinfo(server, issued.access_token)).status, 200);
      server.clock.advance(1);
      await expectBearerError(await userinfo(server, issued.access_token), 401, INVALID_TOKEN);
    });
  });
});
