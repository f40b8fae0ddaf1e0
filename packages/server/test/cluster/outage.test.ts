// SECURITY-MATRIX RL-03 and RL-05 on a cluster (rule 4): PostgreSQL dropped, partitioned (connections held,
// nothing forwarded), 2 s slower, or every pooled connection stuck. Discovery and /keys answer from memory
// at once; everything that needs the database answers 503 + Retry-After within 5 s (LATCHKEY_DB_TIMEOUT_MS
// is 2 s), never 400, 401 or 200; /healthz stays 200 and /readyz turns 503. After the outage the same
// tokens work, with no restart and no leftover failures.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { obtainCode } from '../fixtures/browser-flow.ts';
import { type Cluster, clusterSkipReason, startCluster, waitFor } from '../fixtures/cluster.ts';
import type { TestServer } from '../fixtures/test-server.ts';
import { redeemCode } from '../fixtures/token-assertions.ts';
import { issueTokens, postAsClient, type Tokens, userinfo } from '../fixtures/token-endpoints.ts';

const BOUND_MS = 5000;

async function timed(request: () => Promise<Response>): Promise<{ response: Response; ms: number }> {
  const started = Date.now();
  const response = await request();
  await response.clone().arrayBuffer();
  return { response, ms: Date.now() - started };
}

async function assertUnavailable(what: string, request: () => Promise<Response>): Promise<number> {
  const { response, ms } = await timed(request);
  const body = await response.text();
  assert.equal(response.status, 503, `${what}: ${response.status} ${body}`);
  assert.ok(ms < BOUND_MS, `${what} took ${ms} ms`);
  assert.ok(response.headers.get('retry-after'), `${what}: Retry-After`);
  assert.equal(response.headers.get('cache-control'), 'no-store', `${what}: no-store`);
  assert.equal((JSON.parse(body) as { error: string }).error, 'temporarily_unavailable', what);
  return ms;
}

function refresh(server: TestServer, refreshToken: string): Promise<Response> {
  return fetch(server.url('/v1/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: server.nativePub.client.clientId,
      refresh_token: refreshToken,
    }),
  });
}

describe('RL-03 RL-05 database outage on a cluster', { skip: clusterSkipReason, timeout: 120_000 }, () => {
  let cluster: Cluster;
  let tokens: Tokens;
  const timings: Record<string, number[]> = {};

  before(async () => {
    cluster = await startCluster({ instances: 2, env: { LATCHKEY_DB_POOL_SIZE: '4' } });
    tokens = await issueTokens(cluster.view);
    assert.ok(tokens.refresh_token, 'a refresh token');
  });
  after(async () => {
    await cluster?.close();
    process.stdout.write(`# RL-05 timings (ms): ${JSON.stringify(timings)}\n`);
  });

  let pendingCode: Awaited<ReturnType<typeof obtainCode>> | undefined;
  const redeemPending = (server: TestServer) =>
    redeemCode(server, pendingCode ?? { code: '', pkce: { verifier: '', challenge: '' }, redirectUri: '' });

  /** Every endpoint on every instance during the outage, then recovery with the same tokens and code. */
  async function duringOutage(label: string): Promise<void> {
    const spent: number[] = [];
    timings[label] = spent;
    for (const instance of cluster.instances) {
      const server = cluster.viewOf(instance);
      for (const path of ['/.well-known/openid-configuration', '/v1/keys']) {
        const { response, ms } = await timed(() => fetch(server.url(path)));
        assert.equal(response.status, 200, `${label} ${path}: from memory`);
        assert.ok(ms < 1000, `${label} ${path} took ${ms} ms`);
        spent.push(ms);
      }
      const rt = tokens.refresh_token ?? '';
      spent.push(await assertUnavailable(`${label} /token refresh`, () => refresh(server, rt)));
      spent.push(await assertUnavailable(`${label} /token code`, () => redeemPending(server)));
      spent.push(await assertUnavailable(`${label} /userinfo`, () => userinfo(server, tokens.access_token)));
      spent.push(
        await assertUnavailable(`${label} /introspect`, () =>
          postAsClient(server, '/v1/introspect', { token: tokens.access_token }, { as: 'webConf' }),
        ),
      );
      spent.push(
        await assertUnavailable(`${label} /revoke`, () =>
          postAsClient(server, '/v1/revoke', { token: rt }, { as: 'nativePub' }),
        ),
      );
      const health = await fetch(`${instance.baseUrl}/healthz`);
      assert.equal(health.status, 200, `${label} /healthz`);
      const ready = await timed(() => fetch(`${instance.baseUrl}/readyz`));
      assert.equal(ready.response.status, 503, `${label} /readyz`);
      assert.ok(ready.ms < BOUND_MS, `${label} /readyz took ${ready.ms} ms`);
    }
  }

  /** Recovery needs no restart: ready again, and every request succeeds, the RT exactly once. */
  async function afterOutage(label: string): Promise<void> {
    cluster.database.resume();
    for (const instance of cluster.instances) {
      await waitFor(
        async () => (await fetch(`${instance.baseUrl}/readyz`)).status === 200,
        10_000,
        `${label}: instance ${instance.index} ready again`,
      );
    }
    for (let round = 0; round < 4; round += 1) {
      for (const instance of cluster.instances) {
        const response = await userinfo(cluster.viewOf(instance), tokens.access_token);
        assert.equal(response.status, 200, `${label}: /userinfo after recovery`);
      }
    }
    // RL-03: the code kept through the outage works exactly once.
    assert.equal((await redeemPending(cluster.view)).status, 200, `${label}: the code after recovery`);
    assert.equal((await redeemPending(cluster.view)).status, 400, `${label}: ...exactly once`);
    const rt = tokens.refresh_token ?? '';
    const first = await refresh(cluster.view, rt);
    assert.equal(first.status, 200, `${label}: the RT works after recovery`);
    const rotated = (await first.json()) as Tokens;
    // Exactly one rotation: native-pub's grace (G = 30 s) hands a retry the same successor (rule 3).
    const again = await refresh(cluster.view, rt);
    assert.equal(again.status, 200, `${label}: a retry within G`);
    assert.equal(((await again.json()) as Tokens).refresh_token, rotated.refresh_token, 'the same RT₁');
    tokens = rotated;
  }

  it('RL-05 database dropped: memory for discovery and /keys, 503 elsewhere, recovery', async () => {
    pendingCode = await obtainCode(cluster.view);
    cluster.database.drop();
    await duringOutage('drop');
    await afterOutage('drop');
  });

  it('RL-05 partition (connections held open, nothing forwarded): 503 within 5 s, no hang', async () => {
    pendingCode = await obtainCode(cluster.view);
    cluster.database.pause();
    await duringOutage('partition');
    await afterOutage('partition');
  });

  it('RL-05 +2 s latency: the statement bound turns it into 503', async () => {
    pendingCode = await obtainCode(cluster.view);
    cluster.database.delay(1000);
    await duringOutage('latency');
    await afterOutage('latency');
  });

  it('RL-05 pool exhausted: waits for a connection time out into 503', async () => {
    // The test holds locks that /userinfo and /token need, so every pooled connection of every instance
    // (LATCHKEY_DB_POOL_SIZE=4) ends up waiting, and the requests behind them wait for the pool.
    pendingCode = await obtainCode(cluster.view);
    const holder = new pg.Client({ connectionString: cluster.databaseUrl });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table users, access_tokens, refresh_tokens in access exclusive mode');
      const spent: number[] = [];
      timings['pool exhausted'] = spent;
      const burst = cluster.instances.flatMap((instance) =>
        Array.from({ length: 10 }, () =>
          timed(() => userinfo(cluster.viewOf(instance), tokens.access_token)),
        ),
      );
      for (const { response, ms } of await Promise.all(burst)) {
        assert.equal(response.status, 503, 'pool exhausted: /userinfo 503, not 401');
        assert.ok(response.headers.get('retry-after'), 'Retry-After');
        assert.ok(ms < BOUND_MS, `pool exhausted: /userinfo took ${ms} ms`);
        spent.push(ms);
      }
      for (const instance of cluster.instances) {
        const { response, ms } = await timed(() => fetch(cluster.viewOf(instance).url('/v1/keys')));
        assert.equal(response.status, 200, 'pool exhausted: /keys from memory');
        assert.ok(ms < 1000, `/keys took ${ms} ms`);
      }
    } finally {
      await holder.query('rollback').catch(() => undefined);
      await holder.end();
    }
    await afterOutage('pool exhausted');
  });
});
