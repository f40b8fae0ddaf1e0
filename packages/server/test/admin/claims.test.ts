// Custom claims (/api/v1/authorizationServers/{id}/claims, OKTA-COMPAT §7.2): RESOURCE claims in access
// tokens, IDENTITY claims in ID tokens, on the code and the refresh grant, when a listed scope was granted.
// Values are a small safe language (refused otherwise with a 400), and a custom claim never replaces a
// registered one, even when the row reaches the database some other way.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ClaimRow } from '../../src/storage/store.ts';
import { type AdminApi, adminApi, assertFieldError, assertOktaError } from '../fixtures/admin-api.ts';
import { refresh } from '../fixtures/refresh-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { claimsOf, expectTokens } from '../fixtures/token-assertions.ts';
import { issueTokens } from '../fixtures/token-endpoints.ts';

const CLAIMS = '/authorizationServers/default/claims';

describe('admin API custom claims', () => {
  let server: TestServer;
  let admin: AdminApi;

  before(async () => {
    server = await startTestServer();
    admin = await adminApi(server);
  });
  after(async () => server.close());

  const addClaim = async (body: Record<string, unknown>): Promise<{ id: string }> => {
    const response = await admin.call('POST', CLAIMS, body);
    assert.equal(response.status, 200, response.text);
    return response.body;
  };

  it('puts ACTIVE claims into the tokens their type and scope conditions select, on every grant', async () => {
    await addClaim({
      name: 'department',
      claimType: 'RESOURCE',
      valueType: 'EXPRESSION',
      value: '"engineering"',
    });
    await addClaim({
      name: 'mail',
      claimType: 'RESOURCE',
      value: 'user.email',
      conditions: { scopes: ['email'] },
    });
    await addClaim({ name: 'app', claimType: 'RESOURCE', value: 'app.clientId' });
    await addClaim({
      name: 'phone_only',
      claimType: 'RESOURCE',
      value: 'user.login',
      conditions: { scopes: ['phone'] },
    });
    await addClaim({
      name: 'given',
      claimType: 'IDENTITY',
      value: 'user.firstName',
      conditions: { scopes: ['profile'] },
    });
    await addClaim({ name: 'handle', claimType: 'IDENTITY', value: 'user.login' });
    await addClaim({ name: 'dormant', claimType: 'IDENTITY', value: '"x"', status: 'INACTIVE' });
    await addClaim({
      name: 'userinfo_only',
      claimType: 'IDENTITY',
      value: '"x"',
      alwaysIncludeInToken: false,
    });

    const tokens = await issueTokens(server, { scope: 'openid profile email offline_access' });
    const access = claimsOf(tokens.access_token);
    assert.equal(access['department'], 'engineering');
    assert.equal(access['mail'], 'alice@example.com');
    assert.equal(access['app'], server.nativePub.client.clientId);
    assert.equal(access['phone_only'], undefined, 'phone was not granted');
    assert.equal(access['given'], undefined, 'IDENTITY claims stay out of access tokens');
    const id = claimsOf(tokens.id_token ?? '');
    assert.equal(id['given'], 'Alice');
    assert.equal(id['handle'], 'alice@example.com');
    assert.equal(id['department'], undefined, 'RESOURCE claims stay out of ID tokens');
    assert.equal(id['dormant'], undefined);
    assert.equal(id['userinfo_only'], undefined);

    const refreshed = await expectTokens(await refresh(server, 'nativePub', tokens.refresh_token ?? ''));
    assert.equal(claimsOf(refreshed.access_token)['department'], 'engineering');
    assert.equal(claimsOf(refreshed.id_token ?? '')['given'], 'Alice');

    const narrow = await issueTokens(server, { scope: 'openid' });
    assert.equal(claimsOf(narrow.access_token)['mail'], undefined, 'email was not granted');
    assert.equal(claimsOf(narrow.access_token)['department'], 'engineering');
  });

  it('never lets a custom claim replace a registered or standard claim', async () => {
    const now = server.clock.now();
    const row = (name: string, claimType: ClaimRow['claimType']): ClaimRow => ({
      id: `ocl${name}${claimType}`,
      serverId: 'default',
      name,
      claimType,
      valueType: 'EXPRESSION',
      value: '"evil"',
      scopes: [],
      alwaysIncludeInToken: true,
      status: 'ACTIVE',
      createdAt: now,
      updatedAt: now,
    });
    // Written straight to the database, past the API's checks.
    for (const name of ['sub', 'iss', 'aud', 'cid', 'uid', 'scp', 'jti'])
      await server.deps.store.claims.create(row(name, 'RESOURCE'));
    for (const name of ['sub', 'aud', 'nonce', 'at_hash', 'amr', 'idp'])
      await server.deps.store.claims.create(row(name, 'IDENTITY'));
    await addClaim({
      name: 'email',
      claimType: 'IDENTITY',
      value: '"spoof@evil.example"',
      conditions: { scopes: ['email'] },
    });
    const tokens = await issueTokens(server, { scope: 'openid email' });
    const access = claimsOf(tokens.access_token);
    const id = claimsOf(tokens.id_token ?? '');
    assert.equal(access.sub, 'alice@example.com');
    assert.equal(access.iss, 'https://idp.test/oauth2/default');
    assert.equal(access['cid'], server.nativePub.client.clientId);
    assert.ok(!JSON.stringify(access).includes('evil'), JSON.stringify(access));
    assert.equal(id.sub, server.user.id);
    assert.equal(id['nonce'], undefined, 'no nonce was sent, and none is made up');
    assert.equal(id['email'], 'alice@example.com');
    assert.ok(!JSON.stringify(id).includes('evil'), JSON.stringify(id));
    for (const name of ['sub', 'iss', 'aud', 'cid', 'uid', 'scp', 'jti'])
      await server.deps.store.claims.delete('default', `ocl${name}RESOURCE`);
    for (const name of ['sub', 'aud', 'nonce', 'at_hash', 'amr', 'idp'])
      await server.deps.store.claims.delete('default', `ocl${name}IDENTITY`);
  });

  it('refuses registered names, unknown expressions, other value types and unknown scopes', async () => {
    const before = (await server.deps.store.claims.listForServer('default')).length;
    const base = { claimType: 'RESOURCE', value: 'user.email' };
    const cases: [Record<string, unknown>, string][] = [
      ...[
        'iss',
        'sub',
        'aud',
        'exp',
        'iat',
        'jti',
        'cid',
        'uid',
        'scp',
        'ver',
        'auth_time',
        'nonce',
        'at_hash',
        'amr',
        'idp',
      ].map((name): [Record<string, unknown>, string] => [{ ...base, name }, 'name']),
      [{ ...base, name: 'has space' }, 'name'],
      [{ ...base, name: '__proto__' }, 'name'],
      ...[
        'user.passwordHash',
        'user.email.length',
        "require('fs')",
        '"a" + "b"',
        '"a\\"b"',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a template literal is exactly what is refused
        '`${user.email}`',
        'user["email"]',
        'appuser.email',
        '',
      ].map((value): [Record<string, unknown>, string] => [{ ...base, name: 'x', value }, 'value']),
      [{ ...base, name: 'x', valueType: 'GROUPS' }, 'valueType'],
      [{ ...base, name: 'x', claimType: 'BOTH' }, 'claimType'],
      [{ ...base, name: 'x', conditions: { scopes: ['no-such-scope'] } }, 'conditions.scopes'],
      [{ ...base, name: 'department' }, 'name'],
      [{ name: 'x', claimType: 'RESOURCE' }, 'value'],
    ];
    for (const [body, field] of cases) assertFieldError(await admin.call('POST', CLAIMS, body), field);
    assert.equal((await server.deps.store.claims.listForServer('default')).length, before);
  });

  it('shows, changes and deletes a claim; a deactivated claim leaves the tokens', async () => {
    const { id } = await addClaim({ name: 'team', claimType: 'RESOURCE', value: '"blue"' });
    const listed = await admin.call('GET', CLAIMS);
    const shown = await admin.call('GET', `${CLAIMS}/${id}`);
    assert.deepEqual(
      listed.body.find((claim: { id: string }) => claim.id === id),
      shown.body,
    );
    assert.deepEqual(
      { ...shown.body, _links: undefined },
      {
        id,
        name: 'team',
        status: 'ACTIVE',
        claimType: 'RESOURCE',
        valueType: 'EXPRESSION',
        value: '"blue"',
        alwaysIncludeInToken: true,
        conditions: { scopes: [] },
        system: false,
        _links: undefined,
      },
    );
    const changed = await admin.call('PUT', `${CLAIMS}/${id}`, { value: '"red"', status: 'INACTIVE' });
    assert.equal(changed.body.value, '"red"');
    assertFieldError(await admin.call('PUT', `${CLAIMS}/${id}`, { value: 'user.secret' }), 'value');
    assert.equal((await admin.call('GET', `${CLAIMS}/${id}`)).body.value, '"red"');
    assert.equal(claimsOf((await issueTokens(server, { scope: 'openid' })).access_token)['team'], undefined);
    assert.equal((await admin.call('DELETE', `${CLAIMS}/${id}`)).status, 204);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await admin.call(method, `${CLAIMS}/${id}`, method === 'PUT' ? {} : undefined);
      assertOktaError(response, 404, 'E0000007', `Not found: Resource not found: ${id} (Claim)`);
    }
    const types = (await server.deps.store.events.list({ serverId: 'default', limit: 50 })).map(
      (event) => event.type,
    );
    for (const type of ['oauth2.claim.created', 'oauth2.claim.updated', 'oauth2.claim.deleted'])
      assert.ok(types.includes(type), type);
  });
});
