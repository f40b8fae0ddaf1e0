// Discovery and keys: MX-02 (both metadata documents, three URLs, OKTA-COMPAT §1.8 and the §9 checklist),
// MX-03 (Host and X-Forwarded-* never change the issuer), /v1/keys (OKTA-COMPAT §1.3), and the header of
// every issued JWT (RS256 with a kid from /v1/keys, OKTA-COMPAT §2.2).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { rawRequest } from '../fixtures/authorization-assertions.ts';
import { obtainCode, redeem } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

type Metadata = Record<string, unknown> & { issuer: string };
const ENDPOINTS = {
  authorization_endpoint: 'authorize',
  token_endpoint: 'token',
  jwks_uri: 'keys',
  introspection_endpoint: 'introspect',
  revocation_endpoint: 'revoke',
  end_session_endpoint: 'logout',
} as const;
const ACCESS_TOKEN_CLAIMS = ['ver', 'jti', 'iss', 'aud', 'iat', 'exp', 'cid', 'uid', 'scp', 'sub'];
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

describe('discovery and keys', () => {
  let server: TestServer;
  let oidc: Metadata;
  let oauthForms: Metadata[];
  let keys: JWK[];

  const paths = () => ({
    oidc: '/oauth2/default/.well-known/openid-configuration',
    oauth: '/oauth2/default/.well-known/oauth-authorization-server',
    rfc8414: '/.well-known/oauth-authorization-server/oauth2/default',
    keys: '/oauth2/default/v1/keys',
  });

  async function getJson(path: string): Promise<{ response: Response; body: Metadata }> {
    const response = await fetch(`${server.baseUrl}${path}`);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    return { response, body: (await response.json()) as Metadata };
  }

  before(async () => {
    server = await startTestServer();
    oidc = (await getJson(paths().oidc)).body;
    oauthForms = [(await getJson(paths().oauth)).body, (await getJson(paths().rfc8414)).body];
    keys = ((await getJson(paths().keys)).body as unknown as { keys: JWK[] }).keys;
  });
  after(async () => server.close());

  describe('MX-02 discovery documents', () => {
    it('MX-02 issuer is the configured issuer exactly, in all three documents', () => {
      assert.equal(server.issuer, 'https://idp.test/oauth2/default');
      for (const document of [oidc, ...oauthForms]) assert.equal(document.issuer, server.issuer);
    });

    it('MX-02 every endpoint is issuer + /v1/<name> and https', () => {
      for (const document of [oidc, ...oauthForms]) {
        for (const [field, name] of Object.entries(ENDPOINTS)) {
          assert.equal(document[field], `${server.issuer}/v1/${name}`, field);
        }
        for (const [field, value] of Object.entries(document)) {
          if (field.endsWith('_endpoint') || field === 'jwks_uri')
            assert.match(String(value), /^https:\/\//, field);
        }
      }
      assert.equal(oidc['userinfo_endpoint'], `${server.issuer}/v1/userinfo`);
    });

    it('MX-02 OIDC fields of OKTA-COMPAT §1.8', () => {
      assert.deepEqual(oidc['response_types_supported'], ['code']);
      assert.deepEqual(oidc['subject_types_supported'], ['public']);
      assert.deepEqual(oidc['id_token_signing_alg_values_supported'], ['RS256']);
      assert.deepEqual(oidc['code_challenge_methods_supported'], ['S256']);
      assert.equal(oidc['request_parameter_supported'], false);
      assert.equal(oidc['authorization_response_iss_parameter_supported'], true);
      const grants = oidc['grant_types_supported'] as string[];
      for (const grant of ['authorization_code', 'refresh_token']) assert.ok(grants.includes(grant));
      for (const grant of grants)
        assert.ok(['authorization_code', 'refresh_token', 'client_credentials'].includes(grant));
      // okta_post_message and web_message: the hidden-iframe renewal of okta-auth-js (issue 12 §1).
      assert.deepEqual(oidc['response_modes_supported'], [
        'query',
        'form_post',
        'okta_post_message',
        'web_message',
      ]);
      assert.ok((oidc['token_endpoint_auth_methods_supported'] as string[]).includes('none'));
      assert.ok((oidc['scopes_supported'] as string[]).includes('openid'));
      for (const claim of ['iss', 'sub', 'aud', 'nonce', 'auth_time', 'at_hash']) {
        assert.ok((oidc['claims_supported'] as string[]).includes(claim), claim);
      }
      assert.ok(Array.isArray(oidc['introspection_endpoint_auth_methods_supported']));
      assert.ok(Array.isArray(oidc['revocation_endpoint_auth_methods_supported']));
    });

    it('MX-02 OAuth metadata: access-token claims, no userinfo endpoint, no ID token algorithms', () => {
      for (const document of oauthForms) {
        assert.equal('userinfo_endpoint' in document, false);
        assert.equal('id_token_signing_alg_values_supported' in document, false);
        assert.deepEqual(
          [...(document['claims_supported'] as string[])].sort(),
          [...ACCESS_TOKEN_CLAIMS].sort(),
        );
        assert.deepEqual(document['code_challenge_methods_supported'], ['S256']);
        assert.equal(document['request_parameter_supported'], false);
        assert.equal(document['authorization_response_iss_parameter_supported'], true);
      }
    });

    it('MX-02 both OAuth metadata URLs serve the same document', () => {
      assert.deepEqual(oauthForms[0], oauthForms[1]);
    });

    it('MX-02 OIDC and OAuth metadata agree on every shared field but claims_supported', () => {
      for (const [field, value] of Object.entries(oauthForms[0] ?? {})) {
        if (field !== 'claims_supported') assert.deepEqual(oidc[field], value, field);
      }
    });

    it('MX-02 jwks_uri is reachable under the issuer path', async () => {
      const path = new URL(String(oidc['jwks_uri'])).pathname;
      const response = await fetch(`${server.baseUrl}${path}`);
      assert.equal(response.status, 200);
    });

    it('MX-02 the iss of ID tokens and access tokens equals the discovery issuer', async () => {
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
      const kids = new Set(keys.map((key) => key.kid));
      for (const jwt of [body.id_token, body.access_token] as string[]) {
        assert.equal(decodeJwt(jwt).iss, oidc.issuer);
        const header = decodeProtectedHeader(jwt);
        assert.equal(header.alg, 'RS256');
        assert.ok(typeof header.kid === 'string' && kids.has(header.kid), `kid ${header.kid} is in /v1/keys`);
      }
    });

    it('discovery and keys ignore ?client_id=', async () => {
      for (const [path, expected] of [
        [paths().oidc, oidc],
        [paths().oauth, oauthForms[0]],
        [paths().keys, { keys }],
      ] as const) {
        const { body } = await getJson(`${path}?client_id=${server.nativePub.client.clientId}`);
        assert.deepEqual(body, expected, path);
      }
    });

    it('discovery and keys may be read from any origin', async () => {
      for (const path of Object.values(paths())) {
        const response = await fetch(`${server.baseUrl}${path}`, {
          headers: { origin: 'https://spa.example' },
        });
        assert.equal(response.headers.get('access-control-allow-origin'), '*', path);
      }
    });
  });

  describe('unknown authorization server', () => {
    for (const path of [
      '/oauth2/nope/.well-known/openid-configuration',
      '/oauth2/nope/.well-known/oauth-authorization-server',
      '/.well-known/oauth-authorization-server/oauth2/nope',
      '/oauth2/nope/v1/keys',
      '/oauth2/nope/v1/token',
    ]) {
      it(`${path}: 404 E0000007`, async () => {
        const response = await fetch(`${server.baseUrl}${path}`);
        assert.equal(response.status, 404);
        const body = await response.json();
        assert.deepEqual(Object.keys(body).sort(), [
          'errorCauses',
          'errorCode',
          'errorId',
          'errorLink',
          'errorSummary',
        ]);
        assert.equal(body.errorCode, 'E0000007');
        assert.equal(body.errorSummary, 'Not found: Resource not found: nope (AuthorizationServer)');
        assert.equal(body.errorLink, 'E0000007');
        assert.match(body.errorId, /^\S+$/);
        assert.deepEqual(body.errorCauses, []);
      });
    }

    it('/oauth2/v1/keys (org server) is 404 naming the issuer', async () => {
      const response = await fetch(`${server.baseUrl}/oauth2/v1/keys`);
      assert.equal(response.status, 404);
      assert.ok((await response.json()).error_description.includes(server.issuer));
    });
  });

  describe('/v1/keys', () => {
    it('every key is a public RS256 signing key with a unique kid', async () => {
      assert.ok(keys.length >= 1);
      assert.equal(new Set(keys.map((key) => key.kid)).size, keys.length);
      for (const key of keys) {
        assert.deepEqual(
          { kty: key.kty, alg: key.alg, use: key.use, e: key.e },
          { kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' },
        );
        assert.match(key.kid ?? '', /^\S+$/);
        const modulus = Buffer.from(key.n ?? '', 'base64url');
        const bits = modulus.length * 8 - Math.clz32(modulus[0] ?? 0) + 24;
        assert.ok(bits >= 2048, `modulus of ${bits} bits`);
        for (const member of PRIVATE_MEMBERS) assert.equal(member in key, false, member);
        if (key.key_ops !== undefined) assert.deepEqual(key.key_ops, ['verify']);
        await importJWK(key, 'RS256');
      }
    });

    it('sends Cache-Control with max-age', async () => {
      const response = await fetch(server.url('/v1/keys'));
      assert.match(response.headers.get('cache-control') ?? '', /(^|[,\s])max-age=\d+/);
    });
  });

  describe('MX-03 Host and proxy headers', () => {
    const spoofed: Record<string, string>[] = [
      { host: 'evil.example' },
      { 'x-forwarded-host': 'evil.example' },
      { 'x-forwarded-proto': 'http' },
      { host: 'evil.example:8443', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
      { forwarded: 'host=evil.example;proto=http', 'x-forwarded-for': '203.0.113.9' },
    ];
    for (const headers of spoofed) {
      it(`MX-03 ${JSON.stringify(headers)} changes no issuer or endpoint URL`, async () => {
        for (const [path, expected] of [
          [paths().oidc, oidc],
          [paths().oauth, oauthForms[0]],
          [paths().rfc8414, oauthForms[1]],
        ] as const) {
          const response = await rawRequest(server.baseUrl, path, { headers });
          assert.equal(response.status, 200);
          assert.deepEqual(JSON.parse(response.body), expected, path);
        }
      });
    }

    it('MX-03 a spoofed Host changes no iss in an authorization response', async () => {
      const query = new URLSearchParams({
        client_id: server.webConf.client.clientId,
        response_type: 'token',
        scope: 'openid',
        redirect_uri: 'https://app.example.com/cb',
      });
      const response = await rawRequest(server.baseUrl, `/oauth2/default/v1/authorize?${query}`, {
        headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
      });
      assert.equal(response.status, 302);
      const location = String(response.headers.location);
      assert.deepEqual(new URLSearchParams(location.split('?')[1]).getAll('iss'), [server.issuer]);
    });

    it('MX-03 X-Forwarded-For from an untrusted peer is not the client address', async () => {
      const before = new Set((await server.deps.store.events.list({ limit: 1000 })).map((event) => event.id));
      await rawRequest(server.baseUrl, '/oauth2/default/v1/authorize?client_id=0oaunknown', {
        headers: { 'x-forwarded-for': '203.0.113.9', host: 'evil.example' },
      });
      const added = (await server.deps.store.events.list({ limit: 1000 })).filter(
        (event) => !before.has(event.id),
      );
      assert.equal(added.length, 1);
      assert.equal(added[0]?.ip, '127.0.0.1');
    });
  });
});
