// Third-party clients as peers for machine-to-machine tokens: openid-client v6 `clientCredentialsGrant`
// authenticating with private_key_jwt (RFC 7523; it signs `aud` = the issuer), and oauth4webapi asking
// for a token for one resource (RFC 8707) with client_secret_post. Both read the endpoints from discovery.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { updateAuthorizationServer } from '../../src/services/server-settings.ts';
import { addScope, createServiceApp, jwksOf, signingPair } from '../fixtures/machine-clients.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { freePort } from './browser.ts';

const RESOURCE = 'https://api.example.com/';

describe('third-party machine clients', () => {
  let server: TestServer;
  before(async () => {
    const port = await freePort();
    // The issuer must be where the clients connect: discovery's issuer must equal the URL asked.
    server = await startTestServer({ publicUrl: `http://127.0.0.1:${port}`, env: { PORT: String(port) } });
    await addScope(server, 'reports:read');
    await updateAuthorizationServer(server.deps, 'default', { resources: [RESOURCE] });
  });
  after(async () => server.close());

  it('CC-14 openid-client clientCredentialsGrant with PrivateKeyJwt gets a token, twice (fresh jti each time)', async () => {
    const pair = await signingPair();
    const app = await createServiceApp(server, {
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: jwksOf(pair),
    });
    const config = await client.discovery(
      new URL(server.issuer),
      app.client.clientId,
      undefined,
      client.PrivateKeyJwt({ key: pair.privateKey, kid: pair.kid }),
      { execute: [client.allowInsecureRequests] },
    );
    for (let i = 0; i < 2; i++) {
      const tokens = await client.clientCredentialsGrant(config, {
        scope: 'reports:read',
        resource: RESOURCE,
      });
      assert.equal(tokens.token_type, 'bearer');
      assert.equal(tokens.expires_in, 3600);
      assert.equal(tokens.refresh_token, undefined);
      const claims = decodeJwt(tokens.access_token);
      assert.equal(claims.sub, app.client.clientId);
      assert.equal(claims['cid'], app.client.clientId);
      assert.equal(claims.aud, RESOURCE);
    }
    const introspected = await client.tokenIntrospection(
      config,
      (await client.clientCredentialsGrant(config, { scope: 'reports:read' })).access_token,
    );
    assert.equal(introspected.active, true);
    assert.equal(introspected.aud, 'api://default');
  });

  it('RI-09 oauth4webapi asks for a resource; an unknown one fails with invalid_target', async () => {
    const app = await createServiceApp(server, { tokenEndpointAuthMethod: 'client_secret_post' });
    const issuer = new URL(server.issuer);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
    );
    const peer: oauth.Client = { client_id: app.client.clientId };
    const auth = oauth.ClientSecretPost(app.clientSecret ?? '');
    const request = (resource: string) =>
      oauth.clientCredentialsGrantRequest(
        as,
        peer,
        auth,
        { scope: 'reports:read', resource },
        { [oauth.allowInsecureRequests]: true },
      );
    const tokens = await oauth.processClientCredentialsResponse(as, peer, await request(RESOURCE));
    assert.equal(decodeJwt(tokens.access_token).aud, RESOURCE);
    await assert.rejects(
      oauth.processClientCredentialsResponse(as, peer, await request('https://unknown.example/')),
      (error: unknown) => {
        assert.ok(error instanceof oauth.ResponseBodyError);
        assert.equal(error.error, 'invalid_target');
        return true;
      },
    );
  });
});
