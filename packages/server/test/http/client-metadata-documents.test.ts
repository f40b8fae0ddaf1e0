// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document; SECURITY-MATRIX CM-*): a URL
// client_id is fetched from a local https host (its self-signed CA given to the fetcher only), validated,
// cached, and runs the whole code flow with PKCE; every refusal is an invalid_client error page.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { FETCH_EVENT } from '../../src/services/client-metadata/directory.ts';
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
import { signedInConsole } from '../fixtures/console.ts';
import { type MetadataHost, startMetadataHost } from '../fixtures/metadata-host.ts';
import { databases, startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { expectTokenError, expectTokens } from '../fixtures/token-assertions.ts';

const REDIRECT_URI = 'http://127.0.0.1/callback';

for (const database of databases) {
  describe(`Client ID Metadata Documents (${database})`, () => {
    let host: MetadataHost;
    let server: TestServer;
    const clientUrl = (path: string) => `${host.origin}${path}`;
    const documentFor = (path: string, extra: Record<string, unknown> = {}) => ({
      client_id: clientUrl(path),
      client_name: 'Example MCP Client',
      client_uri: 'https://mcp.example.com',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
      ...extra,
    });
    const host_ = (path: string, extra: Record<string, unknown> = {}, route = {}) =>
      host.routes.set(path, { body: documentFor(path, extra), ...route });

    before(async () => {
      host = await startMetadataHost();
      server = await startTestServer({
        database,
        env: {
          LATCHKEY_CLIENT_METADATA_ALLOW_HOSTS: 'localhost',
          LATCHKEY_CLIENT_METADATA_BLOCK_HOSTS: 'blocked.example',
        },
        clientMetadataFetch: { ca: host.ca, timeoutMs: 800 },
      });
    });
    after(async () => {
      await server?.close();
      await host?.close();
    });

    const params = (clientId: string, challenge: string, extra: Record<string, string> = {}) => ({
      client_id: clientId,
      response_type: 'code',
      scope: 'openid profile offline_access',
      redirect_uri: 'http://127.0.0.1:53682/callback',
      state: 'cm-state',
      code_challenge_method: 'S256',
      code_challenge: challenge,
      ...extra,
    });

    it('CM-01 a URL client_id runs the code flow with PKCE: unverified consent, tokens, refresh', async () => {
      host_('/cm01.json');
      const clientId = clientUrl('/cm01.json');
      const pkce = makePkce();
      const jar = new CookieJar();
      const signInPage = await get(authorizeUrl(server, params(clientId, makePkce().challenge)));
      assert.match(
        await signInPage.text(),
        new RegExp(`Example MCP Client \\(unverified app from localhost:${host.port}\\)`),
      );
      const consent = await signIn(server, authorizeUrl(server, params(clientId, pkce.challenge)), jar);
      assert.equal(consent.status, 200);
      const html = await consent.text();
      assert.match(html, /Allow access\?/);
      assert.match(html, /Example MCP Client/);
      assert.match(html, new RegExp(`Unverified app from <strong>localhost:${host.port}</strong>`));
      const allowed = await postForm(
        `${server.baseUrl}/consent`,
        { ...hiddenFields(html), decision: 'allow' },
        jar,
      );
      assert.equal(allowed.status, 303);
      const location = allowed.headers.get('location') ?? '';
      assert.ok(location.startsWith('http://127.0.0.1:53682/callback?'), location);
      const code = responseParams(location).get('code') ?? '';
      const tokens = await expectTokens(
        await redeem(server, {
          grant_type: 'authorization_code',
          client_id: clientId,
          redirect_uri: 'http://127.0.0.1:53682/callback',
          code,
          code_verifier: pkce.verifier,
        }),
      );
      assert.equal(decodeJwt(tokens.access_token)['cid'], clientId);
      assert.ok(tokens.refresh_token);
      const refreshed = await expectTokens(
        await redeem(server, {
          grant_type: 'refresh_token',
          client_id: clientId,
          refresh_token: tokens.refresh_token,
        }),
      );
      assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'public clients rotate (rule 3)');
      // Without the verifier the code flow is refused: PKCE is required of every such client (rule 2).
      const noPkce = await get(authorizeUrl(server, { ...params(clientId, ''), code_challenge: '' }), jar);
      assert.equal(responseParams(noPkce.headers.get('location')).get('error'), 'invalid_request');
      // Fetched once, from the cache since; the system log names the client URL.
      assert.equal(host.hits.get('/cm01.json'), 1);
      const events = await server.deps.store.events.list({ limit: 50 });
      assert.ok(
        events.some((e) => e.type === FETCH_EVENT && e.outcome === 'SUCCESS' && e.clientId === clientId),
      );
      const seen = await server.deps.store.clientMetadataDocuments.get(clientId);
      assert.equal(seen?.clientName, 'Example MCP Client');
      assert.equal(seen?.host, `localhost:${host.port}`);
    });

    it('CM-02 the consent page is shown every time: never remembered, never trusted', async () => {
      host_('/cm02.json');
      const clientId = clientUrl('/cm02.json');
      const jar = new CookieJar();
      const first = await signIn(server, authorizeUrl(server, params(clientId, makePkce().challenge)), jar);
      const allowed = await postForm(
        `${server.baseUrl}/consent`,
        { ...hiddenFields(await first.text()), decision: 'allow' },
        jar,
      );
      assert.equal(allowed.status, 303);
      const again = await get(authorizeUrl(server, params(clientId, makePkce().challenge)), jar);
      assert.equal(again.status, 200, 'asked again, not redirected with a code');
      assert.match(await again.text(), /Unverified app from/);
      const silent = await get(
        authorizeUrl(server, params(clientId, makePkce().challenge, { prompt: 'none' })),
        jar,
      );
      assert.equal(responseParams(silent.headers.get('location')).get('error'), 'consent_required');
    });

    it('CM-03 discovery says client_id_metadata_document_supported', async () => {
      for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
        const body = (await (await fetch(server.url(path))).json()) as Record<string, unknown>;
        assert.equal(body['client_id_metadata_document_supported'], true, path);
      }
    });

    const refusals: {
      name: string;
      path?: string;
      clientId?: () => string;
      setup?: () => void;
      reason: RegExp;
    }[] = [
      {
        name: 'an http URL',
        clientId: () => `http://localhost:${host.port}/x.json`,
        reason: /must use https/,
      },
      {
        name: 'a private (loopback) address',
        clientId: () => `https://127.0.0.1:${host.port}/x.json`,
        reason: /127\.0\.0\.1 is a loopback address, which is never fetched/,
      },
      { name: 'a URL without a path', clientId: () => `${host.origin}/`, reason: /must have a path/ },
      {
        name: 'a fragment',
        clientId: () => `${host.origin}/x.json#a`,
        reason: /must not contain a fragment/,
      },
      {
        name: 'a blocked host',
        clientId: () => 'https://app.blocked.example/c.json',
        reason: /blocked by this server's administrator/,
      },
      {
        name: 'a redirect',
        path: '/redirect.json',
        setup: () =>
          host.routes.set('/redirect.json', {
            status: 302,
            headers: { location: `${host.origin}/cm01.json` },
          }),
        reason: /redirect \(HTTP 302\); redirects are not followed/,
      },
      {
        name: 'a document larger than 5 KB (Content-Length)',
        path: '/big.json',
        setup: () => host_('/big.json', { padding: 'x'.repeat(6000) }),
        reason: /larger than 5120 bytes/,
      },
      {
        name: 'a document larger than 5 KB (streamed)',
        path: '/big-chunked.json',
        setup: () => host_('/big-chunked.json', { padding: 'x'.repeat(6000) }, { chunked: true }),
        reason: /larger than 5120 bytes/,
      },
      {
        name: 'a slow host',
        path: '/slow.json',
        setup: () => host_('/slow.json', {}, { delayMs: 2000 }),
        reason: /did not answer within 0\.8 s/,
      },
      {
        name: 'a document that is not JSON',
        path: '/html.json',
        setup: () =>
          host.routes.set('/html.json', { body: '<html></html>', headers: { 'content-type': 'text/html' } }),
        reason: /content type is "text\/html", not application\/json/,
      },
      {
        name: 'a mismatched client_id',
        path: '/mismatch.json',
        setup: () => host_('/mismatch.json', { client_id: `${host.origin}/other.json` }),
        reason: /client_id must be exactly/,
      },
      {
        name: 'a shared-secret auth method',
        path: '/secret-method.json',
        setup: () => host_('/secret-method.json', { token_endpoint_auth_method: 'client_secret_basic' }),
        reason: /token_endpoint_auth_method "client_secret_basic" is not allowed/,
      },
      {
        name: 'a client_secret in the document',
        path: '/secret.json',
        setup: () => host_('/secret.json', { client_secret: 'shh' }),
        reason: /must not contain a client_secret/,
      },
      {
        name: 'a grant type other than code and refresh',
        path: '/password.json',
        setup: () => host_('/password.json', { grant_types: ['password'] }),
        reason: /grant_types may only contain authorization_code and refresh_token/,
      },
      {
        name: 'an unsafe redirect URI',
        path: '/js.json',
        setup: () => host_('/js.json', { redirect_uris: ['javascript:alert(1)'] }),
        reason: /redirect URI "javascript:alert\(1\)" uses the javascript: scheme/,
      },
      { name: 'a missing document (404)', path: '/missing.json', reason: /answered HTTP 404, not 200/ },
    ];
    for (const refusal of refusals) {
      it(`CM-04 refuses ${refusal.name} with invalid_client on the error page, never a redirect`, async () => {
        refusal.setup?.();
        const clientId = refusal.clientId?.() ?? clientUrl(refusal.path ?? '/');
        const response = await get(authorizeUrl(server, params(clientId, makePkce().challenge)));
        assert.equal(response.status, 400);
        assert.equal(response.headers.get('location'), null);
        const html = await response.text();
        assert.match(html, /invalid_client/);
        const decoded = html
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, '&');
        assert.match(decoded, refusal.reason);
        const events = await server.deps.store.events.list({ limit: 20 });
        assert.ok(
          events.some((e) => e.outcome === 'FAILURE' && e.clientId === clientId.slice(0, 200)),
          'the system log names the client URL',
        );
      });
    }

    it('CM-05 caches per Cache-Control within the bounds, then fetches again', async () => {
      host_('/cached.json', {}, { headers: { 'cache-control': 'max-age=600' } });
      host_('/short.json', {}, { headers: { 'cache-control': 'max-age=5' } });
      const clientId = clientUrl('/cached.json');
      const open = (id: string) => get(authorizeUrl(server, params(id, makePkce().challenge)));
      assert.equal((await open(clientId)).status, 200);
      assert.equal((await open(clientUrl('/short.json'))).status, 200);
      server.clock.advance(400);
      assert.equal((await open(clientId)).status, 200);
      assert.equal((await open(clientUrl('/short.json'))).status, 200);
      assert.equal(host.hits.get('/cached.json'), 1, 'max-age=600 holds');
      assert.equal(host.hits.get('/short.json'), 2, 'max-age=5 is raised to the 300 s minimum, then ends');
      // Another instance on the same database reuses the stored document.
      const other = await startTestServer({
        instanceOf: server,
        env: { LATCHKEY_CLIENT_METADATA_ALLOW_HOSTS: 'localhost' },
        clientMetadataFetch: { ca: host.ca },
      });
      try {
        assert.equal((await get(authorizeUrl(other, params(clientId, makePkce().challenge)))).status, 200);
      } finally {
        await other.close();
      }
      assert.equal(host.hits.get('/cached.json'), 1);
      server.clock.advance(300);
      assert.equal((await open(clientId)).status, 200);
      assert.equal(host.hits.get('/cached.json'), 2);
    });

    it('CM-10 the console lists recently seen metadata-document clients with host, name and last use', async () => {
      host_('/console.json', { client_name: 'Console Listed Client' });
      assert.equal(
        (await get(authorizeUrl(server, params(clientUrl('/console.json'), makePkce().challenge)))).status,
        200,
      );
      const { client } = await signedInConsole(server);
      const { response, html } = await client.get('/console/apps');
      assert.equal(response.status, 200);
      assert.match(html, /Recently seen metadata-document clients/);
      assert.match(html, /Console Listed Client/);
      assert.ok(html.includes(clientUrl('/console.json')));
      assert.ok(html.includes(`localhost:${host.port}`));
    });

    it('CM-07 a private_key_jwt client authenticates with the inline jwks of its document; a jwks_uri is refused', async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      host_('/pkjwt.json', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } });
      const clientId = clientUrl('/pkjwt.json');
      const jar = new CookieJar();
      const consent = await signIn(server, authorizeUrl(server, params(clientId, makePkce().challenge)), jar);
      assert.equal(consent.status, 200);
      const form = { grant_type: 'authorization_code', client_id: clientId, code: 'x', code_verifier: 'y' };
      await expectTokenError(await redeem(server, form), { status: 401, error: 'invalid_client' });
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(`${server.issuer}/v1/token`)
        .setJti(`cm-07-${Date.now()}`)
        .setIssuedAt(server.clock.now())
        .setExpirationTime(server.clock.now() + 60)
        .sign(privateKey);
      const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
      // The assertion is verified with the document's key: the request gets as far as the (made-up) code.
      await expectTokenError(
        await redeem(server, { ...form, client_assertion_type: assertionType, client_assertion: assertion }),
        { status: 400, error: 'invalid_grant' },
      );
      host_('/pkjwt-uri.json', {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: 'https://mcp.example.com/jwks',
      });
      const refused = await get(
        authorizeUrl(server, params(clientUrl('/pkjwt-uri.json'), makePkce().challenge)),
      );
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /put the public keys inline as jwks/);
    });
  });
}

describe('Client ID Metadata Documents turned off', () => {
  it('CM-08 LATCHKEY_CLIENT_METADATA_DOCUMENTS=off: not in discovery, a URL client_id is refused clearly', async () => {
    const server = await startTestServer({ env: { LATCHKEY_CLIENT_METADATA_DOCUMENTS: 'off' } });
    try {
      const body = (await (await fetch(server.url('/.well-known/openid-configuration'))).json()) as Record<
        string,
        unknown
      >;
      assert.equal(body['client_id_metadata_document_supported'], undefined);
      const response = await get(
        authorizeUrl(server, {
          client_id: 'https://mcp.example.com/client.json',
          response_type: 'code',
          redirect_uri: REDIRECT_URI,
        }),
      );
      assert.equal(response.status, 400);
      assert.match(await response.text(), /does not accept Client ID Metadata Documents/);
    } finally {
      await server.close();
    }
  });
});
