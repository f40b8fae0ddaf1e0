// Contract: what issue 13 items 1-2 store (migration 0011): service apps with their keys, a server's
// declared resources (RFC 8707), the resource of a code and a refresh token, and used client-assertion
// jtis (RFC 7523 §3), with their sweep.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientRow, codeRow, type GetStore, NOW, refreshRow, serverRow, uid } from './fixtures.ts';

export function machineTokenContract(store: GetStore): void {
  describe('machine tokens and resources', () => {
    it('CC-12 a service app keeps its JWK Set or jwks_uri; RI-07 a server its declared resources', async () => {
      const s = store();
      const jwks = JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] });
      const app = clientRow({
        applicationType: 'service',
        tokenEndpointAuthMethod: 'private_key_jwt',
        redirectUris: [],
        grantTypes: ['client_credentials'],
        jwks,
      });
      await s.clients.create(app);
      assert.deepEqual(await s.clients.get(app.clientId), app);
      assert.ok(
        await s.clients.update(app.clientId, { jwks: null, jwksUri: 'https://keys.example/jwks.json' }),
      );
      const updated = await s.clients.get(app.clientId);
      assert.equal(updated?.jwks, null);
      assert.equal(updated?.jwksUri, 'https://keys.example/jwks.json');

      const server = serverRow({ resources: ['https://api.example.com/', 'https://mcp.example.com/mcp'] });
      await s.authorizationServers.create(server);
      assert.deepEqual((await s.authorizationServers.get(server.id))?.resources, server.resources);
      await s.authorizationServers.update(server.id, { resources: [] });
      assert.deepEqual((await s.authorizationServers.get(server.id))?.resources, []);
    });

    it('RI-08 a code and a refresh token keep the resource of their grant', async () => {
      const s = store();
      const code = codeRow({ resource: 'https://api.example.com/' });
      await s.authorizationCodes.create(code);
      assert.equal((await s.authorizationCodes.find(code.codeHash))?.resource, 'https://api.example.com/');
      const refresh = refreshRow({ resource: 'https://mcp.example.com/mcp' });
      await s.refreshTokens.create(refresh);
      assert.equal((await s.refreshTokens.get(refresh.tokenHash))?.resource, 'https://mcp.example.com/mcp');
      const plain = refreshRow();
      await s.refreshTokens.create(plain);
      assert.equal((await s.refreshTokens.get(plain.tokenHash))?.resource, null);
    });

    it('CC-13 a jti is used once per client, concurrently too, and swept once expired', async () => {
      const s = store();
      const clientId = uid('0oa');
      const row = { clientId, jtiHash: uid('jti'), expiresAt: NOW - 40_000_000 };
      const results = await Promise.all([1, 2, 3, 4].map(() => s.clientAssertions.use(row)));
      assert.equal(results.filter(Boolean).length, 1, 'exactly one use wins');
      assert.equal(await s.clientAssertions.use({ ...row, clientId: uid('0oa') }), true, 'per client');
      const live = { clientId, jtiHash: uid('jti'), expiresAt: NOW - 40_000_000 + 10 };
      assert.equal(await s.clientAssertions.use(live), true);
      assert.ok((await s.retention.sweep('clientAssertions', NOW - 40_000_000, 500)) >= 2);
      assert.equal(await s.clientAssertions.use(row), true, 'swept: the row is gone');
      assert.equal(await s.clientAssertions.use(live), false, 'not yet expired: kept');
    });
  });
}
