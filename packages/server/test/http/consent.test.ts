// Consent (issue 3; OIDC Core §3.1.2.4; SECURITY-MATRIX LG-12, ID-04 (c)): apps marked "require consent"
// ask; Allow remembers the grant (reused for web and browser apps), Deny returns access_denied, native
// apps are asked every time, prompt=consent asks again, prompt=none cannot ask.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizeUrl,
  CookieJar,
  get,
  hiddenFields,
  makePkce,
  postForm,
  redeem,
  responseParams,
  signIn,
} from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

describe('consent', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    for (const app of [server.nativePub, server.webConf]) {
      await server.deps.store.clients.update(app.client.clientId, { consentMethod: 'REQUIRED' });
    }
  });
  after(async () => server.close());

  const webParams = (extra: Record<string, string> = {}) => ({
    client_id: server.webConf.client.clientId,
    response_type: 'code',
    scope: 'openid profile email',
    redirect_uri: 'https://app.example.com/cb',
    state: 'st',
    ...extra,
  });

  async function decide(jar: CookieJar, page: Response, decision: 'allow' | 'deny'): Promise<Response> {
    const html = await page.text();
    assert.match(html, /Allow access\?/);
    return postForm(`${server.baseUrl}/consent`, { ...hiddenFields(html), decision }, jar);
  }

  it('asks after sign-in, lists the scopes in plain words, and Allow returns a code that redeems', async () => {
    const jar = new CookieJar();
    const page = await signIn(server, authorizeUrl(server, webParams()), jar);
    assert.equal(page.status, 200);
    const html = await page.clone().text();
    assert.match(html, /See your email address/);
    assert.match(html, /Web Conf/);
    const allowed = await decide(jar, page, 'allow');
    assert.equal(allowed.status, 303);
    const params = responseParams(allowed.headers.get('location'));
    assert.equal(params.get('state'), 'st');
    const basic = Buffer.from(`${server.webConf.client.clientId}:${server.webConf.clientSecret}`).toString(
      'base64',
    );
    const tokens = await redeem(
      server,
      {
        grant_type: 'authorization_code',
        redirect_uri: 'https://app.example.com/cb',
        code: params.get('code') ?? '',
      },
      { authorization: `Basic ${basic}` },
    );
    assert.equal(tokens.status, 200);
    // Remembered: the same request from the same session goes straight back with a code.
    const again = await get(authorizeUrl(server, webParams()), jar);
    assert.equal(again.status, 302);
    assert.ok(responseParams(again.headers.get('location')).get('code'));
    // A wider request asks again.
    const wider = await get(
      authorizeUrl(server, webParams({ scope: 'openid profile email offline_access' })),
      jar,
    );
    assert.equal(wider.status, 200);
    // prompt=consent asks even for what was granted.
    const prompted = await get(authorizeUrl(server, webParams({ prompt: 'consent' })), jar);
    assert.equal(prompted.status, 200);
    assert.match(await prompted.text(), /Allow access\?/);
  });

  it('Deny redirects with access_denied, state and iss', async () => {
    const jar = new CookieJar();
    const page = await signIn(server, authorizeUrl(server, webParams({ scope: 'openid phone' })), jar);
    const denied = await decide(jar, page, 'deny');
    assert.equal(denied.status, 303);
    const params = responseParams(denied.headers.get('location'));
    assert.equal(params.get('error'), 'access_denied');
    assert.equal(
      params.get('error_description'),
      'The resource owner or authorization server denied the request.',
    );
    assert.equal(params.get('state'), 'st');
    assert.equal(params.get('iss'), server.issuer);
    assert.equal(params.get('code'), null);
  });

  it('ID-04 (c) prompt=none with consent still needed gets consent_required, no page', async () => {
    const jar = new CookieJar();
    const pkce = makePkce();
    const nativeParams = {
      client_id: server.nativePub.client.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'com.example.app:/oauth2redirect',
      state: 'n',
      code_challenge_method: 'S256',
      code_challenge: pkce.challenge,
    };
    const consentPage = await signIn(server, authorizeUrl(server, nativeParams), jar);
    await decide(jar, consentPage, 'allow');
    const silent = await get(authorizeUrl(server, { ...nativeParams, prompt: 'none' }), jar);
    assert.equal(silent.status, 302);
    const params = responseParams(silent.headers.get('location'));
    assert.equal(params.get('error'), 'consent_required');
    assert.equal(params.get('error_description'), 'The following scopes require user consent: [openid].');
  });

  it('LG-12 a native app is asked again: earlier consent is not reused silently', async () => {
    const jar = new CookieJar();
    const pkce = makePkce();
    const nativeParams = {
      client_id: server.nativePub.client.clientId,
      response_type: 'code',
      scope: 'openid profile',
      redirect_uri: 'com.example.app:/oauth2redirect',
      code_challenge_method: 'S256',
      code_challenge: pkce.challenge,
    };
    const first = await signIn(server, authorizeUrl(server, nativeParams), jar);
    assert.equal((await decide(jar, first, 'allow')).status, 303);
    const second = await get(authorizeUrl(server, nativeParams), jar);
    assert.equal(second.status, 200);
    assert.match(await second.text(), /Allow access\?/);
  });

  it('a consent form cannot be replayed, nor posted without its CSRF token', async () => {
    const jar = new CookieJar();
    const page = await signIn(server, authorizeUrl(server, webParams({ scope: 'openid address' })), jar);
    const fields = hiddenFields(await page.text());
    const noCsrf = await postForm(
      `${server.baseUrl}/consent`,
      { transaction_id: fields['transaction_id'] ?? '', decision: 'allow' },
      jar,
    );
    assert.equal(noCsrf.status, 403);
    assert.equal(
      (await postForm(`${server.baseUrl}/consent`, { ...fields, decision: 'allow' }, jar)).status,
      303,
    );
    assert.equal(
      (await postForm(`${server.baseUrl}/consent`, { ...fields, decision: 'allow' }, jar)).status,
      400,
    );
  });
});
