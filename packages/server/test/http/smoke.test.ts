import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { obtainCode, redeem } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

describe('smoke', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it('runs the PKCE flow', async () => {
    const { code, pkce, redirectUri } = await obtainCode(server);
    const response = await redeem(server, {
      grant_type: 'authorization_code',
      client_id: server.nativePub.client.clientId,
      redirect_uri: redirectUri,
      code,
      code_verifier: pkce.verifier,
    });
    const body = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.ok(body.refresh_token);
  });
});
