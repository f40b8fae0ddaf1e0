// RU-15: the page for a refused redirect_uri (or post_logout_redirect_uri) lists the app's registered URIs,
// the closest one and how they differ only with LATCHKEY_DEV_MODE=true or to a signed-in console admin.
// Anyone else, who may know no more than a client ID, gets the received URI and a request ID and time to
// quote to support; the system log event carries the same request ID and the full reason.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertErrorPage, newEvents } from '../fixtures/authorization-assertions.ts';
import {
  authorizeUrl,
  type CookieJar,
  defaultAuthorizeParams,
  get,
  makePkce,
} from '../fixtures/browser-flow.ts';
import { signedInConsole } from '../fixtures/console.ts';
import { logoutUrl, signInWithTokens } from '../fixtures/session-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const WRONG = 'http://127.0.0.1:5000/cb';
const REFERENCE =
  /request ID <code class="request-id">([0-9a-f-]{36})<\/code>, time <time datetime="([^"]+)">/;

function registeredShown(server: TestServer, html: string): boolean {
  return server.nativePub.client.redirectUris.some((uri) => html.includes(`<code class="uri">${uri}</code>`));
}

async function refusedAuthorize(server: TestServer, jar?: CookieJar) {
  let html = '';
  const events = await newEvents(server, async () => {
    const url = authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), { redirect_uri: WRONG }));
    html = await assertErrorPage(await get(url, jar), { error: 'invalid_request', untrustedUri: WRONG });
  });
  assert.equal(events.length, 1);
  return { html, event: events[0]! };
}

describe('RU-15 redirect-URI mismatch page', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('RU-15 anonymous: the received URI and a reference, not the registered URIs; the event has the request ID', async () => {
    const { html, event } = await refusedAuthorize(server);
    assert.ok(html.includes(WRONG), 'the received URI is shown');
    assert.equal(registeredShown(server, html), false, 'no registered URI');
    assert.doesNotMatch(html, /Closest registered URI|Difference|uri-closest|uri-list/);
    assert.doesNotMatch(html, /port differs/);
    const [, requestId, time] = REFERENCE.exec(html) ?? [];
    assert.ok(requestId, 'a request ID is shown');
    assert.equal(time, new Date(server.clock.now() * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    // The system log keeps the full reason, findable by the request ID.
    assert.ok(event.reason.includes(`(request ${requestId})`), event.reason);
    assert.ok(event.reason.includes(server.nativePub.client.redirectUris.join(', ')), event.reason);
  });

  it('RU-15 an end-user SSO session or a forged admin cookie is not enough', async () => {
    const { jar } = await signInWithTokens(server);
    jar.set('__Host-latchkey-admin', 'forged-session-id');
    const { html } = await refusedAuthorize(server, jar);
    assert.equal(registeredShown(server, html), false);
    assert.match(html, REFERENCE);
  });

  it('RU-15 a signed-in console admin sees the registered URIs, the closest one and the difference', async () => {
    const { client } = await signedInConsole(server);
    const { html } = await refusedAuthorize(server, client.jar);
    assert.equal(registeredShown(server, html), true);
    assert.match(html, /Closest registered URI/);
    assert.match(html, /<dt>Difference<\/dt>/);
    assert.doesNotMatch(html, REFERENCE);
  });

  it('RU-15 sign-out: the same rule for post_logout_redirect_uri', async () => {
    const { jar, tokens } = await signInWithTokens(server);
    const url = logoutUrl(server, { id_token_hint: tokens.id_token, post_logout_redirect_uri: WRONG });
    let html = '';
    const events = await newEvents(server, async () => {
      html = await assertErrorPage(await get(url, jar), { error: 'invalid_request', untrustedUri: WRONG });
    });
    assert.ok(!html.includes('<code class="uri">com.example.app:/logout</code>'), 'no registered URI');
    const [, requestId] = REFERENCE.exec(html) ?? [];
    assert.ok(requestId);
    assert.ok(events[0]?.reason.includes(`(request ${requestId})`), events[0]?.reason);

    const { client } = await signedInConsole(server);
    const admin = await assertErrorPage(await get(url, client.jar), { error: 'invalid_request' });
    assert.ok(admin.includes('<code class="uri">com.example.app:/logout</code>'), 'the admin sees it');
  });
});

describe('RU-15 with LATCHKEY_DEV_MODE=true', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { LATCHKEY_DEV_MODE: 'true' } });
  });
  after(() => server.close());

  it('RU-15 development mode shows the registered URIs to anyone', async () => {
    const { html } = await refusedAuthorize(server);
    assert.equal(registeredShown(server, html), true);
    assert.match(html, /Closest registered URI/);
  });
});
