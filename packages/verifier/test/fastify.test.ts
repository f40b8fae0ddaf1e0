// The Fastify plugin through the example API (examples/api) with real Latchkey tokens: RFC 6750 §3 and
// §3.1 status codes and WWW-Authenticate challenges, and 503 (not 401) when the keys cannot be loaded.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildExampleApi } from '../../../examples/api/src/app.ts';
import { addCustomScope } from '../../server/src/services/authorization-servers.ts';
import { startTestServer, type TestServer } from '../../server/test/fixtures/test-server.ts';
import { closedUrl, type RealTokens, realTokens } from './helpers.ts';

describe('verifier: Fastify plugin (example API)', () => {
  let server: TestServer;
  let api: FastifyInstance;
  let withScope: RealTokens;
  let withoutScope: RealTokens;

  const get = (url: string, authorization?: string) =>
    api.inject({ method: 'GET', url, headers: authorization === undefined ? {} : { authorization } });

  before(async () => {
    server = await startTestServer();
    await addCustomScope(server.deps, 'default', { name: 'messages:read' });
    api = await buildExampleApi({
      issuer: server.issuer,
      verifier: { jwksUri: server.url('/v1/keys'), now: () => server.clock.now() },
    });
    [withScope, withoutScope] = await Promise.all([
      realTokens(server, 'openid messages:read'),
      realTokens(server, 'openid profile'),
    ]);
  });
  after(async () => {
    await api.close();
    await server.close();
  });

  it('GET /health is public', async () => {
    const response = await get('/health');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
  });

  it('GET /messages with messages:read: 200, personalised with sub', async () => {
    for (const scheme of ['Bearer', 'bearer']) {
      const response = await get('/messages', `${scheme} ${withScope.access_token}`);
      assert.equal(response.statusCode, 200);
      const body = response.json() as { user: string; messages: { text: string }[] };
      assert.equal(body.user, server.user.login);
      assert.match(body.messages[0]?.text ?? '', /^Hello alice@example\.com/);
    }
  });

  describe('RFC 6750 failures on GET /messages', () => {
    const cases: [string, () => string | undefined, number, string][] = [
      ['no Authorization header', () => undefined, 401, 'Bearer realm="api"'],
      ['another scheme', () => 'Basic YWxpY2U6c2VjcmV0', 401, 'Bearer realm="api"'],
      [
        'Bearer without a token',
        () => 'Bearer',
        400,
        `Bearer realm="api", error="invalid_request", error_description="The Authorization header must be exactly one 'Bearer <token>'."`,
      ],
      [
        'two tokens',
        () => `Bearer ${withScope.access_token} ${withScope.access_token}`,
        400,
        `Bearer realm="api", error="invalid_request", error_description="The Authorization header must be exactly one 'Bearer <token>'."`,
      ],
      [
        'garbage token',
        () => 'Bearer abc.def',
        401,
        'Bearer realm="api", error="invalid_token", error_description="The access token is not a compact JWS (a JWT)."',
      ],
      [
        'the ID token',
        () => `Bearer ${withScope.id_token}`,
        401,
        'Bearer realm="api", error="invalid_token", error_description="The access token is not intended for this API (aud)."',
      ],
      [
        'a tampered token',
        () => `Bearer ${withScope.access_token.slice(0, -6)}AAAAAA`,
        401,
        'Bearer realm="api", error="invalid_token", error_description="The access token signature is invalid."',
      ],
      [
        'no messages:read',
        () => `Bearer ${withoutScope.access_token}`,
        403,
        'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks the required scopes: messages:read.", scope="messages:read"',
      ],
    ];
    for (const [name, authorization, status, challenge] of cases) {
      it(name, async () => {
        const response = await get('/messages', authorization());
        assert.equal(response.statusCode, status);
        assert.equal(response.headers['www-authenticate'], challenge);
        assert.equal(response.headers['cache-control'], 'no-store');
        const body = response.json() as { error?: string; error_description: string };
        assert.equal(body.error, /error="([^"]+)"/.exec(challenge)?.[1]);
        assert.equal(typeof body.error_description, 'string');
      });
    }
  });

  it('a token in the query string is not read (401 without an error code)', async () => {
    const response = await get(`/messages?access_token=${withScope.access_token}`);
    assert.equal(response.statusCode, 401);
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"');
  });

  it('an expired token: 401 invalid_token', async () => {
    const later = await buildExampleApi({
      issuer: server.issuer,
      verifier: { jwksUri: server.url('/v1/keys'), now: () => server.clock.now() + 3660 },
    });
    try {
      const response = await later.inject({
        url: '/messages',
        headers: { authorization: `Bearer ${withScope.access_token}` },
      });
      assert.equal(response.statusCode, 401);
      assert.equal(
        response.headers['www-authenticate'],
        'Bearer realm="api", error="invalid_token", error_description="The access token has expired."',
      );
    } finally {
      await later.close();
    }
  });

  it('keys unavailable: 503 without a challenge, so the client keeps its token', async () => {
    const outage = await buildExampleApi({ issuer: server.issuer, verifier: { jwksUri: await closedUrl() } });
    try {
      const response = await outage.inject({
        url: '/messages',
        headers: { authorization: `Bearer ${withScope.access_token}` },
      });
      assert.equal(response.statusCode, 503);
      assert.equal(response.headers['www-authenticate'], undefined);
      assert.deepEqual(response.json(), {
        error: 'temporarily_unavailable',
        error_description: 'The API cannot verify access tokens right now; try again later.',
      });
      assert.equal((await outage.inject({ url: '/health' })).statusCode, 200);
    } finally {
      await outage.close();
    }
  });
});
