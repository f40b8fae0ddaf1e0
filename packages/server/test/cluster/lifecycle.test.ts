// SECURITY-MATRIX RL-13 (SIGTERM drain, rolling restart), RL-06 and RL-08 (SIGKILL under load; every
// token a client received still works afterwards) on 3 real processes behind a round-robin balancer that
// probes /readyz every 100 ms. LATCHKEY_DRAIN_SECONDS is 1 here (default 5).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  makePkce,
  openSignInPage,
  postForm,
  redeem,
} from '../fixtures/browser-flow.ts';
import {
  type Cluster,
  clusterSkipReason,
  type Instance,
  startCluster,
  waitFor,
} from '../fixtures/cluster.ts';
import { clientFailures, type LoadResult, startLoad } from '../fixtures/cluster-load.ts';
import { postAsClient, userinfo } from '../fixtures/token-endpoints.ts';

const DRAIN_SECONDS = 1;
const WORKERS = 6;

function summary(result: LoadResult, cluster: Cluster): string {
  const { stats } = cluster.balancer;
  return JSON.stringify({
    clientRequests: result.requests,
    clientStatuses: Object.fromEntries(result.statuses),
    clientErrors: result.errors.slice(0, 5),
    balancerStatuses: Object.fromEntries(stats.statuses),
    resets: stats.resets,
    noBackend: stats.noBackend,
    retriedRefused: stats.retried,
  });
}

/** SIGTERM, then: /readyz 503 at once, exit 0 within the drain time plus 5 s. Returns ms to exit. */
async function drainInstance(instance: Instance): Promise<{ readyzMs: number; exitMs: number }> {
  const started = Date.now();
  instance.child.kill('SIGTERM');
  await waitFor(
    async () => (await fetch(`${instance.baseUrl}/readyz`).catch(() => undefined))?.status === 503,
    500,
    `instance ${instance.index} not ready after SIGTERM`,
  );
  const readyzMs = Date.now() - started;
  const bound = (DRAIN_SECONDS + 5) * 1000;
  const timer = setTimeout(() => instance.child.kill('SIGKILL'), bound + 2000);
  const { code, signal } = await instance.exited;
  clearTimeout(timer);
  const exitMs = Date.now() - started;
  assert.equal(
    signal,
    null,
    `instance ${instance.index} exited by itself, not killed:\n${instance.output()}`,
  );
  assert.equal(code, 0, `exit code 0:\n${instance.output()}`);
  assert.ok(exitMs <= bound, `exited after ${exitMs} ms (bound ${bound} ms)`);
  return { readyzMs, exitMs };
}

describe('RL-06 RL-08 RL-13 instance lifecycle under load', {
  skip: clusterSkipReason,
  timeout: 150_000,
}, () => {
  let cluster: Cluster;
  const figures: Record<string, unknown> = {};

  before(async () => {
    cluster = await startCluster({ instances: 3, env: { LATCHKEY_DRAIN_SECONDS: String(DRAIN_SECONDS) } });
  });
  after(async () => {
    await cluster?.close();
    process.stdout.write(`# RL-13 figures: ${JSON.stringify(figures)}\n`);
  });

  const waitAllReady = () =>
    waitFor(
      async () => {
        for (const instance of cluster.instances) {
          const response = await fetch(`${instance.baseUrl}/readyz`).catch(() => undefined);
          if (response?.status !== 200) return false;
        }
        // Two probe rounds, so the balancer has seen them too.
        await new Promise((resolve) => setTimeout(resolve, 250));
        return true;
      },
      20_000,
      'every instance ready',
    );

  it('RL-13 SIGTERM under load: /readyz 503 at once, 0 5xx and 0 resets, exit 0 in time', async () => {
    const load = startLoad(cluster.view, WORKERS);
    await load.warmedUp(3, 30_000);
    cluster.balancer.resetStats();
    const target = cluster.instances[0] as Instance;
    // Besides the load through the balancer, 40 requests straight to the instance are in flight at the
    // SIGTERM: 10 sign-ins (an argon2 check each), 20 token requests and 10 /userinfo calls.
    const direct = cluster.viewOf(target);
    const pages = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const jar = new CookieJar();
        const url = authorizeUrl(direct, defaultAuthorizeParams(direct, makePkce()));
        return { jar, fields: (await openSignInPage(url, jar)).fields };
      }),
    );
    const inFlight = [
      ...pages.map(({ jar, fields }) =>
        postForm(
          `${direct.baseUrl}/sign-in`,
          { ...fields, username: 'nobody@example.com', password: 'x' },
          jar,
        ),
      ),
      ...Array.from({ length: 20 }, () =>
        redeem(direct, {
          grant_type: 'refresh_token',
          client_id: direct.nativePub.client.clientId,
          refresh_token: 'gone',
        }),
      ),
      ...Array.from({ length: 10 }, () => userinfo(direct, 'not-a-token')),
    ].map((request) =>
      request.then(
        async (response) => {
          await response.arrayBuffer();
          return response.status;
        },
        (error: unknown) => `reset: ${String((error as { cause?: unknown }).cause ?? error)}`,
      ),
    );
    figures['sigterm'] = await drainInstance(target);
    const answered = await Promise.all(inFlight);
    assert.deepEqual(
      answered.filter((status) => typeof status !== 'number' || status >= 500),
      [],
      `in-flight answers: ${answered}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await load.stop();
    assert.equal(clientFailures(result), 0, summary(result, cluster));
    assert.equal(cluster.balancer.failures(), 0, summary(result, cluster));
    figures['sigtermLoad'] = JSON.parse(summary(result, cluster));
    // Instance 0 stays down: the rolling restart below brings it back first.
  });

  it('RL-13 rolling restart of 3 instances under load: 0 5xx, 0 resets', async () => {
    const load = startLoad(cluster.view, WORKERS);
    await load.warmedUp(2, 30_000);
    cluster.balancer.resetStats();
    const started = Date.now();
    // Instance 0 was drained by the SIGTERM test; then each of the others in turn.
    for (const index of [0, 1, 2]) {
      if (index > 0) await drainInstance(cluster.instances[index] as Instance);
      await cluster.restart(index);
      await waitAllReady();
    }
    figures['rollingRestartMs'] = Date.now() - started;
    const result = await load.stop();
    figures['rollingLoad'] = JSON.parse(summary(result, cluster));
    assert.equal(clientFailures(result), 0, summary(result, cluster));
    assert.equal(cluster.balancer.failures(), 0, summary(result, cluster));
  });

  it('RL-06 RL-08 SIGKILL under load: every token a client received works afterwards', async () => {
    const load = startLoad(cluster.view, WORKERS);
    await load.warmedUp(2, 30_000);
    const victim = cluster.instances[1] as Instance;
    victim.child.kill('SIGKILL');
    await victim.exited;
    // The balancer drops it at the next probe; clients keep going on the other two.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const result = await load.stop();
    figures['sigkillLoad'] = JSON.parse(summary(result, cluster));
    assert.ok(result.accessTokens.length > WORKERS, 'tokens were issued');
    for (const token of result.accessTokens) {
      const response = await postAsClient(cluster.view, '/v1/introspect', { token }, { as: 'nativePub' });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { active: boolean }).active, true, 'an issued AT is stored');
    }
    // The newest RT of every worker still refreshes: committed before its 200 was sent (rule 5).
    for (const refreshToken of result.refreshTokens) {
      const response = await fetch(cluster.view.url('/v1/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: cluster.view.nativePub.client.clientId,
          refresh_token: refreshToken,
        }),
      });
      assert.equal(response.status, 200, await response.text());
    }
    figures['checkedTokens'] = result.accessTokens.length + result.refreshTokens.length;
  });
});
