// SECURITY-MATRIX AD-01 for the admin API: every route refuses a request without a valid API token (none,
// revoked, malformed, an end user's session cookie or access token) with Okta's 401 E0000011, and
// /api/v1 never answers with CORS headers. Also the API token routes and how tokens are stored.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/oauth/random.ts';
import { createApiToken } from '../../src/services/api-tokens.ts';
import { ValidationError } from '../../src/services/errors.ts';
import { type AdminApi, adminApi, adminCall, assertOktaError } from '../fixtures/admin-api.ts';
import type { CookieJar } from '../fixtures/browser-flow.ts';
import { signInWithTokens } from '../fixtures/session-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

interface Route {
  method: string;
  path: string;
}

/** Every documented operation, with its path parameters filled in. */
async function documentedRoutes(server: TestServer): Promise<Route[]> {
  const response = await adminCall(server, 'GET', '/openapi.json');
  assert.equal(response.status, 200);
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(response.body.paths as Record<string, object>)) {
    for (const method of Object.keys(operations)) {
      routes.push({
        method: method.toUpperCase(),
        path: path
          .replace('/api/v1', '')
          .replace(/\{(\w+)\}/g, (_, name: string) => (name === 'authServerId' ? 'default' : `some-${name}`)),
      });
    }
  }
  return routes;
}

describe('admin API authentication (AD-01)', () => {
  let server: TestServer;
  let admin: AdminApi;
  let routes: Route[];
  let jar: CookieJar;
  let accessToken: string;
  let revoked: string;

  before(async () => {
    server = await startTestServer();
    admin = await adminApi(server);
    routes = (await documentedRoutes(server)).filter((route) => route.path !== '/openapi.json');
    // An end user signed in through the hosted page: a live SSO session and an access token.
    const signedIn = await signInWithTokens(server);
    jar = signedIn.jar;
    accessToken = signedIn.tokens.access_token;
    const doomed = await adminApi(server, 'doomed');
    assert.equal((await admin.call('DELETE', `/api-tokens/${doomed.tokenId}`)).status, 204);
    revoked = doomed.token;
  });
  after(async () => server.close());

  it('documents at least the routes of issue 5', () => {
    assert.ok(routes.length >= 30, `${routes.length} routes`);
  });

  const refusals: [string, () => { auth: string | null; headers?: Record<string, string> }][] = [
    ['no token', () => ({ auth: null })],
    ['a revoked token', () => ({ auth: `SSWS ${revoked}` })],
    ['a revoked token as Bearer', () => ({ auth: `Bearer ${revoked}` })],
    ['an unknown token of the right shape', () => ({ auth: `SSWS lk_${'A'.repeat(40)}` })],
    ['a token with another scheme (Basic)', () => ({ auth: `Basic ${admin.token}` })],
    ['a token with trailing garbage', () => ({ auth: `SSWS ${admin.token}x` })],
    [
      'an end-user session cookie (alice signed in on the hosted page)',
      () => ({ auth: null, headers: { cookie: jar.header() } }),
    ],
    ["an end user's OAuth access token as Bearer", () => ({ auth: `Bearer ${accessToken}` })],
  ];

  for (const [name, credentials] of refusals) {
    it(`AD-01 ${name} → 401 E0000011 on every route`, async () => {
      const responses = await Promise.all(
        routes.map((route) =>
          adminCall(
            server,
            route.method,
            route.path,
            ['POST', 'PUT'].includes(route.method) ? {} : undefined,
            credentials(),
          ),
        ),
      );
      for (const response of responses) {
        assertOktaError(response, 401, 'E0000011', 'Invalid token provided');
        assert.equal(response.headers.get('www-authenticate'), 'SSWS realm="Latchkey admin API"');
      }
    });
  }

  it('AD-01 nothing changed while refusing: same apps, users and servers', async () => {
    const apps = await admin.call('GET', '/apps');
    assert.equal(apps.body.length, 4);
    const users = await admin.call('GET', '/users');
    assert.deepEqual(
      users.body.map((user: { id: string }) => user.id),
      [server.user.id],
    );
    assert.equal(users.body[0].status, 'ACTIVE');
  });

  it('AD-01 accepts the token as SSWS (any case) and as Bearer', async () => {
    for (const auth of [`SSWS ${admin.token}`, `ssws ${admin.token}`, `Bearer ${admin.token}`]) {
      const response = await adminCall(server, 'GET', '/users', undefined, { auth });
      assert.equal(response.status, 200, auth);
    }
  });

  it('AD-01 a cross-origin fetch gets no CORS headers, with or without a token', async () => {
    const origin = { origin: 'https://evil.example' };
    const requests = [
      adminCall(server, 'GET', '/apps', undefined, { auth: `SSWS ${admin.token}`, headers: origin }),
      adminCall(server, 'GET', '/apps', undefined, { auth: null, headers: origin }),
      adminCall(server, 'OPTIONS', '/apps', undefined, {
        auth: null,
        headers: {
          ...origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      }),
      adminCall(server, 'GET', '/openapi.json', undefined, { auth: null, headers: origin }),
    ];
    for (const response of await Promise.all(requests)) {
      const cors: string[] = [];
      response.headers.forEach((_value, name) => {
        if (name.startsWith('access-control-')) cors.push(name);
      });
      assert.deepEqual(cors, []);
    }
  });

  it('AD-01 the OpenAPI document needs no token; nothing else does without one', async () => {
    assert.equal((await adminCall(server, 'GET', '/openapi.json')).status, 200);
    assertOktaError(await adminCall(server, 'GET', '/no-such-route'), 401, 'E0000011');
    assertOktaError(await admin.call('GET', '/no-such-route'), 404, 'E0000007');
  });

  it('stores only the SHA-256 of a token; the API never shows a token or its hash', async () => {
    assert.match(admin.token, /^lk_[A-Za-z0-9]{40}$/);
    const row = await server.deps.store.apiTokens.get(admin.tokenId);
    assert.equal(row?.tokenHash, sha256Hex(admin.token));
    const listed = await admin.call('GET', '/api-tokens');
    assert.equal(listed.status, 200);
    assert.ok(
      !listed.text.includes(admin.token) && !listed.text.includes(row?.tokenHash ?? '-'),
      'no token, no hash',
    );
    const mine = listed.body.find((token: { id: string }) => token.id === admin.tokenId);
    assert.deepEqual(Object.keys(mine).sort(), [
      '_links',
      'clientName',
      'created',
      'createdBy',
      'expiresAt',
      'id',
      'lastUpdated',
      'lastUsed',
      'name',
      'status',
    ]);
    assert.equal(mine.status, 'ACTIVE');
    assert.ok(mine.lastUsed, 'last use is recorded');
    const shown = await admin.call('GET', `/api-tokens/${admin.tokenId}`);
    assert.deepEqual(shown.body, mine);
    assertOktaError(
      await admin.call('GET', '/api-tokens/00Tnope'),
      404,
      'E0000007',
      'Not found: Resource not found: 00Tnope (ApiToken)',
    );
  });

  it('names every token: a blank name is refused', async () => {
    await assert.rejects(
      createApiToken(server.deps, { name: ' ' }),
      (error: unknown) => error instanceof ValidationError && error.field === 'name',
    );
  });

  it('revokes a token by id and the current token; revoked tokens stop working at once', async () => {
    const other = await adminApi(server, 'short-lived');
    assert.equal((await other.call('GET', '/apps')).status, 200);
    assert.equal((await other.call('DELETE', '/api-tokens/current')).status, 204);
    assertOktaError(await other.call('GET', '/apps'), 401, 'E0000011');
    const shown = await admin.call('GET', `/api-tokens/${other.tokenId}`);
    assert.equal(shown.body.status, 'REVOKED');
    assert.equal((await admin.call('DELETE', `/api-tokens/${other.tokenId}`)).status, 204, 'idempotent');
    const events = await server.deps.store.events.list({ limit: 50 });
    const revocation = events.find(
      (event) => event.type === 'system.api_token.revoke' && event.reason.includes(other.tokenId),
    );
    assert.equal(revocation?.actor, other.tokenId);
    assert.equal(revocation?.ip, '127.0.0.1');
  });

  it('refuses a body that is not JSON, and malformed JSON, with E0000003', async () => {
    const form = await admin.call('POST', '/users', 'profile=x', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assertOktaError(form, 400, 'E0000003', 'The request body was not well-formed.');
    assertOktaError(await admin.call('POST', '/users', '{"profile":'), 400, 'E0000003');
    assertOktaError(await admin.call('POST', '/users', '{"__proto__":{"x":1}}'), 400, 'E0000003');
    // An empty JSON body is no body (Okta SDKs send lifecycle calls like this).
    const empty = await admin.call('POST', `/users/${server.user.id}/lifecycle/unlock`, '');
    assert.equal(empty.status, 200, empty.text);
  });
});
