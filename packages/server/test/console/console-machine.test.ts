// The console for issue 13 items 1-2: an API Services app (client credentials, secret or private_key_jwt
// keys) from the wizard, and an authorization server's declared resources (RFC 8707) on its settings page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ConsoleClient, fieldError, signedInConsole } from '../fixtures/console.ts';
import { jwksOf, signingPair } from '../fixtures/machine-clients.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const SERVER_SETTINGS = {
  name: 'default',
  audience: 'api://default',
  description: 'Default Authorization Server',
  codeLifetimeSeconds: '60',
  accessTokenLifetimeSeconds: '3600',
  idTokenLifetimeSeconds: '3600',
  refreshTokenIdleSeconds: '604800',
  refreshTokenAbsoluteSeconds: '0',
};

describe('console: API Services apps and resources', () => {
  let server: TestServer;
  let console: ConsoleClient;
  before(async () => {
    server = await startTestServer();
    ({ client: console } = await signedInConsole(server));
  });
  after(async () => server.close());

  it('CC-20 the wizard offers API Services; its form has no redirect URIs; Done shows the secret once', async () => {
    assert.match((await console.get('/console/apps/new')).html, /name="type" value="service"/);
    const form = await console.get('/console/apps/new/settings?type=service');
    assert.doesNotMatch(form.html, /name="redirect_uris"/);
    assert.match(form.html, /value="private_key_jwt"/);
    const created = await console.post('/console/apps', { type: 'service', name: 'Nightly export' });
    assert.equal(created.response.status, 303, created.html);
    const done = await console.get(created.response.headers.get('location') ?? '');
    const clientId = /<input id="client-id" type="text" value="(0oa\w+)"/.exec(done.html)?.[1] ?? '';
    assert.match(done.html, /id="client-secret"/, 'the secret, once');
    const client = await server.deps.store.clients.get(clientId);
    assert.equal(client?.applicationType, 'service');
    assert.deepEqual(client?.grantTypes, ['client_credentials']);
    assert.deepEqual(client?.redirectUris, []);
  });

  it('CC-21 a private_key_jwt service app with pasted keys; keys missing are shown next to the field', async () => {
    const refused = await console.post('/console/apps', {
      type: 'service',
      name: 'Signed export',
      auth_method: 'private_key_jwt',
    });
    assert.equal(refused.response.status, 400);
    assert.match(fieldError(refused.html, 'jwks_uri') ?? '', /JWK Set \(jwks\) or its URL/);
    const jwks = jwksOf(await signingPair());
    const created = await console.post('/console/apps', {
      type: 'service',
      name: 'Signed export',
      auth_method: 'private_key_jwt',
      jwks,
    });
    assert.equal(created.response.status, 303, created.html);
    const clientId =
      /\/console\/apps\/(0oa\w+)/.exec(created.response.headers.get('location') ?? '')?.[1] ?? '';
    const client = await server.deps.store.clients.get(clientId);
    assert.equal(client?.tokenEndpointAuthMethod, 'private_key_jwt');
    assert.equal(client?.clientSecretHash, null);
    assert.deepEqual(JSON.parse(client?.jwks ?? '{}'), JSON.parse(jwks));
  });

  it('RI-12 the server settings page edits the declared resources, one per line; a fragment is refused', async () => {
    const saved = await console.post('/console/servers/default', {
      ...SERVER_SETTINGS,
      resources: 'https://api.example.com/\r\n\r\nhttps://mcp.example.com/mcp\r\n',
    });
    assert.equal(saved.response.headers.get('location'), '/console/servers/default?done=server-saved');
    assert.deepEqual((await server.deps.store.authorizationServers.get('default'))?.resources, [
      'https://api.example.com/',
      'https://mcp.example.com/mcp',
    ]);
    assert.match(
      (await console.get('/console/servers/default')).html,
      /https:\/\/mcp\.example\.com\/mcp<\/textarea>/,
    );
    const refused = await console.post('/console/servers/default', {
      ...SERVER_SETTINGS,
      resources: 'https://api.example.com/#x',
    });
    assert.equal(refused.response.status, 400);
    assert.match(fieldError(refused.html, 'resources') ?? '', /fragment/);
  });
});
