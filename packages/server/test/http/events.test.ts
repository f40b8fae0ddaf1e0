// Each authorize, sign-in and token outcome is recorded for the system log, with the reason in plain words
// and never a secret (SECURITY-MATRIX AD-03).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  get,
  makePkce,
  obtainCode,
  redeem,
  signIn,
} from '../fixtures/browser-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';

describe('system log events', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  const latest = async (type: string) =>
    (await server.deps.store.events.list({ limit: 50 })).filter((event) => event.type === type);

  it('AD-03 a redirect URI mismatch names the URI received and the ones registered', async () => {
    const response = await get(
      authorizeUrl(
        server,
        defaultAuthorizeParams(server, makePkce(), { redirect_uri: 'http://127.0.0.1:5000/cb' }),
      ),
    );
    assert.equal(response.status, 400);
    const [event] = await latest('app.oauth2.authorize');
    assert.equal(event?.outcome, 'FAILURE');
    assert.equal(event?.clientId, server.nativePub.client.clientId);
    assert.equal(
      event?.reason.replace(/ \(request [0-9a-f-]{36}\)$/, ''),
      `redirect_uri http://127.0.0.1:5000/cb is not registered for Native Pub; registered: ${server.nativePub.client.redirectUris.join(', ')}`,
    );
  });

  it('AD-03 sign-in failures and successes are recorded without the password', async () => {
    const jar = new CookieJar();
    const url = authorizeUrl(server, defaultAuthorizeParams(server, makePkce()));
    await signIn(server, url, jar, { password: 'not the password' });
    await signIn(server, url, jar);
    const events = await latest('user.authentication.sso');
    assert.deepEqual(
      events.slice(0, 2).map((event) => event.outcome),
      ['SUCCESS', 'FAILURE'],
    );
    assert.equal(events[1]?.reason, 'Sign-in to Native Pub failed: wrong password.');
    assert.equal(events[0]?.userId, server.user.id);
    const all = JSON.stringify(await server.deps.store.events.list({ limit: 100 }));
    assert.ok(!all.includes(TEST_PASSWORD) && !all.includes('not the password'));
  });

  it('AD-03 token outcomes: a PKCE mismatch is explained, codes and verifiers never appear', async () => {
    const { code, pkce, redirectUri } = await obtainCode(server);
    const wrong = makePkce();
    const form = {
      grant_type: 'authorization_code',
      client_id: server.nativePub.client.clientId,
      redirect_uri: redirectUri,
      code,
    };
    assert.equal((await redeem(server, { ...form, code_verifier: wrong.verifier })).status, 400);
    assert.equal((await redeem(server, { ...form, code_verifier: pkce.verifier })).status, 200);
    assert.equal((await redeem(server, { ...form, code_verifier: pkce.verifier })).status, 400);
    const tokenEvents = await latest('app.oauth2.token.grant');
    assert.equal(tokenEvents[1]?.outcome, 'SUCCESS');
    assert.equal(
      tokenEvents[2]?.reason,
      'authorization_code request refused: code_verifier does not match the code_challenge sent to /authorize.',
    );
    const [reuse] = await latest('app.oauth2.as.token.detect_reuse');
    assert.match(
      reuse?.reason ?? '',
      /^Authorization code already used at \d{4}-\d\d-\d\dT.*; 2 token\(s\) issued from it were revoked\.$/,
    );
    const all = JSON.stringify(await server.deps.store.events.list({ limit: 100 }));
    for (const secret of [code, pkce.verifier, wrong.verifier]) assert.ok(!all.includes(secret));
  });
});
