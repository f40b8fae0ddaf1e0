// POST /v1/revoke: SECURITY-MATRIX RV-01, RV-02; OKTA-COMPAT §1.6 and the §9 revoke checklist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { redeem } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { expectTokenError } from '../fixtures/token-assertions.ts';
import {
  assertActive,
  assertInactive,
  basicAuth,
  type FixtureClient,
  issueTokens,
  postAsClient,
  type Tokens,
  userinfo,
} from '../fixtures/token-endpoints.ts';

async function expectEmpty200(response: Response): Promise<void> {
  const text = await response.text();
  assert.equal(response.status, 200, text);
  assert.equal(text, '');
}

async function refresh(
  server: TestServer,
  tokens: Tokens,
  client: FixtureClient = 'nativePub',
): Promise<Response> {
  return redeem(server, {
    grant_type: 'refresh_token',
    refresh_token: tokens.refresh_token ?? '',
    client_id: server[client].client.clientId,
  });
}

describe('/v1/revoke', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  describe('RV-01 revoking a refresh token revokes its grant', () => {
    it('RV-01 the RT and every AT of its grant (issued and refreshed) become inactive', async () => {
      const tokens = await issueTokens(server);
      const refreshed = await refresh(server, tokens);
      const second = (await refreshed.json()) as Tokens;
      assert.equal(refreshed.status, 200, JSON.stringify(second));
      const other = await issueTokens(server);

      await expectEmpty200(await postAsClient(server, '/v1/revoke', { token: tokens.refresh_token ?? '' }));

      for (const token of [tokens.refresh_token ?? '', tokens.access_token, second.access_token]) {
        await assertInactive(server, token);
      }
      assert.equal((await userinfo(server, second.access_token)).status, 401);
      await expectTokenError(await refresh(server, tokens), {
        status: 400,
        error: 'invalid_grant',
        description: 'The refresh token is invalid or expired.',
      });
      // Another grant of the same user and client is untouched.
      await assertActive(server, other.access_token);
      await assertActive(server, other.refresh_token ?? '');
    });

    it('RV-01 a confidential client (web-conf, client_secret_basic) revokes its RT', async () => {
      const tokens = await issueTokens(server, { client: 'webConf' });
      await expectEmpty200(
        await postAsClient(server, '/v1/revoke', { token: tokens.refresh_token ?? '' }, { as: 'webConf' }),
      );
      await assertInactive(server, tokens.refresh_token ?? '');
      await assertInactive(server, tokens.access_token);
    });

    it('RV-01 revoking an access token revokes that token only', async () => {
      const tokens = await issueTokens(server);
      const refreshed = (await (await refresh(server, tokens)).json()) as Tokens;
      await expectEmpty200(await postAsClient(server, '/v1/revoke', { token: tokens.access_token }));
      await assertInactive(server, tokens.access_token);
      // The sibling access token of the same grant and the grant's current refresh token live on.
      await assertActive(server, refreshed.access_token);
      await assertActive(server, refreshed.refresh_token ?? tokens.refresh_token ?? '');
    });

    it('RV-01 records the revocation in the system log, never the token', async () => {
      const revocations = async () =>
        (
          await server.deps.store.events.list({ clientId: server.nativePub.client.clientId, limit: 500 })
        ).filter((event) => event.type === 'app.oauth2.as.token.revoke');
      const tokens = await issueTokens(server);
      const before = await revocations();
      await expectEmpty200(await postAsClient(server, '/v1/revoke', { token: tokens.refresh_token ?? '' }));
      const added = (await revocations()).filter((event) => !before.some((old) => old.id === event.id));
      assert.equal(added.length, 1);
      assert.equal(added[0]?.outcome, 'SUCCESS');
      assert.equal(added[0]?.userId, server.user.id);
      for (const token of [tokens.refresh_token ?? '', tokens.access_token]) {
        assert.ok(!JSON.stringify(added[0]).includes(token));
      }
    });
  });

  describe('RV-02 edge cases', () => {
    const clientForms: [
      string,
      (id: string) => { form?: Record<string, string>; query?: string; header?: string },
    ][] = [
      ['client_id in the body', (id) => ({ form: { client_id: id } })],
      ['?client_id= in the query', (id) => ({ query: `?client_id=${id}` })],
      ['Basic base64(client_id), no colon (okta-auth-js)', (id) => ({ header: basicAuth(id) })],
      ['Basic base64(client_id:)', (id) => ({ header: `Basic ${Buffer.from(`${id}:`).toString('base64')}` })],
    ];
    for (const [label, make] of clientForms) {
      it(`RV-02 a public client authenticating with ${label} revokes its token`, async () => {
        const tokens = await issueTokens(server);
        const how = make(server.nativePub.client.clientId);
        const response = await postAsClient(
          server,
          '/v1/revoke',
          { token: tokens.access_token, ...how.form },
          {
            as: null,
            ...(how.query ? { query: how.query } : {}),
            headers: how.header ? { authorization: how.header } : {},
          },
        );
        await expectEmpty200(response);
        await assertInactive(server, tokens.access_token);
      });
    }

    const unknown: [string, string][] = [
      ['an unknown opaque token', 'kT3mYH0Yb6Q2gq9f2c1u6l0Lr0ZkX1uVq9Zf0s8aPjE'],
      ['garbage', 'garbage'],
      ['a JWT-shaped string', 'a.b.c'],
    ];
    for (const [label, token] of unknown) {
      it(`RV-02 ${label}: 200 with an empty body`, async () => {
        await expectEmpty200(await postAsClient(server, '/v1/revoke', { token }));
      });
    }

    it('RV-02 an already-revoked token: 200 with an empty body, again', async () => {
      const tokens = await issueTokens(server);
      for (let i = 0; i < 2; i++) {
        await expectEmpty200(await postAsClient(server, '/v1/revoke', { token: tokens.refresh_token ?? '' }));
        await expectEmpty200(await postAsClient(server, '/v1/revoke', { token: tokens.access_token }));
      }
      await assertInactive(server, tokens.refresh_token ?? '');
    });

    for (const hint of ['bogus', 'access_token', 'refresh_token']) {
      it(`RV-02 token_type_hint=${hint} is only an ordering: both token kinds are revoked`, async () => {
        const tokens = await issueTokens(server);
        await expectEmpty200(
          await postAsClient(server, '/v1/revoke', { token: tokens.access_token, token_type_hint: hint }),
        );
        await assertInactive(server, tokens.access_token);
        await assertActive(server, tokens.refresh_token ?? '');
        await expectEmpty200(
          await postAsClient(server, '/v1/revoke', {
            token: tokens.refresh_token ?? '',
            token_type_hint: hint,
          }),
        );
        await assertInactive(server, tokens.refresh_token ?? '');
      });
    }

    it("RV-02 another client's tokens: 200 with an empty body, and they stay active", async () => {
      const tokens = await issueTokens(server);
      for (const token of [tokens.access_token, tokens.refresh_token ?? '']) {
        for (const as of ['otherPub', 'webConf'] as const) {
          await expectEmpty200(await postAsClient(server, '/v1/revoke', { token }, { as }));
        }
      }
      await assertActive(server, tokens.access_token);
      await assertActive(server, tokens.refresh_token ?? '');
      assert.equal((await userinfo(server, tokens.access_token)).status, 200);
      assert.equal((await refresh(server, tokens)).status, 200);
    });

    const refusals: [string, Record<string, string>, Record<string, string>, number, string, string?][] = [
      ['a public client without client_id', {}, {}, 401, 'invalid_client', 'No client credentials found.'],
      ['a confidential client without its secret', { client_id: 'WEB' }, {}, 401, 'invalid_client'],
      [
        'a confidential client with a wrong secret',
        {},
        { authorization: 'WEB:wrong' },
        401,
        'invalid_client',
      ],
      ['an unknown client', { client_id: '0oaunknown' }, {}, 401, 'invalid_client'],
    ];
    for (const [label, form, headers, status, error, description] of refusals) {
      it(`RV-02 ${label}: ${status} ${error}, token untouched`, async () => {
        const tokens = await issueTokens(server, { client: 'webConf' });
        const web = server.webConf.client.clientId;
        const resolvedForm = Object.fromEntries(
          Object.entries(form).map(([k, v]) => [k, v.replace('WEB', web)]),
        );
        const authorization = headers['authorization'];
        const response = await postAsClient(
          server,
          '/v1/revoke',
          { token: tokens.refresh_token ?? '', ...resolvedForm },
          {
            as: null,
            headers: authorization ? { authorization: basicAuth(web, authorization.split(':')[1]) } : {},
          },
        );
        await expectTokenError(response, { status, error, ...(description ? { description } : {}) });
        await assertActive(server, tokens.refresh_token ?? '', { as: 'webConf' });
      });
    }

    it("RV-02 no token: 400 invalid_request `The 'token' parameter is required.`", async () => {
      await expectTokenError(await postAsClient(server, '/v1/revoke', {}), {
        status: 400,
        error: 'invalid_request',
        description: "The 'token' parameter is required.",
      });
    });

    it('CORS: spa-pub revoking from its own origin may read the answer; another origin may not', async () => {
      const tokens = await issueTokens(server, { client: 'spaPub' });
      for (const [origin, allowed] of [
        ['https://evil.example', null],
        ['http://localhost:8080', 'http://localhost:8080'],
      ] as const) {
        const response = await postAsClient(
          server,
          '/v1/revoke',
          { token: tokens.access_token },
          { as: 'spaPub', headers: { origin } },
        );
        await expectEmpty200(response);
        assert.equal(response.headers.get('access-control-allow-origin'), allowed);
      }
    });

    it('RV-02 GET is refused with 405', async () => {
      const response = await fetch(server.url('/v1/revoke'));
      assert.equal(response.status, 405);
      assert.equal(response.headers.get('allow'), 'POST, OPTIONS');
    });
  });
});
