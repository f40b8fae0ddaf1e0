// grant_type=refresh_token at /v1/token: the positive path and the binding to client and server
// (SECURITY-MATRIX RT-01, RT-04; OKTA-COMPAT §5). Scope, lifetimes and the user: token-refresh-limits;
// rotation, grace and reuse: token-refresh-rotation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { sealSuccessor, unsealSuccessor } from '../../src/oauth/tokens/refresh-successor.ts';
import { type CreatedApp, createApp } from '../../src/services/apps.ts';
import { createAuthorizationServer } from '../../src/services/authorization-servers.ts';
import {
  expectInvalidRefresh,
  type FixtureClient,
  obtainTokens,
  refresh,
  refreshRowOf,
} from '../fixtures/refresh-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { basic, claimsOf, expectTokenError, expectTokens } from '../fixtures/token-assertions.ts';

const WEEK = 7 * 24 * 3600;

describe('/v1/token grant_type=refresh_token', () => {
  let server: TestServer;
  let otherWeb: CreatedApp;
  let otherServerId: string;
  before(async () => {
    server = await startTestServer();
    // other-pub may refresh too, so that only the binding of the token to its client is tested (RT-04).
    await server.deps.store.clients.update(server.otherPub.client.clientId, {
      grantTypes: ['authorization_code', 'refresh_token'],
    });
    otherWeb = await createApp(server.deps, {
      name: 'Other Web',
      applicationType: 'web',
      redirectUris: ['https://other.example.com/cb'],
      grantTypes: ['refresh_token'],
    });
    otherServerId = (await createAuthorizationServer(server.deps, { name: 'Other', audience: 'api://other' }))
      .id;
  });
  after(async () => server.close());

  it('RT-01 native-pub: new AT, ID token and base64url RT; the ID token keeps iss/sub/aud/auth_time, no nonce', async () => {
    const first = await obtainTokens(server, 'nativePub', { extra: { nonce: 'n-RT-01' } });
    server.clock.advance(10);
    const response = await refresh(server, 'nativePub', first.refresh_token ?? '');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const second = await expectTokens(response);
    assert.equal(second.token_type, 'Bearer');
    assert.equal(second.scope, first.scope);
    assert.match(second.refresh_token ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.notEqual(second.access_token, first.access_token);

    const jwks = createRemoteJWKSet(new URL(server.url('/v1/keys')));
    const clientId = server.nativePub.client.clientId;
    const verify = async (jwt: string | undefined) =>
      (await jwtVerify(jwt ?? '', jwks, { issuer: server.issuer, audience: clientId })).payload;
    const [before, after] = [await verify(first.id_token), await verify(second.id_token)];
    for (const claim of ['iss', 'sub', 'aud', 'azp', 'auth_time', 'amr']) {
      assert.deepEqual(after[claim], before[claim], claim);
    }
    assert.equal(before['nonce'], 'n-RT-01');
    assert.equal('nonce' in after, false);
    assert.equal(after.iat, (before.iat ?? 0) + 10);

    // The new AT belongs to the same grant; the successor continues the family with the same scope.
    const [at0, at1] = [first, second].map((tokens) => String(claimsOf(tokens.access_token).jti));
    const grantOf = async (jti = '') => (await server.deps.store.accessTokens.get(jti))?.grantId;
    assert.equal(await grantOf(at1), await grantOf(at0));
    const [rt0, rt1] = [
      await refreshRowOf(server, first.refresh_token ?? ''),
      await refreshRowOf(server, second.refresh_token ?? ''),
    ];
    assert.deepEqual(
      { familyId: rt1.familyId, grantId: rt1.grantId, generation: rt1.generation, scope: rt1.scope },
      { familyId: rt0.familyId, grantId: rt0.grantId, generation: 1, scope: rt0.scope },
    );
    // Rule 3 / AC-06: the database holds the successor only sealed under the previous raw token.
    assert.ok(rt0.successorSealed !== null && !rt0.successorSealed.includes(second.refresh_token ?? ''));
    assert.equal(await unsealSuccessor(rt0.successorSealed, first.refresh_token ?? ''), second.refresh_token);
    assert.equal(await unsealSuccessor(rt0.successorSealed, second.refresh_token ?? ''), undefined);
  });

  it('RT-01 web-conf (STATIC): the same RT each time, each use restarting the idle window', async () => {
    const first = await obtainTokens(server, 'webConf');
    for (const step of [60, 3600]) {
      server.clock.advance(step);
      const again = await expectTokens(
        await refresh(server, 'webConf', first.refresh_token ?? '', { scope: first.scope }),
      );
      assert.equal(again.refresh_token, first.refresh_token);
      assert.ok(again.id_token);
      const row = await refreshRowOf(server, first.refresh_token ?? '');
      assert.equal(row.idleExpiresAt, server.clock.now() + WEEK);
    }
  });

  it('sealing: a successor sealed under one token opens with that token only', async () => {
    const sealed = await sealSuccessor('successor', 'previous');
    assert.equal(await unsealSuccessor(sealed, 'previous'), 'successor');
    assert.equal(await unsealSuccessor(sealed, 'previouS'), undefined);
    assert.equal(await unsealSuccessor('not-a-jwe', 'previous'), undefined);
  });

  it('an unknown refresh token gets the exact invalid-refresh body; a missing one invalid_request', async () => {
    await expectInvalidRefresh(await refresh(server, 'nativePub', 'unknown-token'));
    await expectTokenError(await refresh(server, 'nativePub', ''), {
      status: 400,
      error: 'invalid_request',
      description: "The required parameter 'refresh_token' is missing.",
    });
  });

  describe('RT-04 a refresh token is bound to its client and its server', () => {
    const post = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ grant_type: 'refresh_token', ...form }),
      });
    const webBasic = (id: string, secret: string | undefined) => ({ authorization: basic(id, secret) });
    const cases: {
      name: string;
      app: FixtureClient;
      status: 400 | 401;
      send: (token: string) => Promise<Response>;
    }[] = [
      {
        name: 'a native-pub RT with client_id=other-pub',
        app: 'nativePub',
        status: 400,
        send: (token) => refresh(server, 'otherPub', token),
      },
      {
        name: 'a native-pub RT at another authorization server',
        app: 'nativePub',
        status: 400,
        send: (token) =>
          post(`${server.baseUrl}/oauth2/${otherServerId}/v1/token`, {
            refresh_token: token,
            client_id: server.nativePub.client.clientId,
          }),
      },
      {
        name: 'a web-conf RT without client authentication',
        app: 'webConf',
        status: 401,
        send: (token) =>
          post(server.url('/v1/token'), { refresh_token: token, client_id: server.webConf.client.clientId }),
      },
      {
        name: 'a web-conf RT with a wrong client secret',
        app: 'webConf',
        status: 401,
        send: (token) =>
          post(
            server.url('/v1/token'),
            { refresh_token: token },
            webBasic(server.webConf.client.clientId, 'x'),
          ),
      },
      {
        name: "a web-conf RT with another web app's credentials",
        app: 'webConf',
        status: 400,
        send: (token) =>
          post(
            server.url('/v1/token'),
            { refresh_token: token },
            webBasic(otherWeb.client.clientId, otherWeb.clientSecret),
          ),
      },
    ];
    for (const testCase of cases) {
      it(`RT-04 ${testCase.name}: ${testCase.status}, and the RT is neither consumed nor revoked`, async () => {
        const token = (await obtainTokens(server, testCase.app)).refresh_token ?? '';
        const response = await testCase.send(token);
        if (testCase.status === 400) await expectInvalidRefresh(response);
        else await expectTokenError(response, { status: 401, error: 'invalid_client' });
        const row = await refreshRowOf(server, token);
        assert.deepEqual([row.rotatedAt, row.revokedAt], [null, null]);
        await expectTokens(await refresh(server, testCase.app, token));
      });
    }
  });
});
