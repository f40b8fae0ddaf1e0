// The read caches (storage/read-cache.ts): an app deactivated on one instance is refused there at once and
// on every other instance within 5 s, at /authorize and at /token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setAppStatus } from '../../src/services/app-lifecycle.ts';
import { authorizeUrl, defaultAuthorizeParams, get, makePkce } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

let a: TestServer;
let b: TestServer;

before(async () => {
  a = await startTestServer();
  b = await startTestServer({ instanceOf: a });
});
after(async () => {
  await b.close();
  await a.close();
});

async function authorizeStatus(server: TestServer): Promise<number> {
  const url = authorizeUrl(server, defaultAuthorizeParams(server, makePkce()));
  return (await get(url)).status;
}

async function refreshStatus(server: TestServer): Promise<number> {
  const response = await fetch(server.url('/v1/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: server.nativePub.client.clientId,
      refresh_token: 'not-a-real-token',
    }),
  });
  // 400 invalid_grant: the client was accepted; 401 invalid_client: it was refused.
  return response.status;
}

describe('read cache staleness bound', () => {
  it('a deactivated app is refused on the writing instance at once and everywhere within 5 s', async () => {
    // Both instances have the app cached as ACTIVE.
    assert.equal(await authorizeStatus(a), 200);
    assert.equal(await authorizeStatus(b), 200);
    assert.equal(await refreshStatus(b), 400);

    await setAppStatus(a.deps, a.nativePub.client.clientId, 'INACTIVE');
    assert.equal(await authorizeStatus(a), 400, 'the instance that wrote forgets at once');
    assert.equal(await refreshStatus(a), 401);

    // The other instance may serve its cached row for less than 5 s, never longer.
    b.clock.advance(4);
    assert.equal(await authorizeStatus(b), 400, 'refused within 5 s on every instance');
    assert.equal(await refreshStatus(b), 401);

    await setAppStatus(a.deps, a.nativePub.client.clientId, 'ACTIVE');
    assert.equal(await authorizeStatus(a), 200);
  });
});
