// /v1/authorize errors after validation (RU-11), parameter pollution (RU-12), `iss` in every authorization
// response (MX-01), and the endpoint's headers (LG-09 part). PKCE at authorize: authorize-pkce.test.ts.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertErrorPage,
  assertErrorRedirect,
  assertIss,
  newEvents,
  rawRequest,
} from '../fixtures/authorization-assertions.ts';
import { authorizeUrl, CookieJar, get, makePkce, obtainCode, postForm } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const WEB_CB = 'https://app.example.com/cb';
const REPEATED = 'The request contained multiple parameters with the same name.';

describe('/v1/authorize', () => {
  let server: TestServer;
  let session: CookieJar;
  const pkce = makePkce();

  before(async () => {
    server = await startTestServer();
    ({ jar: session } = await obtainCode(server));
  });
  after(async () => server.close());

  const web = (extra: Record<string, string> = {}) => ({
    client_id: server.webConf.client.clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: WEB_CB,
    state: 'st-1',
    ...extra,
  });
  const publicClient = (clientId: string, redirectUri: string, extra: Record<string, string> = {}) => ({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: redirectUri,
    state: 'st-1',
    code_challenge_method: 'S256',
    code_challenge: pkce.challenge,
    ...extra,
  });
  const native = (extra: Record<string, string> = {}) =>
    publicClient(server.nativePub.client.clientId, 'http://127.0.0.1/callback', extra);
  const without = (query: Record<string, string>, ...names: string[]) =>
    Object.fromEntries(Object.entries(query).filter(([name]) => !names.includes(name)));

  describe('RU-11 errors after validation are redirected', () => {
    const cases: [string, () => Record<string, string>, string, string | RegExp][] = [
      [
        'response_type=token',
        () => web({ response_type: 'token' }),
        'unsupported_response_type',
        'The response type is not supported by the authorization server. Configured response types: [code].',
      ],
      [
        'response_type=id_token token',
        () => web({ response_type: 'id_token token' }),
        'unsupported_response_type',
        'The response type is not supported by the authorization server. Configured response types: [code].',
      ],
      [
        'response_type missing',
        () => without(web(), 'response_type'),
        'invalid_request',
        "The required parameter 'response_type' is missing.",
      ],
      [
        'scope=openid admin',
        () => web({ scope: 'openid admin' }),
        'invalid_scope',
        /^The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner\./,
      ],
      [
        'request=<jwt>',
        () => web({ request: 'eyJhbGciOiJub25lIn0.e30.' }),
        'request_not_supported',
        /request/,
      ],
      [
        'request_uri',
        () => web({ request_uri: 'https://evil.example/r' }),
        'request_uri_not_supported',
        /request_uri/,
      ],
      [
        'response_mode=fragment',
        () => web({ response_mode: 'fragment' }),
        'unsupported_response_mode',
        'The response mode is not supported by the authorization server. Valid response modes: [query, form_post, okta_post_message, web_message].',
      ],
    ];
    for (const [label, query, error, description] of cases) {
      it(`RU-11 ${label}`, async () => {
        const events = await newEvents(server, async () => {
          const response = await get(authorizeUrl(server, query()), session);
          assertErrorRedirect(response, server, { redirectUri: WEB_CB, error, description, state: 'st-1' });
        });
        assert.deepEqual(
          events.map((event) => [event.type, event.outcome, event.error]),
          [['app.oauth2.authorize', 'FAILURE', error]],
        );
      });
    }

    it('RU-11 without state, the error carries no state', async () => {
      const response = await get(
        authorizeUrl(server, without(web({ response_type: 'token' }), 'state')),
        session,
      );
      assertErrorRedirect(response, server, { redirectUri: WEB_CB, error: 'unsupported_response_type' });
    });
  });

  describe('RU-12 parameter pollution', () => {
    const base = () => authorizeUrl(server, web());
    for (const [label, suffix] of [
      ['client_id twice', () => `&client_id=${server.webConf.client.clientId}`],
      ['redirect_uri twice', () => `&redirect_uri=${encodeURIComponent(WEB_CB)}`],
      ['redirect_uri twice, second one evil', () => '&redirect_uri=https%3A%2F%2Fevil.example%2Fcb'],
    ] as const) {
      it(`RU-12 ${label}: error page`, async () => {
        const html = await assertErrorPage(await get(`${base()}${suffix()}`, session), {
          error: 'invalid_request',
        });
        assert.ok(html.includes(REPEATED));
      });
    }

    for (const [label, suffix, state] of [
      ['state twice', '&state=st-2', undefined],
      ['scope twice', '&scope=openid', 'st-1'],
      ['an unknown parameter twice', '&extra=1&extra=2', 'st-1'],
    ] as const) {
      it(`RU-12 ${label}: invalid_request redirect`, async () => {
        const response = await get(`${base()}${suffix}`, session);
        assertErrorRedirect(response, server, {
          redirectUri: WEB_CB,
          error: 'invalid_request',
          description: REPEATED,
          state,
        });
      });
    }

    it('RU-12 code_challenge twice: invalid_request redirect', async () => {
      const url = `${authorizeUrl(server, native())}&code_challenge=${pkce.challenge}`;
      assertErrorRedirect(await get(url, session), server, {
        redirectUri: 'http://127.0.0.1/callback',
        error: 'invalid_request',
        description: REPEATED,
        state: 'st-1',
      });
    });

    it('RU-12 the same name in the query and the POST body: invalid_request redirect', async () => {
      const response = await postForm(authorizeUrl(server, web()), { state: 'st-1' }, session);
      assertErrorRedirect(response, server, {
        redirectUri: WEB_CB,
        error: 'invalid_request',
        description: REPEATED,
      });
    });

    it('RU-12 client_id in the query and the POST body: error page', async () => {
      const response = await postForm(
        authorizeUrl(server, web()),
        { client_id: server.webConf.client.clientId },
        session,
      );
      await assertErrorPage(response, { error: 'invalid_request' });
    });
  });

  describe('MX-01 iss in every authorization response', () => {
    it('MX-01 a success redirect carries exactly one iss, whatever the request sent', async () => {
      const response = await get(authorizeUrl(server, native({ iss: 'https://evil.example' })), session);
      assert.equal(response.status, 302);
      assertIss(response.headers.get('location') ?? '', server.issuer);
    });
    it('MX-01 prompt=none without a session: login_required with iss', async () => {
      const response = await get(authorizeUrl(server, native({ prompt: 'none' })), new CookieJar());
      assertErrorRedirect(response, server, {
        redirectUri: 'http://127.0.0.1/callback',
        error: 'login_required',
        description: 'The client specified not to prompt, but the user is not logged in.',
        state: 'st-1',
      });
    });
    it('MX-01 discovery advertises authorization_response_iss_parameter_supported', async () => {
      const metadata = await (await fetch(server.url('/.well-known/openid-configuration'))).json();
      assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    });
  });

  describe('headers', () => {
    it('Referrer-Policy: no-referrer and no-store on the redirect, the sign-in page and the error page', async () => {
      const responses = [
        await get(authorizeUrl(server, native()), session),
        await get(authorizeUrl(server, native()), new CookieJar()),
        await get(authorizeUrl(server, web({ redirect_uri: 'https://evil.example/cb' })), session),
      ];
      assert.deepEqual(
        responses.map((response) => response.status),
        [302, 200, 400],
      );
      for (const response of responses) {
        assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
        assert.match(response.headers.get('cache-control') ?? '', /no-store/);
      }
    });

    it('LG-09 no Access-Control-Allow-Origin on /authorize for a foreign Origin', async () => {
      const headers = { origin: 'https://evil.example' };
      const getResponse = await fetch(authorizeUrl(server, native()), { redirect: 'manual', headers });
      const preflight = await fetch(server.url('/v1/authorize'), {
        method: 'OPTIONS',
        headers: { ...headers, 'access-control-request-method': 'GET' },
      });
      for (const response of [getResponse, preflight]) {
        assert.equal(response.headers.get('access-control-allow-origin'), null);
        assert.equal(response.headers.get('access-control-allow-credentials'), null);
      }
    });
  });

  describe('URL layout', () => {
    it('/oauth2/v1/authorize (org server) is 404 naming the issuer', async () => {
      const response = await fetch(`${server.baseUrl}/oauth2/v1/authorize?client_id=x`, {
        redirect: 'manual',
      });
      assert.equal(response.status, 404);
      const body = await response.json();
      assert.equal(body.error, 'invalid_request');
      assert.ok(body.error_description.includes(server.issuer), body.error_description);
    });

    it('an unknown authorization server id is 404 E0000007', async () => {
      const response = await rawRequest(server.baseUrl, '/oauth2/nope/v1/authorize?client_id=x');
      assert.equal(response.status, 404);
      const body = JSON.parse(response.body);
      assert.equal(body.errorCode, 'E0000007');
      assert.equal(body.errorSummary, 'Not found: Resource not found: nope (AuthorizationServer)');
    });
  });
});
