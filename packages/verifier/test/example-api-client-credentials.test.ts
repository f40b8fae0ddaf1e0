// Issue 13: a machine-to-machine token (client credentials, RFC 6749 §4.4) calls the example API, and an
// API with its own audience accepts only tokens asked for with its `resource` (RFC 8707).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildExampleApi } from '../../../examples/api/src/app.ts';
import { addCustomScope } from '../../server/src/services/authorization-servers.ts';
import { updateAuthorizationServer } from '../../server/src/services/server-settings.ts';
import { clientCredentialsGrant, createServiceApp } from '../../server/test/fixtures/machine-clients.ts';
import { startTestServer, type TestServer } from '../../server/test/fixtures/test-server.ts';

const RESOURCE = 'https://messages.example.com/';

describe('example API with client-credentials tokens', () => {
  let server: TestServer;
  let api: FastifyInstance;
  let resourceApi: FastifyInstance;
  let app: { clientId: string; secret: string };

  const token = async (form: Record<string, string>): Promise<string> => {
    const response = await clientCredentialsGrant(server, form, app);
    const text = await response.text();
    assert.equal(response.status, 200, text);
    return (JSON.parse(text) as { access_token: string }).access_token;
  };

  before(async () => {
    server = await startTestServer();
    await addCustomScope(server.deps, 'default', { name: 'messages:read' });
    await updateAuthorizationServer(server.deps, 'default', { resources: [RESOURCE] });
    const created = await createServiceApp(server, { name: 'Nightly digest' });
    app = { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
    const verifier = { jwksUri: server.url('/v1/keys'), now: () => server.clock.now() };
    api = await buildExampleApi({ issuer: server.issuer, verifier });
    resourceApi = await buildExampleApi({ issuer: server.issuer, audience: RESOURCE, verifier });
  });
  after(async () => {
    await api.close();
    await resourceApi.close();
    await server.close();
  });

  it('CC-15 a service app gets a token and calls GET /messages: the caller is the client id', async () => {
    const accessToken = await token({ scope: 'messages:read' });
    const response = await api.inject({
      url: '/messages',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json() as { user: string; messages: { text: string }[] };
    assert.equal(body.user, app.clientId);
    assert.match(body.messages[1]?.text ?? '', new RegExp(`issued to client ${app.clientId}`));
  });

  it('RI-10 an API with its own audience takes only tokens asked for with its resource', async () => {
    const forResource = await token({ scope: 'messages:read', resource: RESOURCE });
    const forDefault = await token({ scope: 'messages:read' });
    const call = (target: FastifyInstance, accessToken: string) =>
      target.inject({ url: '/messages', headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal((await call(resourceApi, forResource)).statusCode, 200);
    assert.equal((await call(resourceApi, forDefault)).statusCode, 401);
    assert.equal((await call(api, forResource)).statusCode, 401);
  });
});
