// Dynamic client registration (RFC 7591, RFC 7592; SECURITY-MATRIX DR-*): closed by default; with an admin's
// initial access token any app type; open registration only for native public clients that redirect to the
// user's device; rate limited; registration access tokens stored hashed.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/oauth/random.ts';
import { createRegistrationToken } from '../../src/services/client-registration.ts';
import {
  authorizeUrl,
  CookieJar,
  hiddenFields,
  makePkce,
  postForm,
  redeem,
  responseParams,
  signIn,
} from '../fixtures/browser-flow.ts';
import { assertionForm, signAssertion, signingPair } from '../fixtures/machine-clients.ts';
import { databases, startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { expectTokens } from '../fixtures/token-assertions.ts';

const NATIVE = {
  client_name: 'Example MCP Client',
  redirect_uris: ['http://127.0.0.1/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'none',
  application_type: 'native',
};

async function register(server: TestServer, body: unknown, token?: string, path = '/oauth2/v1/clients') {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { response, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

function manage(
  uri: unknown,
  token: string,
  method: 'GET' | 'PUT' | 'DELETE',
  body?: unknown,
): Promise<Response> {
  return fetch(String(uri), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function assertError(
  result: { response: Response; body: Record<string, unknown> },
  status: number,
  error: string,
  description?: RegExp,
) {
  assert.equal(result.response.status, status, JSON.stringify(result.body));
  assert.equal(result.body['error'], error);
  if (description) assert.match(String(result.body['error_description']), description);
  assert.equal(result.response.headers.get('cache-control'), 'no-store');
}

describe('dynamic client registration: off by default', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.close());

  it('DR-01 refuses registration and does not advertise it', async () => {
    assertError(await register(server, NATIVE), 404, 'invalid_request', /LATCHKEY_CLIENT_REGISTRATION=off/);
    const discovery = (await (await fetch(server.url('/.well-known/openid-configuration'))).json()) as Record<
      string,
      unknown
    >;
    assert.equal(discovery['registration_endpoint'], undefined);
  });
});

for (const database of databases) {
  describe(`dynamic client registration (${database})`, () => {
    let open: TestServer;
    let initialToken: string;
    before(async () => {
      open = await startTestServer({
        database,
        // DR-09 tests the registration limit; here it must not get in the way.
        env: { LATCHKEY_CLIENT_REGISTRATION: 'open', LATCHKEY_REGISTRATION_RATE_LIMIT: '1000' },
      });
      initialToken = (
        await createRegistrationToken(open.deps, { name: 'ci', createdBy: 'test', expiresAt: null })
      ).token;
    });
    after(async () => open?.close());

    it('DR-02 discovery names the registration endpoint', async () => {
      for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
        const body = (await (await fetch(open.url(path))).json()) as Record<string, unknown>;
        assert.equal(body['registration_endpoint'], 'https://idp.test/oauth2/v1/clients', path);
      }
    });

    it('DR-03 open registration: a native public client with a loopback URI, a normal app that runs the code flow', async () => {
      const { response, body } = await register(open, NATIVE);
      assert.equal(response.status, 201, JSON.stringify(body));
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const clientId = String(body['client_id']);
      assert.equal(body['client_secret'], undefined);
      assert.equal(body['token_endpoint_auth_method'], 'none');
      assert.deepEqual(body['grant_types'], ['authorization_code', 'refresh_token']);
      assert.equal(body['registration_client_uri'], `https://idp.test/oauth2/v1/clients/${clientId}`);
      const accessToken = String(body['registration_access_token']);
      // Stored hashed only (AC-06).
      const stored = await open.deps.store.clientRegistrations.get(clientId);
      assert.equal(stored?.accessTokenHash, sha256Hex(accessToken));
      const app = (await open.deps.store.clients.list()).find((c) => c.clientId === clientId);
      assert.equal(app?.consentMethod, 'REQUIRED');
      assert.equal(app?.applicationType, 'native');
      const events = await open.deps.store.events.list({ limit: 20 });
      assert.ok(
        events.some(
          (e) =>
            e.type === 'app.oauth2.client.register' &&
            e.clientId === clientId &&
            e.actor === 'open registration',
        ),
      );
      // The code flow with PKCE, consent asked.
      const pkce = makePkce();
      const jar = new CookieJar();
      const consent = await signIn(
        open,
        authorizeUrl(open, {
          client_id: clientId,
          response_type: 'code',
          scope: 'openid offline_access',
          redirect_uri: 'http://127.0.0.1:40111/callback',
          state: 's',
          code_challenge_method: 'S256',
          code_challenge: pkce.challenge,
        }),
        jar,
      );
      assert.equal(consent.status, 200);
      const allowed = await postForm(
        `${open.baseUrl}/consent`,
        { ...hiddenFields(await consent.text()), decision: 'allow' },
        jar,
      );
      const code = responseParams(allowed.headers.get('location')).get('code') ?? '';
      const tokens = await expectTokens(
        await redeem(open, {
          grant_type: 'authorization_code',
          client_id: clientId,
          redirect_uri: 'http://127.0.0.1:40111/callback',
          code,
          code_verifier: pkce.verifier,
        }),
      );
      assert.ok(tokens.refresh_token);
    });

    it('DR-04 open registration refuses web apps and redirect URIs off the device', async () => {
      assertError(
        await register(open, { ...NATIVE, redirect_uris: ['https://evil.example/cb'] }),
        400,
        'invalid_redirect_uri',
        /not allowed without an initial access token/,
      );
      assertError(
        await register(open, { redirect_uris: ['https://app.example/cb'], application_type: 'web' }),
        400,
        'invalid_client_metadata',
        /only native public clients/,
      );
      assertError(
        await register(open, { ...NATIVE, token_endpoint_auth_method: 'client_secret_basic' }),
        400,
        'invalid_client_metadata',
      );
    });

    it('DR-05 with an initial access token: a web app with a secret; bad, revoked and expired tokens are refused', async () => {
      const { response, body } = await register(
        open,
        { client_name: 'Web', redirect_uris: ['https://app.example/cb'], application_type: 'web' },
        initialToken,
      );
      assert.equal(response.status, 201, JSON.stringify(body));
      assert.equal(body['token_endpoint_auth_method'], 'client_secret_basic');
      assert.equal(typeof body['client_secret'], 'string');
      assert.equal(body['client_secret_expires_at'], 0);
      const wrong = await register(open, NATIVE, 'lkr_wrong');
      assertError(wrong, 401, 'invalid_token', /invalid, expired or revoked/);
      assert.match(wrong.response.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
      const revoked = await createRegistrationToken(open.deps, {
        name: 'r',
        createdBy: null,
        expiresAt: null,
      });
      await open.deps.store.registrationTokens.revoke(revoked.row.id, open.clock.now());
      assertError(await register(open, NATIVE, revoked.token), 401, 'invalid_token');
      const expiring = await createRegistrationToken(open.deps, {
        name: 'e',
        createdBy: null,
        expiresAt: open.clock.now() + 10,
      });
      open.clock.advance(11);
      assertError(await register(open, NATIVE, expiring.token), 401, 'invalid_token');
      assert.equal(
        (await open.deps.store.registrationTokens.getByHash(sha256Hex(initialToken)))?.tokenHash,
        sha256Hex(initialToken),
      );
    });

    it('DR-06 RFC 7591 §3.2.2 errors say what to fix', async () => {
      assertError(await register(open, '{not json'), 400, 'invalid_client_metadata', /not valid JSON/);
      assertError(
        await register(open, { client_name: 'x' }),
        400,
        'invalid_redirect_uri',
        /redirect_uris is required/,
      );
      assertError(
        await register(open, { ...NATIVE, redirect_uris: ['com.example.app:/cb#x'] }),
        400,
        'invalid_redirect_uri',
        /fragment/,
      );
      assertError(
        await register(open, { ...NATIVE, grant_types: ['password'] }),
        400,
        'invalid_client_metadata',
        /password/,
      );
      assertError(
        await register(open, { ...NATIVE, response_types: ['token'] }),
        400,
        'invalid_client_metadata',
        /response_types/,
      );
      assertError(
        await register(open, { ...NATIVE, client_name: '' }),
        400,
        'invalid_client_metadata',
        /name/,
      );
      const text = await fetch(`${open.baseUrl}/oauth2/v1/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'redirect_uris=x',
      });
      assert.equal(text.status, 400);
      assert.equal(((await text.json()) as Record<string, unknown>)['error'], 'invalid_client_metadata');
    });

    it('DR-07 RFC 7592: read, update and delete with the registration access token only', async () => {
      const { body } = await register(open, NATIVE);
      const uri = body['registration_client_uri'];
      const token = String(body['registration_access_token']);
      const local = String(uri).replace('https://idp.test', open.baseUrl);
      const read = await manage(local, token, 'GET');
      assert.equal(read.status, 200);
      const metadata = (await read.json()) as Record<string, unknown>;
      assert.equal(metadata['client_id'], body['client_id']);
      assert.equal(metadata['registration_access_token'], undefined);
      const other = await register(open, NATIVE);
      const forged = await manage(local, String(other.body['registration_access_token']), 'GET');
      assert.equal(forged.status, 401, "another client's token");
      assert.match(forged.headers.get('www-authenticate') ?? '', /invalid_token/);
      const noId = await manage(local, token, 'PUT', { ...NATIVE });
      assert.equal(noId.status, 400);
      const updated = await manage(local, token, 'PUT', {
        client_id: body['client_id'],
        client_name: 'Renamed',
        redirect_uris: ['com.example.mcp:/cb'],
      });
      assert.equal(updated.status, 200);
      const after = (await updated.json()) as Record<string, unknown>;
      assert.equal(after['client_name'], 'Renamed');
      assert.deepEqual(after['redirect_uris'], ['com.example.mcp:/cb']);
      assert.deepEqual(
        after['grant_types'],
        ['authorization_code'],
        'omitted fields are reset (RFC 7592 §2.2)',
      );
      const widen = await manage(local, token, 'PUT', {
        client_id: body['client_id'],
        redirect_uris: ['https://evil.example/cb'],
      });
      assert.equal(widen.status, 400, 'an openly registered client cannot widen itself');
      assert.equal((await manage(local, token, 'DELETE')).status, 204);
      assert.equal((await manage(local, token, 'GET')).status, 401);
      assert.equal(await open.deps.store.clients.get(String(body['client_id'])), undefined);
    });

    it('DR-13 with an initial access token a web app registers private_key_jwt with inline jwks and authenticates with assertions', async () => {
      const pair = await signingPair('ES256');
      const webApp = {
        client_name: 'Signed web app',
        redirect_uris: ['https://app.example/cb'],
        application_type: 'web',
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [pair.publicJwk] },
      };
      assertError(
        await register(
          open,
          { ...webApp, jwks: undefined, jwks_uri: 'https://app.example/jwks' },
          initialToken,
        ),
        400,
        'invalid_client_metadata',
        /jwks_uri is not accepted at registration: send the public keys inline as jwks/,
      );
      assertError(
        await register(open, { ...webApp, jwks: undefined }, initialToken),
        400,
        'invalid_client_metadata',
        /register their public keys as jwks/,
      );
      const privateJwk = { ...pair.publicJwk, d: 'AAAA' };
      assertError(
        await register(open, { ...webApp, jwks: { keys: [privateJwk] } }, initialToken),
        400,
        'invalid_client_metadata',
        /private key material/,
      );
      assertError(
        await register(open, { ...NATIVE, jwks: { keys: [pair.publicJwk] } }),
        400,
        'invalid_client_metadata',
        /jwks is only for token_endpoint_auth_method private_key_jwt/,
      );
      assertError(
        await register(open, { ...webApp, application_type: 'native', redirect_uris: NATIVE.redirect_uris }),
        400,
        'invalid_client_metadata',
        /only native public clients/,
      );

      const { response, body } = await register(open, webApp, initialToken);
      assert.equal(response.status, 201, JSON.stringify(body));
      assert.equal(body['client_secret'], undefined, 'no shared secret for a private_key_jwt app');
      assert.equal(body['token_endpoint_auth_method'], 'private_key_jwt');
      assert.deepEqual(body['jwks'], { keys: [pair.publicJwk] });
      const clientId = String(body['client_id']);
      const read = await manage(
        String(body['registration_client_uri']).replace('https://idp.test', open.baseUrl),
        String(body['registration_access_token']),
        'GET',
      );
      assert.deepEqual(((await read.json()) as Record<string, unknown>)['jwks'], { keys: [pair.publicJwk] });

      const pkce = makePkce();
      const jar = new CookieJar();
      const consent = await signIn(
        open,
        authorizeUrl(open, {
          client_id: clientId,
          response_type: 'code',
          scope: 'openid',
          redirect_uri: 'https://app.example/cb',
          state: 's',
          code_challenge_method: 'S256',
          code_challenge: pkce.challenge,
        }),
        jar,
      );
      const allowed = await postForm(
        `${open.baseUrl}/consent`,
        { ...hiddenFields(await consent.text()), decision: 'allow' },
        jar,
      );
      const code = responseParams(allowed.headers.get('location')).get('code') ?? '';
      const form = {
        grant_type: 'authorization_code',
        redirect_uri: 'https://app.example/cb',
        code,
        code_verifier: pkce.verifier,
      };
      const assertion = await signAssertion(
        pair,
        clientId,
        'https://idp.test/oauth2/default/v1/token',
        open.clock.now(),
      );
      await expectTokens(await redeem(open, { ...form, ...assertionForm(assertion) }));
    });
  });
}

describe('dynamic client registration: token mode and rate limit', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      env: { LATCHKEY_CLIENT_REGISTRATION: 'token', LATCHKEY_REGISTRATION_RATE_LIMIT: '3' },
    });
  });
  after(async () => server?.close());

  it('DR-08 token mode refuses a registration without an initial access token', async () => {
    const result = await register(server, NATIVE);
    assertError(result, 401, 'invalid_token', /initial access token/);
  });

  it('DR-09 registrations are rate limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await register(server, NATIVE)).response.status);
    assert.equal(statuses.filter((s) => s === 429).length > 0, true, `statuses ${statuses}`);
  });
});
