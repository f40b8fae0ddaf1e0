// Client credentials (RFC 6749 §4.4) for API Services apps, and private_key_jwt client authentication
// (RFC 7523 §2.2, §3; OIDC Core §9), on SQLite and PostgreSQL. SECURITY-MATRIX CC-*.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { createApp } from '../../src/services/apps.ts';
import { redeem } from '../fixtures/browser-flow.ts';
import {
  addScope,
  assertionForm,
  clientCredentialsGrant,
  createServiceApp,
  jwksOf,
  type SigningPair,
  signAssertion,
  signingPair,
} from '../fixtures/machine-clients.ts';
import { databases, startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { claimsOf, expectTokenError, expectTokens } from '../fixtures/token-assertions.ts';
import { basicAuth, userinfo } from '../fixtures/token-endpoints.ts';

const INVALID_CLIENT = { status: 401, error: 'invalid_client' };

for (const database of databases) {
  describe(`client credentials (${database})`, () => {
    let server: TestServer;
    let secretApp: { clientId: string; secret: string };
    let keyApp: string;
    let pair: SigningPair;
    let tokenUrl: string;

    before(async () => {
      server = await startTestServer({ database });
      await addScope(server, 'invoices:read');
      await addScope(server, 'invoices:write');
      const created = await createServiceApp(server);
      secretApp = { clientId: created.client.clientId, secret: created.clientSecret ?? '' };
      pair = await signingPair();
      const keyed = await createServiceApp(server, {
        name: 'Signed job',
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: jwksOf(pair),
      });
      keyApp = keyed.client.clientId;
      tokenUrl = `${server.issuer}/v1/token`;
    });
    after(() => server.close());

    it('CC-01 a service app gets an access token for itself: sub = cid = client id, no uid, no refresh or ID token', async () => {
      const tokens = await expectTokens(
        await clientCredentialsGrant(server, { scope: 'invoices:read invoices:write' }, secretApp),
      );
      assert.deepEqual(Object.keys(tokens).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
      assert.equal(tokens.token_type, 'Bearer');
      assert.equal(tokens.expires_in, 3600);
      assert.equal(tokens.scope, 'invoices:read invoices:write');
      const claims = claimsOf(tokens.access_token);
      assert.equal(claims.sub, secretApp.clientId);
      assert.equal(claims['cid'], secretApp.clientId);
      assert.equal(claims['uid'], undefined);
      assert.equal(claims['auth_time'], undefined);
      assert.equal(claims.aud, 'api://default');
      assert.deepEqual(claims['scp'], ['invoices:read', 'invoices:write']);
      assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 3600);
      const introspected = await introspect(
        server,
        tokens.access_token,
        basicAuth(secretApp.clientId, secretApp.secret),
      );
      assert.equal(introspected['active'], true);
      assert.equal(introspected['client_id'], secretApp.clientId);
      assert.equal(introspected['uid'], undefined);
      assert.equal(introspected['username'], undefined);
      // No user: nothing for the UserInfo endpoint.
      assert.equal((await userinfo(server, tokens.access_token)).status, 401);
    });

    it("CC-02 OIDC scopes are refused with Okta's text; no scope, or an unknown one, too", async () => {
      await expectTokenError(
        await clientCredentialsGrant(server, { scope: 'openid invoices:read' }, secretApp),
        {
          status: 400,
          error: 'invalid_scope',
          description:
            /^Cannot request 'openid' scopes using client credentials\. Refused scopes: \[openid\]/,
        },
      );
      await expectTokenError(
        await clientCredentialsGrant(server, { scope: 'profile offline_access' }, secretApp),
        {
          status: 400,
          error: 'invalid_scope',
          description: /Refused scopes: \[profile, offline_access\]/,
        },
      );
      await expectTokenError(await clientCredentialsGrant(server, {}, secretApp), {
        status: 400,
        error: 'invalid_scope',
        description:
          "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
      });
      await expectTokenError(await clientCredentialsGrant(server, { scope: 'invoices:delete' }, secretApp), {
        status: 400,
        error: 'invalid_scope',
        description: /Unknown scopes: \[invoices:delete\]/,
      });
    });

    it('CC-03 only apps whose grant types include client_credentials may use it; a wrong secret is invalid_client', async () => {
      const web = server.webConf;
      await expectTokenError(
        await clientCredentialsGrant(
          server,
          { scope: 'invoices:read' },
          { clientId: web.client.clientId, secret: web.clientSecret },
        ),
        {
          status: 400,
          error: 'unauthorized_client',
          description: /Configured grant types: \[authorization_code, refresh_token\]/,
        },
      );
      await expectTokenError(
        await clientCredentialsGrant(
          server,
          { scope: 'invoices:read', client_id: server.nativePub.client.clientId },
          {},
        ),
        { status: 400, error: 'unauthorized_client' },
      );
      await expectTokenError(
        await clientCredentialsGrant(
          server,
          { scope: 'invoices:read' },
          { clientId: secretApp.clientId, secret: 'wrong' },
        ),
        INVALID_CLIENT,
      );
      // A web app that enables the grant may use it (Okta's "Client acting on behalf of itself").
      const both = await createApp(server.deps, {
        name: 'Web with M2M',
        applicationType: 'web',
        redirectUris: ['https://m2m.example.com/cb'],
        grantTypes: ['client_credentials'],
      });
      await expectTokens(
        await clientCredentialsGrant(
          server,
          { scope: 'invoices:read' },
          { clientId: both.client.clientId, secret: both.clientSecret ?? '' },
        ),
      );
    });

    it('CC-04 private_key_jwt: an RS256 assertion for the token endpoint (or the issuer) authenticates the app', async () => {
      for (const aud of [tokenUrl, server.issuer, [tokenUrl, 'https://other.example']]) {
        const assertion = await signAssertion(pair, keyApp, aud, server.clock.now());
        const tokens = await expectTokens(
          await redeem(server, {
            grant_type: 'client_credentials',
            scope: 'invoices:read',
            ...assertionForm(assertion),
          }),
        );
        assert.equal(claimsOf(tokens.access_token)['cid'], keyApp);
      }
      // ES256 keys too; client_id in the body may repeat the assertion's.
      const ec = await signingPair('ES256');
      const ecApp = await createServiceApp(server, {
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: jwksOf(ec),
      });
      const assertion = await signAssertion(ec, ecApp.client.clientId, tokenUrl, server.clock.now());
      await expectTokens(
        await redeem(server, {
          grant_type: 'client_credentials',
          scope: 'invoices:read',
          client_id: ecApp.client.clientId,
          ...assertionForm(assertion),
        }),
      );
    });

    it('CC-05 a replayed assertion (same jti) is refused until it expires', async () => {
      const assertion = await signAssertion(pair, keyApp, tokenUrl, server.clock.now());
      const form = { grant_type: 'client_credentials', scope: 'invoices:read', ...assertionForm(assertion) };
      await expectTokens(await redeem(server, form));
      await expectTokenError(await redeem(server, form), {
        ...INVALID_CLIENT,
        description:
          'The client_assertion was already used (same jti). Sign a new assertion, with a new jti, for every request.',
      });
      // The system log says why (the cause never reaches the client).
      const events = await server.deps.store.events.list({ outcome: 'FAILURE', limit: 5 });
      assert.ok(events.some((event) => event.reason.includes(`replayed jti of ${keyApp}`)));
    });

    it('CC-06 assertion checks: aud, exp, lifetime, iss/sub, jti, signature, alg, method; each says what to fix', async () => {
      const now = server.clock.now();
      const other = await signingPair();
      const cases: [string, Promise<string>, RegExp][] = [
        [
          'wrong aud',
          signAssertion(pair, keyApp, 'https://elsewhere.example/token', now),
          /'aud' must be the token endpoint URL/,
        ],
        [
          'expired',
          signAssertion(pair, keyApp, tokenUrl, now, { exp: now - 120, iat: now - 180 }),
          /has expired/,
        ],
        ['too long', signAssertion(pair, keyApp, tokenUrl, now, { exp: now + 7200 }), /expire within 3600 s/],
        ['no exp', signAssertion(pair, keyApp, tokenUrl, now, { exp: undefined }), /must have 'exp'/],
        ['no jti', signAssertion(pair, keyApp, tokenUrl, now, { jti: undefined }), /must have 'jti'/],
        [
          'iss differs',
          signAssertion(pair, keyApp, tokenUrl, now, { iss: 'someone' }),
          /'iss' and 'sub' both equal/,
        ],
        [
          'other key, same kid',
          signAssertion({ ...other, kid: pair.kid }, keyApp, tokenUrl, now),
          /signature does not verify/,
        ],
        ['unknown kid', signAssertion(other, keyApp, tokenUrl, now), /No key of the app's JWK Set matches/],
        [
          'HS256',
          new SignJWT({ iss: keyApp, sub: keyApp, aud: tokenUrl, jti: 'x', exp: now + 60 })
            .setProtectedHeader({ alg: 'HS256' })
            .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!')),
          /must be signed with RS256, PS256, ES256/,
        ],
      ];
      for (const [label, signed, description] of cases) {
        const response = await redeem(server, {
          grant_type: 'client_credentials',
          scope: 'invoices:read',
          ...assertionForm(await signed),
        });
        await expectTokenError(response, { ...INVALID_CLIENT, description }).catch((error: Error) => {
          throw new Error(`${label}: ${error.message}`);
        });
      }
      // alg "none" is not a signed JWT for jose.
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: keyApp, sub: keyApp, aud: tokenUrl, jti: 'n', exp: now + 60 })).toString('base64url')}.`;
      await expectTokenError(
        await redeem(server, {
          grant_type: 'client_credentials',
          scope: 'invoices:read',
          ...assertionForm(unsigned),
        }),
        INVALID_CLIENT,
      );
      // A secret for a private_key_jwt app, and an assertion for a secret app, fail like a wrong secret.
      await expectTokenError(
        await clientCredentialsGrant(
          server,
          { scope: 'invoices:read' },
          { clientId: keyApp, secret: 'anything' },
        ),
        INVALID_CLIENT,
      );
      const forSecretApp = await signAssertion(pair, secretApp.clientId, tokenUrl, now);
      await expectTokenError(
        await redeem(server, {
          grant_type: 'client_credentials',
          scope: 'invoices:read',
          ...assertionForm(forSecretApp),
        }),
        {
          ...INVALID_CLIENT,
          description:
            'Client authentication failed. Either the client or the client credentials are invalid.',
        },
      );
      // Two methods at once: RFC 6749 §2.3.
      const twice = await signAssertion(pair, keyApp, tokenUrl, now);
      await expectTokenError(
        await redeem(
          server,
          { grant_type: 'client_credentials', scope: 'invoices:read', ...assertionForm(twice) },
          { authorization: basicAuth(keyApp, 'x') },
        ),
        { status: 400, error: 'invalid_request', description: /^Cannot supply multiple client credentials/ },
      );
    });

    it('CC-07 jwks_uri: keys are fetched (time and size limited) and cached; an oversized JWK Set is refused', async () => {
      let served = jwksOf(pair);
      let fetches = 0;
      const keyServer: Server = createServer((_request, response) => {
        fetches += 1;
        response.writeHead(200, { 'content-type': 'application/json' }).end(served);
      });
      await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
      try {
        const port = (keyServer.address() as AddressInfo).port;
        const remote = await createServiceApp(server, {
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwksUri: `http://127.0.0.1:${port}/jwks.json`,
        });
        const id = remote.client.clientId;
        for (let i = 0; i < 2; i++) {
          const assertion = await signAssertion(pair, id, tokenUrl, server.clock.now());
          await expectTokens(
            await redeem(server, {
              grant_type: 'client_credentials',
              scope: 'invoices:read',
              ...assertionForm(assertion),
            }),
          );
        }
        assert.equal(fetches, 1, 'the JWK Set is cached');
        const big = await createServiceApp(server, {
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwksUri: `http://127.0.0.1:${port}/big.json`,
        });
        served = JSON.stringify({ keys: [pair.publicJwk], padding: 'x'.repeat(70 * 1024) });
        const assertion = await signAssertion(pair, big.client.clientId, tokenUrl, server.clock.now());
        await expectTokenError(
          await redeem(server, {
            grant_type: 'client_credentials',
            scope: 'invoices:read',
            ...assertionForm(assertion),
          }),
          { ...INVALID_CLIENT, description: /jwks_uri could not be/ },
        );
      } finally {
        keyServer.closeAllConnections();
        await new Promise((resolve) => keyServer.close(resolve));
      }
    });

    it('CC-08 introspection and revocation accept private_key_jwt (aud: the endpoint called, or the token endpoint)', async () => {
      const now = server.clock.now();
      const tokens = await expectTokens(
        await redeem(server, {
          grant_type: 'client_credentials',
          scope: 'invoices:read',
          ...assertionForm(await signAssertion(pair, keyApp, tokenUrl, now)),
        }),
      );
      const introspection = await fetch(server.url('/v1/introspect'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token: tokens.access_token,
          ...assertionForm(await signAssertion(pair, keyApp, `${server.issuer}/v1/introspect`, now)),
        }),
      });
      const body = (await introspection.json()) as Record<string, unknown>;
      assert.equal(body['active'], true);
      assert.equal(body['sub'], keyApp);
      const revoked = await fetch(server.url('/v1/revoke'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token: tokens.access_token,
          ...assertionForm(await signAssertion(pair, keyApp, tokenUrl, now)),
        }),
      });
      assert.equal(revoked.status, 200);
      assert.equal(
        (await introspect(server, tokens.access_token, basicAuth(secretApp.clientId, secretApp.secret)))[
          'active'
        ],
        false,
      );
    });

    it('CC-09 discovery advertises the grant, private_key_jwt and its algorithms', async () => {
      for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
        const metadata = (await (await fetch(server.url(path))).json()) as Record<string, string[]>;
        assert.ok(metadata['grant_types_supported']?.includes('client_credentials'), path);
        assert.ok(metadata['token_endpoint_auth_methods_supported']?.includes('private_key_jwt'), path);
        assert.deepEqual(metadata['token_endpoint_auth_signing_alg_values_supported'], [
          'RS256',
          'PS256',
          'ES256',
        ]);
        assert.ok(metadata['introspection_endpoint_auth_methods_supported']?.includes('private_key_jwt'));
      }
    });

    it('CC-10 a used jti is kept until it expires, then swept', async () => {
      const store = server.deps.store;
      const row = { clientId: keyApp, jtiHash: `h-${Math.random()}`, expiresAt: 1000 };
      assert.equal(await store.clientAssertions.use(row), true);
      assert.equal(await store.clientAssertions.use(row), false);
      assert.ok((await store.retention.sweep('clientAssertions', 1000, 100)) >= 1);
      assert.equal(await store.clientAssertions.use(row), true, 'usable again once swept');
    });

    it('CC-11 a service app cannot sign users in at /authorize', async () => {
      const response = await fetch(
        `${server.url('/v1/authorize')}?${new URLSearchParams({ client_id: secretApp.clientId, response_type: 'code', scope: 'openid', redirect_uri: 'https://x.example/cb' })}`,
      );
      assert.equal(response.status, 400);
      assert.match(await response.text(), /API Services app/);
    });
  });
}

async function introspect(
  server: TestServer,
  token: string,
  authorization: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(server.url('/v1/introspect'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
    body: new URLSearchParams({ token }),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as Record<string, unknown>;
}
