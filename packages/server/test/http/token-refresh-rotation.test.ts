// Refresh-token rotation (SECURITY-MATRIX rule 3 and rule 5): the grace period G, reuse detection that
// revokes the family, and concurrent refreshes with one token (RT-02, RT-03, RL-02 in-process).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/services/apps.ts';
import {
  expectInvalidRefresh,
  type FixtureClient,
  INVALID_REFRESH,
  obtainTokens,
  refresh,
  refreshRowOf,
} from '../fixtures/refresh-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { claimsOf, expectTokens, type IssuedTokens } from '../fixtures/token-assertions.ts';

describe('/v1/token refresh-token rotation', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    // web-conf keeps its default G = 0 but rotates, so that G = 0 rotation can be tested on it.
    await server.deps.store.clients.update(server.webConf.client.clientId, { refreshRotation: 'ROTATE' });
  });
  after(async () => server.close());

  const rotate = async (app: FixtureClient, token: string | undefined): Promise<IssuedTokens> =>
    expectTokens(await refresh(server, app, token ?? ''));

  /** Presents a rotated-out token: the invalid-refresh body, and one more reuse event in the system log. */
  async function expectReuse(app: FixtureClient, token: string | undefined): Promise<void> {
    const since = server.clock.now();
    const reuseEvents = async () =>
      (
        await server.deps.store.events.list({ clientId: server[app].client.clientId, since, limit: 100 })
      ).filter((event) => event.type === 'app.oauth2.as.token.detect_reuse').length;
    const before = await reuseEvents();
    await expectInvalidRefresh(await refresh(server, app, token ?? ''));
    assert.equal(await reuseEvents(), before + 1, 'a detect_reuse event is recorded');
  }

  /** Every RT of the family and every AT of the grant is revoked; the newest RT no longer works. */
  async function assertFamilyRevoked(app: FixtureClient, issued: IssuedTokens[]): Promise<void> {
    for (const tokens of issued) {
      const access = await server.deps.store.accessTokens.get(String(claimsOf(tokens.access_token).jti));
      assert.notEqual(access?.revokedAt, null, 'access token revoked');
      assert.notEqual((await refreshRowOf(server, tokens.refresh_token ?? '')).revokedAt, null);
    }
    await expectInvalidRefresh(await refresh(server, app, issued.at(-1)?.refresh_token ?? ''));
  }

  it('RT-02 native-pub: RT₀ presented outside G revokes the whole family', async () => {
    const rt0 = await obtainTokens(server, 'nativePub');
    const rt1 = await rotate('nativePub', rt0.refresh_token);
    server.clock.advance(31);
    await expectReuse('nativePub', rt0.refresh_token);
    await assertFamilyRevoked('nativePub', [rt0, rt1]);
  });

  it('RT-02 web-conf (G = 0): rotate twice in the same second, replay the middle token', async () => {
    const rt0 = await obtainTokens(server, 'webConf');
    const rt1 = await rotate('webConf', rt0.refresh_token);
    const rt2 = await rotate('webConf', rt1.refresh_token);
    const generations = await Promise.all(
      [rt0, rt1, rt2].map(
        async (tokens) => (await refreshRowOf(server, tokens.refresh_token ?? '')).generation,
      ),
    );
    assert.deepEqual(generations, [0, 1, 2]);
    await expectReuse('webConf', rt1.refresh_token);
    await assertFamilyRevoked('webConf', [rt0, rt1, rt2]);
  });

  describe('RT-03 the grace period G', () => {
    it('RT-03 native-pub (G = 30) at G−1 s: 200 with the same RT₁, nothing revoked', async () => {
      const rt0 = await obtainTokens(server, 'nativePub');
      const rt1 = await rotate('nativePub', rt0.refresh_token);
      server.clock.advance(29);
      const retry = await rotate('nativePub', rt0.refresh_token);
      assert.equal(retry.refresh_token, rt1.refresh_token);
      assert.notEqual(retry.access_token, rt1.access_token);
      const successor = await refreshRowOf(server, rt1.refresh_token ?? '');
      assert.deepEqual([successor.generation, successor.rotatedAt, successor.revokedAt], [1, null, null]);
      for (const tokens of [rt0, rt1, retry]) {
        const access = await server.deps.store.accessTokens.get(String(claimsOf(tokens.access_token).jti));
        assert.equal(access?.revokedAt, null);
      }
      // The lineage goes on from RT₁.
      const rt2 = await rotate('nativePub', rt1.refresh_token);
      assert.equal((await refreshRowOf(server, rt2.refresh_token ?? '')).generation, 2);
    });

    it('RT-03 native-pub (G = 30) at G+1 s: reuse, the family is revoked', async () => {
      const rt0 = await obtainTokens(server, 'nativePub');
      const rt1 = await rotate('nativePub', rt0.refresh_token);
      server.clock.advance(31);
      await expectReuse('nativePub', rt0.refresh_token);
      await assertFamilyRevoked('nativePub', [rt0, rt1]);
    });

    it('RT-03 web-conf (G = 0): re-presenting RT₀ at once is reuse', async () => {
      const rt0 = await obtainTokens(server, 'webConf');
      const rt1 = await rotate('webConf', rt0.refresh_token);
      await expectReuse('webConf', rt0.refresh_token);
      await assertFamilyRevoked('webConf', [rt0, rt1]);
    });

    it('RT-03 native-pub: a token two generations back is reuse, even within G', async () => {
      const rt0 = await obtainTokens(server, 'nativePub');
      const rt1 = await rotate('nativePub', rt0.refresh_token);
      const rt2 = await rotate('nativePub', rt1.refresh_token);
      server.clock.advance(1);
      await expectReuse('nativePub', rt0.refresh_token);
      await assertFamilyRevoked('nativePub', [rt0, rt1, rt2]);
    });

    it('RT-03 defaults of new apps: web 0 s, native 30 s, browser 30 s; public apps rotate', async () => {
      const expected = { web: [0, 'STATIC'], native: [30, 'ROTATE'], browser: [30, 'ROTATE'] } as const;
      const redirect = {
        web: 'https://new.example.com/cb',
        native: 'com.example.new:/cb',
        browser: 'http://localhost:9000/cb',
      };
      for (const type of ['web', 'native', 'browser'] as const) {
        const { client } = await createApp(server.deps, {
          name: `New ${type}`,
          applicationType: type,
          redirectUris: [redirect[type]],
          grantTypes: ['refresh_token'],
        });
        assert.deepEqual([client.refreshLeewaySeconds, client.refreshRotation], expected[type], type);
      }
    });
  });

  describe('RL-02 20 concurrent refreshes with one RT (in-process)', () => {
    const concurrently = (app: FixtureClient, token: string) =>
      Promise.all(
        Array.from({ length: 20 }, async () => {
          const response = await refresh(server, app, token);
          return { status: response.status, body: (await response.json()) as Record<string, string> };
        }),
      );

    it('RL-02 G = 30 (native-pub): all 200 with the same RT₁; only that lineage stays active', async () => {
      const rt0 = await obtainTokens(server, 'nativePub');
      const results = await concurrently('nativePub', rt0.refresh_token ?? '');
      assert.deepEqual(
        results.map((result) => result.status),
        results.map(() => 200),
      );
      const successors = new Set(results.map((result) => result.body['refresh_token']));
      assert.equal(successors.size, 1);
      const [rt1] = [...successors];
      assert.notEqual(rt1, rt0.refresh_token);
      const row = await refreshRowOf(server, rt1 ?? '');
      assert.deepEqual([row.generation, row.rotatedAt, row.revokedAt], [1, null, null]);
      await rotate('nativePub', rt1);
    });

    it('RL-02 G = 0 (web-conf): exactly one 200, the rest invalid_grant, never 5xx; the family is revoked', async () => {
      const rt0 = await obtainTokens(server, 'webConf');
      const results = await concurrently('webConf', rt0.refresh_token ?? '');
      const winners = results.filter((result) => result.status === 200);
      assert.equal(winners.length, 1, JSON.stringify(results.map((result) => result.status)));
      for (const loser of results.filter((result) => result.status !== 200)) {
        assert.equal(loser.status, 400);
        assert.deepEqual(loser.body, INVALID_REFRESH);
      }
      const rt1 = winners[0]?.body['refresh_token'] ?? '';
      assert.notEqual((await refreshRowOf(server, rt1)).revokedAt, null);
      await expectInvalidRefresh(await refresh(server, 'webConf', rt1));
    });
  });
});
