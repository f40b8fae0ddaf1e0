// OAuth 2.0 Protected Resource Metadata (RFC 9728) from both adapters: the document at
// /.well-known/oauth-protected-resource (path-suffixed per §3.1 when the resource has a path), and
// `resource_metadata` (§5.1) with the RFC 6750 attributes in every challenge. Fastify through inject,
// Express over a real listener.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { expressVerifier } from '../src/express.ts';
import { latchkeyVerifier } from '../src/fastify.ts';
import { createVerifier, type Verifier } from '../src/index.ts';
import type { ResourceMetadataOptions } from '../src/resource-metadata.ts';
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

const RESOURCE = 'https://api.example.com';
const ROOT_URL = `${RESOURCE}/.well-known/oauth-protected-resource`;
const MEMBERS = {
  scopes_supported: ['messages:read', 'messages:write'],
  resource_name: 'Messages API',
  resource_documentation: 'https://api.example.com/docs',
};

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/** One app per framework, so each case below runs against both. */
interface Harness {
  get(path: string, authorization?: string, method?: string): Promise<Answer>;
  close(): Promise<void>;
}

async function fastifyHarness(verifier: Verifier, options: ResourceMetadataOptions): Promise<Harness> {
  const app: FastifyInstance = Fastify();
  await app.register(latchkeyVerifier, { verifier, ...options });
  app.get('/messages', { preHandler: app.requireScopes('messages:read') }, async (request) => ({
    sub: request.token?.sub,
  }));
  await app.ready();
  return {
    async get(url, authorization, method = 'GET') {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers: authorization === undefined ? {} : { authorization },
      });
      const headers = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, String(v)]));
      return {
        status: response.statusCode,
        headers,
        body: response.body === '' ? undefined : JSON.parse(response.body),
      };
    },
    close: () => app.close(),
  };
}

async function expressHarness(verifier: Verifier, options: ResourceMetadataOptions): Promise<Harness> {
  const auth = expressVerifier({ verifier, ...options });
  const app = express();
  app.use(auth.resourceMetadata);
  app.get('/messages', auth.requireScopes('messages:read'), (req, res) => {
    res.json({ sub: req.token?.sub });
  });
  const http: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => http.once('listening', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    async get(path, authorization, method = 'GET') {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: authorization === undefined ? {} : { authorization },
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {}
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { status: response.status, headers, body };
    },
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const frameworks = [
  ['Fastify', fastifyHarness],
  ['Express', expressHarness],
] as const;

describe('verifier: protected resource metadata (RFC 9728)', () => {
  let jwks: JwksServer;
  let key: TestKey;
  let verifier: Verifier;
  const clock = new TestClock();

  before(async () => {
    key = await makeKey('prm-key');
    jwks = await startJwksServer({ keys: [key.jwk] });
    verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: jwks.url, now: clock.now });
  });
  after(() => jwks.close());

  for (const [framework, harness] of frameworks) {
    describe(framework, () => {
      it('PR-01 serves the document at /.well-known/oauth-protected-resource', async () => {
        const app = await harness(verifier, { resource: RESOURCE, resourceMetadata: MEMBERS });
        try {
          const response = await app.get('/.well-known/oauth-protected-resource');
          assert.equal(response.status, 200);
          assert.match(response.headers['content-type'] ?? '', /^application\/json/);
          assert.equal(response.headers['access-control-allow-origin'], '*');
          assert.equal(response.headers['cache-control'], 'max-age=300');
          assert.deepEqual(response.body, {
            resource: RESOURCE,
            authorization_servers: [ISSUER],
            bearer_methods_supported: ['header'],
            ...MEMBERS,
          });
          assert.equal(
            (await app.get('/.well-known/oauth-protected-resource', undefined, 'HEAD')).status,
            200,
          );
          // Only the GET resource; other methods are not answered by the metadata route.
          assert.equal(
            (await app.get('/.well-known/oauth-protected-resource', undefined, 'POST')).status,
            404,
          );
        } finally {
          await app.close();
        }
      });

      it('PR-02 a resource with a path: the path-suffixed form (§3.1), the root form too, `resource` exact', async () => {
        const resource = `${RESOURCE}/v1/messages`;
        const app = await harness(verifier, { resource });
        try {
          for (const path of [
            '/.well-known/oauth-protected-resource/v1/messages',
            '/.well-known/oauth-protected-resource',
          ]) {
            const response = await app.get(path);
            assert.equal(response.status, 200, path);
            assert.deepEqual(response.body, {
              resource,
              authorization_servers: [ISSUER],
              bearer_methods_supported: ['header'],
            });
          }
          assert.equal((await app.get('/.well-known/oauth-protected-resource/v2')).status, 404);
          const challenge = (await app.get('/messages')).headers['www-authenticate'];
          assert.equal(
            challenge,
            `Bearer realm="api", resource_metadata="${RESOURCE}/.well-known/oauth-protected-resource/v1/messages", scope="messages:read"`,
          );
        } finally {
          await app.close();
        }
      });

      it('PR-03 every challenge names the metadata, with the RFC 6750 error, description and scope', async () => {
        const app = await harness(verifier, { resource: RESOURCE, resourceMetadata: MEMBERS });
        const metadata = `resource_metadata="${ROOT_URL}"`;
        try {
          const valid = await forge(key, accessClaims(T0));
          assert.deepEqual((await app.get('/messages', `Bearer ${valid}`)).body, {
            sub: 'alice@example.com',
          });
          const cases: [string, string | undefined, number, string][] = [
            ['no token', undefined, 401, `Bearer realm="api", ${metadata}, scope="messages:read"`],
            [
              'an expired token',
              `Bearer ${await forge(key, accessClaims(T0 - 7200))}`,
              401,
              `Bearer realm="api", ${metadata}, error="invalid_token", error_description="The access token has expired.", scope="messages:read"`,
            ],
            [
              'a malformed header',
              'Bearer a b',
              400,
              `Bearer realm="api", ${metadata}, error="invalid_request", error_description="The Authorization header must be exactly one 'Bearer <token>'."`,
            ],
            [
              'a missing scope',
              `Bearer ${await forge(key, accessClaims(T0, { scp: ['openid'] }))}`,
              403,
              `Bearer realm="api", ${metadata}, error="insufficient_scope", error_description="The access token lacks the required scopes: messages:read.", scope="messages:read"`,
            ],
          ];
          for (const [name, authorization, status, challenge] of cases) {
            const response = await app.get('/messages', authorization);
            assert.equal(response.status, status, name);
            assert.equal(response.headers['www-authenticate'], challenge, name);
          }
        } finally {
          await app.close();
        }
      });

      it('PR-04 an outage is still a 503 without a challenge', async () => {
        const down = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: await closedUrl() });
        const app = await harness(down, { resource: RESOURCE });
        try {
          const response = await app.get('/messages', `Bearer ${await forge(key, accessClaims(T0))}`);
          assert.equal(response.status, 503);
          assert.equal(response.headers['www-authenticate'], undefined);
          assert.equal((await app.get('/.well-known/oauth-protected-resource')).status, 200);
        } finally {
          await app.close();
        }
      });

      it('PR-05 without resource, or with resourceMetadata: false, nothing is served and challenges are as before', async () => {
        for (const options of [{}, { resource: RESOURCE, resourceMetadata: false as const }]) {
          const app = await harness(verifier, options);
          try {
            assert.equal((await app.get('/.well-known/oauth-protected-resource')).status, 404);
            assert.equal((await app.get('/messages')).headers['www-authenticate'], 'Bearer realm="api"');
          } finally {
            await app.close();
          }
        }
      });

      it('PR-06 the reserved members cannot be overridden; bad identifiers are refused at start-up', async () => {
        const app = await harness(verifier, {
          resource: RESOURCE,
          resourceMetadata: {
            resource: 'https://evil.example',
            bearer_methods_supported: ['query'],
            authorization_servers: ['https://idp.test/oauth2/aus1'],
          },
        });
        try {
          assert.deepEqual((await app.get('/.well-known/oauth-protected-resource')).body, {
            resource: RESOURCE,
            authorization_servers: ['https://idp.test/oauth2/aus1'],
            bearer_methods_supported: ['header'],
          });
        } finally {
          await app.close();
        }
        const bad: ResourceMetadataOptions[] = [
          { resource: 'http://api.example.com' },
          { resource: 'https://api.example.com/#frag' },
          { resource: 'https://api.example.com/?tenant=1' },
          { resource: 'api.example.com' },
          { resourceMetadata: MEMBERS },
        ];
        for (const options of bad) {
          await assert.rejects(harness(verifier, options), TypeError, JSON.stringify(options));
        }
        // Development on a loopback address may use http.
        const local = await harness(verifier, { resource: 'http://localhost:3000' });
        await local.close();
      });
    });
  }
});
