// RT-08 (a new row): the tokens of a deactivated or deleted app stop working at once, on every instance.
// Every check (userinfo, introspection, the refresh grant) requires the token's app to exist and be ACTIVE,
// and deactivating or deleting the app revokes its refresh and access tokens in the store, so neither a
// cached ACTIVE row on another instance nor a later reactivation brings them back.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp, deleteApp } from '../../src/services/apps.ts';
import { type AdminApi, adminApi } from '../fixtures/admin-api.ts';
import { expectInvalidRefresh, refresh } from '../fixtures/refresh-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { expectTokenError } from '../fixtures/token-assertions.ts';
import {
  type FixtureClient,
  introspect,
  issueTokens,
  type Tokens,
  userinfo,
} from '../fixtures/token-endpoints.ts';

let a: TestServer;
let b: TestServer;
let admin: AdminApi;

before(async () => {
  a = await startTestServer();
  b = await startTestServer({ instanceOf: a });
  admin = await adminApi(a);
});
after(async () => {
  await b.close();
  await a.close();
});

/** Tokens of `client`, checked to work first; introspected by web-conf (a confidential client). */
async function workingTokens(
  server: TestServer,
  client: FixtureClient,
): Promise<Tokens & { refresh_token: string }> {
  const tokens = await issueTokens(server, { client, scope: 'openid profile offline_access' });
  assert.ok(tokens.refresh_token);
  assert.equal((await userinfo(server, tokens.access_token)).status, 200);
  assert.equal((await introspect(server, tokens.access_token, { as: 'webConf' }))['active'], true);
  assert.equal((await introspect(server, tokens.refresh_token, { as: 'webConf' }))['active'], true);
  return tokens as Tokens & { refresh_token: string };
}

async function assertTokensDead(
  server: TestServer,
  tokens: Tokens & { refresh_token: string },
): Promise<void> {
  const info = await userinfo(server, tokens.access_token);
  assert.equal(info.status, 401, await info.text());
  assert.match(info.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  assert.deepEqual(await introspect(server, tokens.access_token, { as: 'webConf' }), { active: false });
  assert.deepEqual(await introspect(server, tokens.refresh_token, { as: 'webConf' }), { active: false });
  assert.deepEqual(await introspect(server, tokens.refresh_token, { as: 'webConf', hint: 'refresh_token' }), {
    active: false,
  });
}

describe('RT-08: tokens of a deactivated or deleted app', () => {
  it('RT-08: deactivation ends the access and refresh tokens at once; reactivation does not revive them', async () => {
    const tokens = await workingTokens(a, 'nativePub');
    const appId = a.nativePub.client.clientId;
    assert.equal((await admin.call('POST', `/apps/${appId}/lifecycle/deactivate`)).status, 200);
    await assertTokensDead(a, tokens);
    // An inactive app cannot authenticate at /token at all (RFC 6749 §5.2 invalid_client).
    await expectTokenError(await refresh(a, 'nativePub', tokens.refresh_token), {
      status: 401,
      error: 'invalid_client',
    });

    assert.equal((await admin.call('POST', `/apps/${appId}/lifecycle/activate`)).status, 200);
    await assertTokensDead(a, tokens);
    await expectInvalidRefresh(await refresh(a, 'nativePub', tokens.refresh_token));
    // The app itself works again: new tokens are issued and honoured.
    await workingTokens(a, 'nativePub');
  });

  it('RT-08: on another instance that still caches the app as ACTIVE, its tokens are already dead', async () => {
    const tokens = await workingTokens(b, 'spaPub');
    // b has spa-pub cached as ACTIVE now; a deactivates it.
    assert.equal(
      (await admin.call('POST', `/apps/${a.spaPub.client.clientId}/lifecycle/deactivate`)).status,
      200,
    );
    await assertTokensDead(b, tokens);
    // b's cached row still authenticates the client, and the store refuses the revoked token.
    await expectInvalidRefresh(await refresh(b, 'spaPub', tokens.refresh_token));
    assert.equal(
      (await admin.call('POST', `/apps/${a.spaPub.client.clientId}/lifecycle/activate`)).status,
      200,
    );
  });

  it('RT-08: deleting an app revokes its tokens, and a token whose app is gone is never honoured', async () => {
    const { client: doomed } = await createApp(a.deps, {
      name: 'Doomed',
      applicationType: 'native',
      redirectUris: ['http://127.0.0.1/callback'],
      grantTypes: ['refresh_token'],
    });
    // Tokens for the new app through the same flow as the fixtures: other-pub's slot stands in for it.
    const asDoomed = { ...a, otherPub: { client: doomed, clientSecret: undefined } };
    const tokens = await issueTokensFor(asDoomed);
    // The CLI deletes an active app in one step (no deactivation first).
    await deleteApp(a.deps, doomed.clientId);
    await assertTokensDead(a, tokens);
    await assertTokensDead(b, tokens);
    await expectTokenError(await refresh(asDoomed, 'otherPub', tokens.refresh_token), {
      status: 401,
      error: 'invalid_client',
    });
  });

  it('RT-08: the checks themselves refuse a token of an INACTIVE app even where nothing was revoked', async () => {
    const tokens = await workingTokens(a, 'nativePub');
    // Straight at the store: the status changes, the token rows stay live.
    await a.deps.store.clients.update(a.nativePub.client.clientId, { status: 'INACTIVE' });
    await assertTokensDead(a, tokens);
    await a.deps.store.clients.update(a.nativePub.client.clientId, { status: 'ACTIVE' });
    assert.equal((await userinfo(a, tokens.access_token)).status, 200);
  });
});

async function issueTokensFor(server: TestServer): Promise<Tokens & { refresh_token: string }> {
  const tokens = await issueTokens(server, { client: 'otherPub', scope: 'openid profile offline_access' });
  assert.ok(tokens.refresh_token);
  assert.equal((await userinfo(server, tokens.access_token)).status, 200);
  assert.equal((await introspect(server, tokens.refresh_token, { as: 'webConf' }))['active'], true);
  return tokens as Tokens & { refresh_token: string };
}
