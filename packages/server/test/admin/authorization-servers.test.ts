// /api/v1/authorizationServers: servers (with Latchkey's lifetimes), scopes and signing keys in Okta's
// shapes (OKTA-COMPAT §7.2). Key rotation stages the next key, published before it signs (rule 7).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AdminApi, adminApi, assertFieldError, assertOktaError } from '../fixtures/admin-api.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { issueTokens } from '../fixtures/token-endpoints.ts';

describe('admin API authorization servers', () => {
  let server: TestServer;
  let admin: AdminApi;

  before(async () => {
    server = await startTestServer();
    admin = await adminApi(server);
  });
  after(async () => server.close());

  const publishedKids = async (serverId: string): Promise<string[]> =>
    (await (await fetch(`${server.baseUrl}/oauth2/${serverId}/v1/keys`)).json()).keys.map(
      (key: { kid: string }) => key.kid,
    );

  it('shows the default server in Okta shape, with its signing key and lifetimes', async () => {
    const listed = await admin.call('GET', '/authorizationServers');
    assert.equal(listed.status, 200);
    const shown = await admin.call('GET', '/authorizationServers/default');
    assert.deepEqual(listed.body, [shown.body]);
    const body = shown.body;
    assert.equal(body.issuer, 'https://idp.test/oauth2/default');
    assert.deepEqual(body.audiences, ['api://default']);
    assert.equal(body.default, true);
    assert.deepEqual(await publishedKids('default'), [body.credentials.signing.kid]);
    assert.equal(body.credentials.signing.rotationMode, 'AUTO');
    assert.equal(body.codeLifetimeSeconds, 60);
    assert.equal(body.accessTokenLifetimeSeconds, 3600);
  });

  it('creates a server with its issuer, key and lifetimes in one step', async () => {
    const created = await admin.call('POST', '/authorizationServers', {
      name: 'Orders',
      description: 'Orders API',
      audiences: ['api://orders'],
      codeLifetimeSeconds: 300,
      accessTokenLifetimeSeconds: 900,
    });
    assert.equal(created.status, 200, created.text);
    const { id } = created.body;
    assert.match(id, /^aus[A-Za-z0-9]{17}$/);
    assert.equal(created.body.issuer, `https://idp.test/oauth2/${id}`);
    assert.equal(created.body.codeLifetimeSeconds, 300);
    assert.equal(created.body.accessTokenLifetimeSeconds, 900);
    assert.equal(created.body.idTokenLifetimeSeconds, 3600);
    const discovery = await fetch(`${server.baseUrl}/oauth2/${id}/.well-known/openid-configuration`);
    assert.equal((await discovery.json()).issuer, created.body.issuer);
    assert.deepEqual(await publishedKids(id), [created.body.credentials.signing.kid]);
  });

  it('refuses bad settings with the field and creates nothing', async () => {
    const count = async () => (await server.deps.store.authorizationServers.list()).length;
    const before = await count();
    const base = { name: 'Bad', audiences: ['api://bad'] };
    const cases: [Record<string, unknown>, string][] = [
      [{ audiences: ['api://x'] }, 'name'],
      [{ ...base, audiences: ['api://a', 'api://b'] }, 'audiences'],
      [{ ...base, audiences: ['has space'] }, 'audiences'],
      [{ ...base, codeLifetimeSeconds: 5 }, 'codeLifetimeSeconds'],
      [{ ...base, accessTokenLifetimeSeconds: 60 }, 'accessTokenLifetimeSeconds'],
      [
        { ...base, refreshTokenIdleSeconds: 3600, refreshTokenAbsoluteSeconds: 1800 },
        'refreshTokenAbsoluteSeconds',
      ],
    ];
    for (const [body, field] of cases)
      assertFieldError(await admin.call('POST', '/authorizationServers', body), field);
    assert.equal(await count(), before);
  });

  it('changes a server: new lifetimes apply to the tokens it issues', async () => {
    const changed = await admin.call('PUT', '/authorizationServers/default', {
      accessTokenLifetimeSeconds: 600,
      description: 'Changed',
    });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.accessTokenLifetimeSeconds, 600);
    assert.deepEqual(changed.body.audiences, ['api://default']);
    const roundTrip = await admin.call('PUT', '/authorizationServers/default', changed.body);
    assert.equal(roundTrip.status, 200, roundTrip.text);
    assertFieldError(
      await admin.call('PUT', '/authorizationServers/default', { idTokenLifetimeSeconds: 999_999 }),
      'idTokenLifetimeSeconds',
    );
    assert.equal(
      (await admin.call('GET', '/authorizationServers/default')).body.idTokenLifetimeSeconds,
      3600,
    );
    server.clock.advance(6); // past the server directory's few-second cache
    const tokens = await issueTokens(server);
    assert.equal(tokens.expires_in, 600);
  });

  it('lists reserved and custom scopes; adds, changes and deletes custom ones', async () => {
    const scopes = async () => (await admin.call('GET', '/authorizationServers/default/scopes')).body;
    const system = (await scopes())
      .filter((scope: { system: boolean }) => scope.system)
      .map((scope: { name: string }) => scope.name);
    assert.deepEqual(system.sort(), ['address', 'email', 'offline_access', 'openid', 'phone', 'profile']);
    const created = await admin.call('POST', '/authorizationServers/default/scopes', {
      name: 'messages:read',
      description: 'Read messages',
      metadataPublish: 'NO_CLIENTS',
    });
    assert.equal(created.status, 200, created.text);
    assert.deepEqual(
      { id: created.body.id, system: created.body.system, metadataPublish: created.body.metadataPublish },
      { id: 'messages:read', system: false, metadataPublish: 'NO_CLIENTS' },
    );
    const path = `/authorizationServers/default/scopes/${encodeURIComponent('messages:read')}`;
    const changed = await admin.call('PUT', path, {
      displayName: 'Read your messages',
      metadataPublish: 'ALL_CLIENTS',
    });
    assert.equal(changed.body.displayName, 'Read your messages');
    assert.equal(changed.body.description, 'Read messages');
    assert.deepEqual((await admin.call('GET', path)).body, changed.body);
    assertFieldError(
      await admin.call('POST', '/authorizationServers/default/scopes', { name: 'messages:read' }),
      'name',
    );
    assertFieldError(
      await admin.call('POST', '/authorizationServers/default/scopes', { name: 'openid' }),
      'name',
    );
    assertFieldError(
      await admin.call('PUT', '/authorizationServers/default/scopes/openid', { description: 'x' }),
      'name',
    );
    assert.equal((await admin.call('GET', '/authorizationServers/default/scopes/openid')).body.system, true);
    assert.equal((await admin.call('DELETE', path)).status, 204);
    assertOktaError(
      await admin.call('GET', path),
      404,
      'E0000007',
      'Not found: Resource not found: messages:read (OAuth2Scope)',
    );
    const types = (await server.deps.store.events.list({ serverId: 'default', limit: 20 })).map(
      (event) => event.type,
    );
    for (const type of ['oauth2.scope.created', 'oauth2.scope.updated', 'oauth2.scope.deleted'])
      assert.ok(types.includes(type), type);
  });

  it('lists keys and stages the next one on keyRotate, published before it signs', async () => {
    const before = await admin.call('GET', '/authorizationServers/default/credentials/keys');
    assert.deepEqual(
      before.body.map((key: { status: string }) => key.status),
      ['ACTIVE'],
    );
    assert.deepEqual(Object.keys(before.body[0]).sort(), [
      'alg',
      'created',
      'e',
      'kid',
      'kty',
      'n',
      'status',
      'use',
    ]);
    const rotated = await admin.call(
      'POST',
      '/authorizationServers/default/credentials/lifecycle/keyRotate',
      { use: 'sig' },
    );
    assert.equal(rotated.status, 200, rotated.text);
    const next = rotated.body.find((key: { status: string }) => key.status === 'NEXT');
    assert.ok(next, 'a NEXT key');
    server.clock.advance(6); // past the key cache
    assert.deepEqual((await publishedKids('default')).sort(), [before.body[0].kid, next.kid].sort());
    const again = await admin.call('POST', '/authorizationServers/default/credentials/lifecycle/keyRotate');
    assert.deepEqual(again.body, rotated.body, 'a staged key is not staged twice');
    const shown = await admin.call('GET', '/authorizationServers/default');
    assert.equal(shown.body.credentials.signing.kid, before.body[0].kid, 'the old key still signs');
  });

  it('answers 404 E0000007 for an unknown server on every server route', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/authorizationServers/ausunknown'],
      ['PUT', '/authorizationServers/ausunknown', { name: 'x' }],
      ['GET', '/authorizationServers/ausunknown/scopes'],
      ['POST', '/authorizationServers/ausunknown/scopes', { name: 'x:y' }],
      ['GET', '/authorizationServers/ausunknown/scopes/x'],
      ['PUT', '/authorizationServers/ausunknown/scopes/x', {}],
      ['DELETE', '/authorizationServers/ausunknown/scopes/x'],
      ['GET', '/authorizationServers/ausunknown/claims'],
      ['GET', '/authorizationServers/ausunknown/credentials/keys'],
      ['POST', '/authorizationServers/ausunknown/credentials/lifecycle/keyRotate'],
    ];
    for (const [method, path, body] of routes) {
      assertOktaError(
        await admin.call(method, path, body),
        404,
        'E0000007',
        'Not found: Resource not found: ausunknown (AuthorizationServer)',
      );
    }
  });
});
