// RU-01…RU-10 on the real /authorize endpoint: an untrusted client or redirect URI gets the error page (400,
// HTML, no Location, nothing that navigates) and an audit event; registered URIs (loopback on any port,
// a registered query, private-use schemes) get a 302 to exactly that URI. Registration is tested in
// test/oauth/redirect-uri-registration.test.ts.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertErrorPage, assertIss, newEvents } from '../fixtures/authorization-assertions.ts';
import { authorizeUrl, CookieJar, get, makePkce, obtainCode, signIn } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const CODE = /^[A-Za-z0-9_-]{43}$/;

describe('/v1/authorize redirect_uri', () => {
  let server: TestServer;
  let session: CookieJar;
  const pkce = makePkce();

  before(async () => {
    server = await startTestServer();
    ({ jar: session } = await obtainCode(server));
  });
  after(async () => server.close());

  type Client = 'web' | 'native' | 'spa';
  const clientIdOf = (client: Client) =>
    ({ web: server.webConf, native: server.nativePub, spa: server.spaPub })[client].client.clientId;
  const params = (client: Client, redirectUri: string | undefined, extra: Record<string, string> = {}) => ({
    client_id: clientIdOf(client),
    response_type: 'code',
    scope: 'openid',
    state: 'st-1',
    ...(redirectUri === undefined ? {} : { redirect_uri: redirectUri }),
    ...(client === 'web' ? {} : { code_challenge_method: 'S256', code_challenge: pkce.challenge }),
    ...extra,
  });

  /** GET /authorize with an SSO session: must be the error page with one audit event. */
  async function expectErrorPage(query: Record<string, string>, error: string): Promise<string> {
    let html = '';
    const events = await newEvents(server, async () => {
      html = await assertErrorPage(await get(authorizeUrl(server, query), session), {
        error,
        untrustedUri: query['redirect_uri'],
      });
    });
    assert.equal(events.length, 1);
    assert.deepEqual(
      { type: events[0]?.type, outcome: events[0]?.outcome, error: events[0]?.error },
      { type: 'app.oauth2.authorize', outcome: 'FAILURE', error },
    );
    return html;
  }

  /** GET /authorize with an SSO session: must be a 302 to exactly `redirectUri` plus code, state, iss. */
  async function expectSuccess(client: Client, redirectUri: string): Promise<void> {
    const response = await get(authorizeUrl(server, params(client, redirectUri)), session);
    assert.equal(response.status, 302, await response.text());
    const location = response.headers.get('location') ?? '';
    const separator = redirectUri.includes('?') ? '&' : '?';
    const prefix = `${redirectUri}${separator}code=`;
    assert.ok(location.startsWith(prefix), location);
    const [code, ...rest] = location.slice(prefix.length).split('&');
    assert.match(code ?? '', CODE);
    assert.equal(rest.join('&'), new URLSearchParams({ state: 'st-1', iss: server.issuer }).toString());
    assertIss(location, server.issuer);
  }

  describe('RU-01 untrusted client or redirect_uri', () => {
    it('RU-01 web-conf with https://evil.example/cb', async () => {
      const html = await expectErrorPage(params('web', 'https://evil.example/cb'), 'invalid_request');
      assert.ok(html.includes('https://evil.example/cb'), 'the page shows the received redirect URI');
      // RU-15: the registered ones only in development or to a console admin (redirect-uri-mismatch-page).
      assert.ok(!html.includes('https://app.example.com/cb'), 'not the registered ones');
      assert.match(html, /request ID <code class="request-id">/);
    });
    it('RU-01 unknown client_id', async () => {
      const html = await expectErrorPage(
        { ...params('web', 'https://app.example.com/cb'), client_id: '0oaunknown' },
        'invalid_client',
      );
      assert.ok(html.includes("Invalid value for 'client_id' parameter."));
    });
    it('RU-01 missing client_id', async () => {
      const { client_id: _, ...query } = params('web', 'https://app.example.com/cb');
      await expectErrorPage(query, 'invalid_request');
    });
    it('RU-01 redirect_uri omitted, two registered URIs (web-conf)', async () => {
      await expectErrorPage(params('web', undefined), 'invalid_request');
    });
    it('RU-01 redirect_uri omitted, one registered URI (spa-pub)', async () => {
      await expectErrorPage(params('spa', undefined), 'invalid_request');
    });
  });

  const variantTables: [string, Client, string[]][] = [
    [
      'RU-02 byte-level variants',
      'web',
      [
        'https://app.example.com/cb/',
        'https://app.example.com/cbx',
        'https://app.example.com/cb/x',
        'https://app.example.com/cb/../evil',
        'https://app.example.com/cb/..;/evil',
        'https://app.example.com/cb%2F..%2Fevil',
        'https://app.example.com/%2e%2e/cb',
        'https://app.example.com/%252e%252e/cb',
        'https://app.example.com/CB',
        'HTTPS://APP.EXAMPLE.COM/cb',
        'https://app.example.com:443/cb',
      ],
    ],
    [
      'RU-03 authority confusion',
      'web',
      [
        'https://app.example.com@evil.example/cb',
        'https://app.example.com%40evil.example/cb',
        'https://a@b@evil.example/cb',
        'https://evil.example\\@app.example.com/cb',
        'https://evil.example#@app.example.com/cb',
        'https://evil.example?@app.example.com/cb',
      ],
    ],
    [
      'RU-04 host abuse',
      'web',
      [
        'https://app.example.com.evil.example/cb',
        'https://evilapp.example.com/cb',
        'https://sub.app.example.com/cb',
      ],
    ],
    [
      'RU-05 query and fragment',
      'web',
      [
        'https://app.example.com/cb2?tenant=b',
        'https://app.example.com/cb2?tenant=a&x=1',
        'https://app.example.com/cb?x=1',
        'https://app.example.com/cb#',
        'https://app.example.com/cb#x',
      ],
    ],
    [
      'RU-07 loopback requests that differ in more than the port (native-pub)',
      'native',
      [
        'http://127.0.0.1:5000/callback?bar=foo',
        'http://127.0.0.1:5000/callback/x',
        'http://127.0.0.1:5000/Callback',
        'https://127.0.0.1:5000/callback',
        'http://localhost:5000/callback',
      ],
    ],
    [
      'RU-07 localhost must match exactly (spa-pub)',
      'spa',
      ['http://localhost:8081/callback', 'http://localhost/callback', 'http://127.0.0.1:8080/callback'],
    ],
    [
      'RU-08 loopback look-alikes',
      'native',
      [
        'http://127.0.0.1.evil.example/callback',
        'http://localhost.evil.test/callback',
        'http://127.1/callback',
        'http://2130706433/callback',
        'http://0x7f.1/callback',
        'http://[::ffff:127.0.0.1]/callback',
        'http://127.0.0.1@evil.example/callback',
      ],
    ],
    [
      'RU-09 refused schemes at runtime',
      'native',
      [
        'http://app.example.com/cb',
        'http://localhost.evil.test/cb',
        'javascript:alert(1)',
        'JavaScript:alert(1)',
        'data:text/html,<script>alert(1)</script>',
        'vbscript:msgbox(1)',
        'file:///etc/passwd',
        '/cb',
      ],
    ],
  ];
  for (const [title, client, variants] of variantTables) {
    describe(title, () => {
      for (const variant of variants) {
        it(`${title.slice(0, 5)} ${variant}`, async () => {
          await expectErrorPage(params(client, variant), 'invalid_request');
        });
      }
    });
  }

  describe('RU-10 invalid redirect_uri with any response_mode', () => {
    for (const mode of ['query', 'fragment', 'form_post', 'form_post.jwt', 'bogus']) {
      it(`RU-10 response_mode=${mode}`, async () => {
        const html = await expectErrorPage(
          params('web', 'https://evil.example/cb', { response_mode: mode }),
          'invalid_request',
        );
        assert.doesNotMatch(html, /<form/i);
      });
    }
  });

  describe('RU-06 loopback and exact positive cases', () => {
    for (const [client, uri] of [
      ['native', 'http://127.0.0.1:53219/callback'],
      ['native', 'http://[::1]:61023/callback'],
      ['native', 'http://127.0.0.1/callback'],
      ['native', 'http://[::1]/callback'],
      ['spa', 'http://localhost:8080/callback'],
    ] as const) {
      it(`RU-06 ${client}-pub ${uri}`, () => expectSuccess(client, uri));
    }

    it('RU-06 http://127.0.0.1:53219/callback after the sign-in form', async () => {
      const url = authorizeUrl(server, params('native', 'http://127.0.0.1:53219/callback'));
      const response = await signIn(server, url, new CookieJar());
      assert.equal(response.status, 303);
      const location = response.headers.get('location') ?? '';
      assert.match(
        location,
        /^http:\/\/127\.0\.0\.1:53219\/callback\?code=[A-Za-z0-9_-]{43}&state=st-1&iss=/,
      );
      assertIss(location, server.issuer);
    });
  });

  it('RU-05 the registered query is kept and the code appended', () =>
    expectSuccess('web', 'https://app.example.com/cb2?tenant=a'));

  describe('RU-09 private-use scheme', () => {
    it('RU-09 com.example.app:/oauth2redirect from the SSO session: 302', () =>
      expectSuccess('native', 'com.example.app:/oauth2redirect'));

    it('RU-09 com.example.app:/oauth2redirect after the sign-in form: 303, not script', async () => {
      const url = authorizeUrl(server, params('native', 'com.example.app:/oauth2redirect'));
      const response = await signIn(server, url, new CookieJar());
      assert.equal(response.status, 303);
      assert.match(
        response.headers.get('location') ?? '',
        /^com\.example\.app:\/oauth2redirect\?code=[A-Za-z0-9_-]{43}&/,
      );
    });
  });
});
