// openid-client v6 as a third party on /v1/userinfo, /v1/introspect and /v1/revoke (OIDC Core §5.3,
// RFC 7662, RFC 7009), for a public app (auth method none) and a confidential one (client_secret_basic).
// Tokens come from the real code flow; the client reads every endpoint URL from discovery.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { issueTokens } from '../fixtures/token-endpoints.ts';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

describe('openid-client on userinfo, introspection and revocation', () => {
  let server: TestServer;
  before(async () => {
    const port = await freePort();
    // The issuer must be where the client connects: discovery's issuer must equal the URL it asked.
    server = await startTestServer({ publicUrl: `http://127.0.0.1:${port}`, env: { PORT: String(port) } });
  });
  after(async () => server.close());

  async function configFor(app: 'nativePub' | 'webConf'): Promise<client.Configuration> {
    const { clientId } = server[app].client;
    const secret = app === 'webConf' ? server.webConf.clientSecret : undefined;
    return client.discovery(
      new URL(server.issuer),
      clientId,
      secret,
      secret === undefined ? client.None() : client.ClientSecretBasic(secret),
      { execute: [client.allowInsecureRequests] },
    );
  }

  for (const app of ['nativePub', 'webConf'] as const) {
    it(`${app}: fetchUserInfo, tokenIntrospection, tokenRevocation, then the token is refused`, async () => {
      const config = await configFor(app);
      const tokens = await issueTokens(server, { client: app });
      const sub = decodeJwt(tokens.id_token ?? '').sub ?? '';

      const info = await client.fetchUserInfo(config, tokens.access_token, sub);
      assert.equal(info.sub, server.user.id);
      assert.equal(info.email, 'alice@example.com');

      const active = await client.tokenIntrospection(config, tokens.access_token);
      assert.equal(active.active, true);
      assert.equal(active.client_id, server[app].client.clientId);
      assert.equal(active.token_type, 'Bearer');
      const refresh = await client.tokenIntrospection(config, tokens.refresh_token ?? '', {
        token_type_hint: 'refresh_token',
      });
      assert.equal(refresh.active, true);

      await client.tokenRevocation(config, tokens.refresh_token ?? '');
      assert.deepEqual(
        { ...(await client.tokenIntrospection(config, tokens.access_token)) },
        { active: false },
      );

      await assert.rejects(client.fetchUserInfo(config, tokens.access_token, sub), (error: unknown) => {
        assert.ok(error instanceof client.WWWAuthenticateChallengeError, String(error));
        assert.equal(error.status, 401);
        assert.equal(error.cause[0]?.scheme, 'bearer');
        assert.equal(error.cause[0]?.parameters.error, 'invalid_token');
        assert.equal(error.cause[0]?.parameters.error_description, 'The access token is invalid');
        return true;
      });
    });
  }
});
