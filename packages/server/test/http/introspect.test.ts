// POST /v1/introspect: SECURITY-MATRIX IN-01; OKTA-COMPAT §1.5 and the §9 introspect checklist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { createAuthorizationServer } from '../../src/services/authorization-servers.ts';
import { redeem } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { expectTokenError } from '../fixtures/token-assertions.ts';
import {
  assertActive,
  assertInactive,
  basicAuth,
  introspect,
  issueTokens,
  onServer,
  postAsClient,
  type Tokens,
} from '../fixtures/token-endpoints.ts';

describe('/v1/introspect', () => {
  let server: TestServer;
  let tokens: Tokens;
  before(async () => {
    server = await startTestServer();
    tokens = await issueTokens(server);
  });
  after(async () => server.close());

  describe('IN-01 client authentication', () => {
    it('IN-01 no client authentication: 401 with exactly Okta body', async () => {
      const response = await postAsClient(
        server,
        '/v1/introspect',
        { token: tokens.access_token },
        { as: null },
      );
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), {
        error: 'invalid_client',
        error_description: 'No client credentials found.',
      });
    });

    it('IN-01 web-conf with a wrong secret: 401 invalid_client with a Basic challenge', async () => {
      const authorization = basicAuth(server.webConf.client.clientId, 'wrong');
      const response = await postAsClient(
        server,
        '/v1/introspect',
        { token: tokens.access_token },
        { as: null, headers: { authorization } },
      );
      await expectTokenError(response, { status: 401, error: 'invalid_client' });
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic /);
    });

    const publicForms: [string, { query?: string; form?: Record<string, string>; header?: string }][] = [
      ['client_id in the body', { form: { client_id: 'ID' } }],
      ['?client_id= in the query', { query: '?client_id=ID' }],
      ['Authorization: Basic base64(client_id), no colon', { header: 'ID' }],
      ['Authorization: Basic base64(client_id:)', { header: 'ID:' }],
    ];
    for (const [label, form] of publicForms) {
      it(`IN-01 a public client may authenticate with ${label}`, async () => {
        const id = server.nativePub.client.clientId;
        const response = await postAsClient(
          server,
          '/v1/introspect',
          { token: tokens.access_token, ...(form.form ? { client_id: id } : {}) },
          {
            as: null,
            ...(form.query ? { query: `?client_id=${id}` } : {}),
            ...(form.header
              ? {
                  headers: {
                    authorization: `Basic ${Buffer.from(form.header.replace('ID', id)).toString('base64')}`,
                  },
                }
              : {}),
          },
        );
        const text = await response.text();
        assert.equal(response.status, 200, text);
        assert.equal(JSON.parse(text).active, true);
      });
    }

    it('IN-01 a confidential client authenticates with client_secret_basic', async () => {
      assert.equal((await introspect(server, tokens.access_token, { as: 'webConf' }))['active'], true);
    });

    it('IN-01 client_id in both the query and the body: 400 invalid_request', async () => {
      const id = server.nativePub.client.clientId;
      const response = await postAsClient(
        server,
        '/v1/introspect',
        { token: tokens.access_token },
        { query: `?client_id=${id}` },
      );
      await expectTokenError(response, {
        status: 400,
        error: 'invalid_request',
        description: 'The request contained multiple parameters with the same name.',
      });
    });

    it("IN-01 no token: 400 invalid_request `The 'token' parameter is required.`", async () => {
      const response = await postAsClient(server, '/v1/introspect', {});
      await expectTokenError(response, {
        status: 400,
        error: 'invalid_request',
        description: "The 'token' parameter is required.",
      });
    });

    it('IN-01 a JSON body: 400 invalid_request', async () => {
      const response = await fetch(server.url('/v1/introspect'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: tokens.access_token, client_id: server.nativePub.client.clientId }),
      });
      await expectTokenError(response, { status: 400, error: 'invalid_request' });
    });
  });

  describe('IN-01 active tokens', () => {
    it('IN-01 an active access token: Okta members, scope a space-separated string', async () => {
      const claims = decodeJwt(tokens.access_token);
      assert.deepEqual(await introspect(server, tokens.access_token), {
        active: true,
        scope: 'openid profile email offline_access',
        username: 'alice@example.com',
        exp: claims.exp,
        iat: claims.iat,
        nbf: claims.iat,
        sub: 'alice@example.com',
        aud: 'api://default',
        iss: server.issuer,
        jti: claims.jti,
        token_type: 'Bearer',
        client_id: server.nativePub.client.clientId,
        uid: server.user.id,
      });
    });

    it('IN-01 an active refresh token: token_type "refresh_token", exp = end of the idle window', async () => {
      const body = await introspect(server, tokens.refresh_token ?? '');
      const { iat } = decodeJwt(tokens.access_token);
      assert.deepEqual(body, {
        active: true,
        scope: 'openid profile email offline_access',
        username: 'alice@example.com',
        exp: (iat ?? 0) + 7 * 24 * 3600,
        iat,
        sub: 'alice@example.com',
        iss: server.issuer,
        token_type: 'refresh_token',
        client_id: server.nativePub.client.clientId,
        uid: server.user.id,
      });
    });

    for (const hint of ['access_token', 'refresh_token', 'id_token', 'bogus']) {
      it(`IN-01 token_type_hint=${hint} only orders the lookup: both tokens still found`, async () => {
        assert.equal((await introspect(server, tokens.access_token, { hint }))['token_type'], 'Bearer');
        assert.equal(
          (await introspect(server, tokens.refresh_token ?? '', { hint }))['token_type'],
          'refresh_token',
        );
      });
    }

    it("IN-01 a confidential client (web-conf, a resource server) introspecting client A's tokens: active", async () => {
      const access = await introspect(server, tokens.access_token, { as: 'webConf' });
      assert.equal(access['active'], true);
      assert.equal(access['client_id'], server.nativePub.client.clientId);
      const refresh = await introspect(server, tokens.refresh_token ?? '', { as: 'webConf' });
      assert.equal(refresh['active'], true);
      assert.equal(refresh['client_id'], server.nativePub.client.clientId);
    });
  });

  describe('IN-01 inactive tokens: exactly {"active":false}', () => {
    for (const caller of ['otherPub', 'spaPub'] as const) {
      it(`IN-01 client B (${caller}, public) introspecting client A's access and refresh tokens`, async () => {
        for (const hint of [undefined, 'access_token', 'refresh_token']) {
          const options = { as: caller, ...(hint === undefined ? {} : { hint }) };
          assert.deepEqual(await introspect(server, tokens.access_token, options), { active: false });
          assert.deepEqual(await introspect(server, tokens.refresh_token ?? '', options), { active: false });
        }
        // Its own tokens it still learns about.
        const own = await issueTokens(server, { client: caller });
        assert.equal((await introspect(server, own.access_token, { as: caller }))['active'], true);
      });
    }

    for (const garbage of [
      'garbage',
      'a.b.c',
      'eyJhbGciOiJSUzI1NiJ9.e30.',
      'x'.repeat(4000),
      '%00',
      'AT.abc',
    ]) {
      it(`IN-01 garbage ${JSON.stringify(garbage.slice(0, 30))}`, async () => {
        await assertInactive(server, garbage);
      });
    }

    it('IN-01 revoked access and refresh tokens', async () => {
      const issued = await issueTokens(server);
      const response = await postAsClient(server, '/v1/revoke', { token: issued.refresh_token ?? '' });
      assert.equal(response.status, 200);
      await assertInactive(server, issued.refresh_token ?? '');
      await assertInactive(server, issued.access_token);
    });

    it("IN-01 foreign-issuer tokens (another authorization server's), both ways", async () => {
      await createAuthorizationServer(server.deps, {
        id: 'foreign',
        name: 'Foreign',
        audience: 'api://default',
      });
      const foreign = onServer(server, 'foreign');
      const theirs = await issueTokens(foreign);
      await assertActive(foreign, theirs.access_token);
      await assertInactive(server, theirs.access_token);
      await assertInactive(server, theirs.refresh_token ?? '');
      await assertInactive(foreign, tokens.access_token);
      await assertInactive(foreign, tokens.refresh_token ?? '');
    });

    it('IN-01 a rotated-out refresh token is inactive; its successor is active', async () => {
      const spa = await issueTokens(server, { client: 'spaPub' });
      const refreshed = await redeem(server, {
        grant_type: 'refresh_token',
        refresh_token: spa.refresh_token ?? '',
        client_id: server.spaPub.client.clientId,
      });
      const next = (await refreshed.json()) as Tokens;
      assert.equal(refreshed.status, 200, JSON.stringify(next));
      assert.notEqual(next.refresh_token, spa.refresh_token);
      await assertInactive(server, spa.refresh_token ?? '', { as: 'spaPub' });
      await assertActive(server, next.refresh_token ?? '', { as: 'spaPub' });
    });

    it('IN-01 a deactivated user: both tokens inactive', async () => {
      const issued = await issueTokens(server);
      await server.deps.store.users.update(server.user.id, { status: 'DEPROVISIONED' });
      try {
        await assertInactive(server, issued.access_token);
        await assertInactive(server, issued.refresh_token ?? '');
      } finally {
        await server.deps.store.users.update(server.user.id, { status: 'ACTIVE' });
      }
    });

    it('IN-01 expired: the access token at exp, the refresh token at the end of its idle window', async () => {
      const issued = await issueTokens(server);
      server.clock.advance(issued.expires_in - 1);
      await assertActive(server, issued.access_token);
      server.clock.advance(1);
      await assertInactive(server, issued.access_token);
      await assertActive(server, issued.refresh_token ?? '');
      server.clock.advance(7 * 24 * 3600 - issued.expires_in);
      await assertInactive(server, issued.refresh_token ?? '');
    });
  });
});
