// API Services apps and declared resources through the admin API and the CLI (issue 13 items 1-2):
// Okta's `application_type: service`, `token_endpoint_auth_method: private_key_jwt` with
// `settings.oauthClient.jwks`/`jwks_uri`, and the authorization server's `resources`.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type AdminApi, adminApi, assertFieldError } from '../fixtures/admin-api.ts';
import { type CliInstallation, cliInstallation, cliJson } from '../fixtures/cli.ts';
import { addScope, jwksOf, signingPair } from '../fixtures/machine-clients.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { basic } from '../fixtures/token-assertions.ts';

const serviceApp = (
  oauthClient: Record<string, unknown> = {},
  credentials: Record<string, unknown> = {},
) => ({
  name: 'oidc_client',
  label: 'Reporting job',
  signOnMode: 'OPENID_CONNECT',
  credentials: { oauthClient: credentials },
  settings: { oauthClient: { application_type: 'service', ...oauthClient } },
});

describe('admin API: service apps and resources', () => {
  let server: TestServer;
  let admin: AdminApi;
  before(async () => {
    server = await startTestServer();
    admin = await adminApi(server);
    await addScope(server, 'reports:read');
  });
  after(async () => server.close());

  it('CC-17 POST /apps creates a service app: client_credentials only, no redirect URIs, a secret once', async () => {
    const created = await admin.call('POST', '/apps', serviceApp());
    assert.equal(created.status, 200, created.text);
    const settings = created.body.settings.oauthClient;
    assert.equal(settings.application_type, 'service');
    assert.deepEqual(settings.grant_types, ['client_credentials']);
    assert.deepEqual(settings.redirect_uris, []);
    const { client_id: clientId, client_secret: secret } = created.body.credentials.oauthClient;
    assert.equal(created.body.credentials.oauthClient.token_endpoint_auth_method, 'client_secret_basic');
    const token = await fetch(server.url('/v1/token'), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(clientId, secret),
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'reports:read' }),
    });
    assert.equal(token.status, 200, await token.text());
  });

  it('CC-18 private_key_jwt apps register jwks or jwks_uri, get no secret, and read them back', async () => {
    const pair = await signingPair();
    const jwks = JSON.parse(jwksOf(pair)) as { keys: unknown[] };
    const created = await admin.call(
      'POST',
      '/apps',
      serviceApp({ jwks }, { token_endpoint_auth_method: 'private_key_jwt' }),
    );
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.credentials.oauthClient.client_secret, undefined);
    assert.deepEqual(created.body.settings.oauthClient.jwks, jwks);
    const id = created.body.id as string;
    const moved = await admin.call('PUT', `/apps/${id}`, {
      settings: { oauthClient: { jwks: null, jwks_uri: 'https://keys.example.com/jwks.json' } },
    });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.settings.oauthClient.jwks, undefined);
    assert.equal(moved.body.settings.oauthClient.jwks_uri, 'https://keys.example.com/jwks.json');
    const both = await admin.call('PUT', `/apps/${id}`, { settings: { oauthClient: { jwks } } });
    assertFieldError(both, 'settings.oauthClient.jwks');
  });

  it('RI-11 PUT /authorizationServers/{id} sets resources; a bad one is a 400 naming the field', async () => {
    const current = await admin.call('GET', '/authorizationServers/default');
    assert.deepEqual(current.body.resources, []);
    const { _links, credentials, ...editable } = current.body;
    const updated = await admin.call('PUT', '/authorizationServers/default', {
      ...editable,
      resources: ['https://api.example.com/', 'https://mcp.example.com/mcp'],
    });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(updated.body.resources, ['https://api.example.com/', 'https://mcp.example.com/mcp']);
    const bad = await admin.call('PUT', '/authorizationServers/default', {
      resources: ['https://a.example/#f'],
    });
    assert.match(assertFieldError(bad, 'resources'), /fragment/);
  });
});

describe('CLI: service apps', () => {
  let cli: CliInstallation;
  before(async () => {
    cli = await cliInstallation();
  });
  after(() => cli.remove());

  it('CC-19 latchkey apps create --type service (secret, or private_key_jwt with --jwks); redirect URIs refused', async () => {
    const created = cliJson(
      await cli.run(['apps', 'create', '--name', 'Nightly', '--type', 'service', '--json']),
    );
    assert.equal(created['application_type'], 'service');
    assert.deepEqual(created['grant_types'], ['client_credentials']);
    assert.equal(typeof created['client_secret'], 'string');
    const file = join(cli.databaseUrl.slice('sqlite:'.length, -'x.db'.length), 'jwks.json');
    writeFileSync(file, jwksOf(await signingPair('ES256')));
    const keyed = cliJson(
      await cli.run([
        'apps',
        'create',
        '--name',
        'Signed',
        '--type',
        'service',
        '--auth-method',
        'private_key_jwt',
        '--jwks',
        file,
        '--json',
      ]),
    );
    assert.equal(keyed['token_endpoint_auth_method'], 'private_key_jwt');
    assert.equal(keyed['client_secret'], undefined);
    assert.ok(Array.isArray((keyed['jwks'] as { keys: unknown[] }).keys));
    const refused = await cli.run([
      'apps',
      'create',
      '--name',
      'Bad',
      '--type',
      'service',
      '--redirect-uri',
      'https://x.example/cb',
    ]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /API Services apps sign no users in/);
  });
});
