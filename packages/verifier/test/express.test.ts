// The Express middleware over real HTTP, with tokens signed by a key set we control: the same RFC 6750
// answers as the Fastify plugin, `req.token` set for the handler, 503 when the keys cannot be loaded.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { expressVerifier } from '../src/express.ts';
import { createVerifier } from '../src/index.ts';
import {
  AUDIENCE,
  accessClaims,
  closedUrl,
  forge,
  ISSUER,
  type JwksServer,
  makeKey,
  startJwksServer,
  T0,
  TestClock,
  type TestKey,
} from './helpers.ts';

describe('verifier: Express middleware', () => {
  let jwks: JwksServer;
  let key: TestKey;
  let http: Server;
  let base: string;
  const clock = new TestClock();

  before(async () => {
    key = await makeKey('express-key');
    jwks = await startJwksServer({ keys: [key.jwk] });
    const auth = expressVerifier({
      verifier: createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: jwks.url, now: clock.now }),
      realm: 'messages',
    });
    const outage = expressVerifier({
      verifier: createVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwksUri: await closedUrl(),
        now: clock.now,
      }),
    });
    const app = express();
    app.get('/messages', auth.requireScopes('messages:read'), (req, res) => {
      res.json({ user: req.token?.sub, scopes: req.token?.scp });
    });
    app.get('/any', auth.requireScopes(), (req, res) => {
      res.json({ client: req.token?.cid });
    });
    app.get('/outage', outage.requireScopes(), (_req, res) => {
      res.json({ reached: true });
    });
    http = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => http.once('listening', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  after(async () => {
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await jwks.close();
  });

  const call = (path: string, token?: string) =>
    fetch(`${base}${path}`, { headers: token === undefined ? {} : { authorization: token } });

  it('passes a valid token with the scope and sets req.token', async () => {
    const response = await call('/messages', `Bearer ${await forge(key, accessClaims(T0))}`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      user: 'alice@example.com',
      scopes: ['openid', 'messages:read'],
    });
    const any = await call('/any', `Bearer ${await forge(key, accessClaims(T0, { scp: [] }))}`);
    assert.deepEqual(await any.json(), { client: '0oa1ab2cd3EF4gh5i6j7' });
  });

  const cases: [string, () => Promise<string | undefined>, number, string | null][] = [
    ['no token', async () => undefined, 401, 'Bearer realm="messages"'],
    [
      'malformed header',
      async () => 'Bearer a b',
      400,
      `Bearer realm="messages", error="invalid_request", error_description="The Authorization header must be exactly one 'Bearer <token>'."`,
    ],
    [
      'expired',
      async () => `Bearer ${await forge(key, accessClaims(T0 - 7200))}`,
      401,
      'Bearer realm="messages", error="invalid_token", error_description="The access token has expired."',
    ],
    [
      'wrong audience',
      async () => `Bearer ${await forge(key, accessClaims(T0, { aud: 'api://other' }))}`,
      401,
      'Bearer realm="messages", error="invalid_token", error_description="The access token is not intended for this API (aud)."',
    ],
    [
      'alg none',
      async () => {
        const [, payload] = (await forge(key, accessClaims(T0))).split('.');
        return `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
      },
      401,
      'Bearer realm="messages", error="invalid_token", error_description="The access token must be signed with RS256."',
    ],
    [
      'missing scope',
      async () => `Bearer ${await forge(key, accessClaims(T0, { scp: ['openid'] }))}`,
      403,
      'Bearer realm="messages", error="insufficient_scope", error_description="The access token lacks the required scopes: messages:read.", scope="messages:read"',
    ],
  ];
  for (const [name, authorization, status, challenge] of cases) {
    it(name, async () => {
      const response = await call('/messages', await authorization());
      assert.equal(response.status, status);
      assert.equal(response.headers.get('www-authenticate'), challenge);
      assert.equal(response.headers.get('cache-control'), 'no-store');
    });
  }

  it('keys unavailable: 503 without a challenge', async () => {
    const response = await call('/outage', `Bearer ${await forge(key, accessClaims(T0))}`);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('www-authenticate'), null);
    assert.equal(((await response.json()) as { error: string }).error, 'temporarily_unavailable');
  });
});
