// Issue 9 §3: anonymous requests cannot grow the database without bound. /v1/authorize is rate-limited
// per address (rate-limit-routes.test.ts); a pending request holds at most 8 KB of parameters; a refused
// redirect URI is cut in the error and in the system log, with its length noted; every event is bounded;
// expired pending requests are swept (retention.test.ts).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_REASON_LENGTH } from '../../src/audit.ts';
import { authorizeUrl, defaultAuthorizeParams, makePkce } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

describe('DS-01 bounded storage per anonymous /authorize request', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('DS-01 a refused redirect_uri of 10,000 characters is cut to 200 in the page and the system log', async () => {
    const long = `https://evil.example/${'a'.repeat(10_000)}`;
    const response = await fetch(
      authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), { redirect_uri: long })),
    );
    assert.equal(response.status, 400);
    const html = await response.text();
    assert.ok(!html.includes('a'.repeat(300)), 'the page quotes at most 200 characters of it');
    const [event] = await server.deps.store.events.list({ limit: 1 });
    assert.ok(event);
    assert.ok(event.reason.length <= MAX_REASON_LENGTH + 40, `reason of ${event.reason.length} characters`);
    assert.match(event.reason, /\(10021 characters\)/);
  });

  it('DS-01 an event never holds more than the bounds, whatever the client sent', async () => {
    const response = await fetch(
      authorizeUrl(server, { ...defaultAuthorizeParams(server, makePkce()), client_id: 'x'.repeat(5000) }),
    );
    assert.equal(response.status, 400);
    await response.body?.cancel();
    const [event] = await server.deps.store.events.list({ limit: 1 });
    assert.ok(event);
    assert.ok((event.clientId?.length ?? 0) <= 240, `client id of ${event.clientId?.length} characters`);
    assert.ok(event.reason.length <= MAX_REASON_LENGTH + 40);
  });

  it('DS-01 a pending request with every parameter at its bound is kept; the stored row stays under 8 KB', async () => {
    const params = defaultAuthorizeParams(server, makePkce(), {
      state: 's'.repeat(4096),
      nonce: 'n'.repeat(1024),
      login_hint: `${'l'.repeat(500)}@x.io`,
    });
    const response = await fetch(authorizeUrl(server, params));
    assert.equal(response.status, 200, 'the sign-in page');
    const id = /name="transaction_id" value="([^"]+)"/.exec(await response.text())?.[1];
    assert.ok(id);
    const row = await server.deps.store.authorizationRequests.get(id);
    assert.ok(row);
    assert.ok(JSON.stringify(row.params).length < 8 * 1024 + 200);
  });
});
