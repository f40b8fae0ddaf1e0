// Issue 11: /metrics in Prometheus text format. Series after a code flow and failed sign-ins, with route
// patterns (never URLs) and bounded labels; the endpoint only behind its token or on its own listener.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LOCKOUT_THRESHOLD } from '../../src/accounts/authenticate.ts';
import { createUser } from '../../src/accounts/users.ts';
import { startServer } from '../../src/main.ts';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  makePkce,
  redeem,
  signIn,
} from '../fixtures/browser-flow.ts';
import { samples, sampleValue } from '../fixtures/metrics.ts';
import { obtainTokens, refresh } from '../fixtures/refresh-flow.ts';
import { databases, startTestServer, type TestServer } from '../fixtures/test-server.ts';

const TOKEN = randomBytes(24).toString('hex');

for (const database of databases) {
  describe(`metrics on the main listener (${database})`, () => {
    let server: TestServer;
    let text: string;
    before(async () => {
      server = await startTestServer({ database, env: { LATCHKEY_METRICS_TOKEN: TOKEN } });
      const tokens = await obtainTokens(server);
      assert.equal((await refresh(server, 'nativePub', tokens.refresh_token ?? '')).status, 200);
      const wrong = { username: server.user.login, password: 'not the password at all' };
      const page = await signIn(
        server,
        authorizeUrl(server, defaultAuthorizeParams(server, makePkce())),
        new CookieJar(),
        wrong,
      );
      assert.equal(page.status, 401);
      const target = await createUser(server.deps, {
        email: 'locked@example.com',
        name: 'L',
        password: 'a long enough passphrase',
      });
      for (let attempt = 0; attempt < LOCKOUT_THRESHOLD; attempt += 1) {
        const url = authorizeUrl(server, defaultAuthorizeParams(server, makePkce()));
        await signIn(server, url, new CookieJar(), { username: target.login, password: 'wrong wrong wrong' });
      }
      // A client_id nobody registered: refused, and counted without minting a series for it.
      await redeem(server, { grant_type: 'authorization_code', code: 'x', client_id: 'random-client-4711' });
      const response = await fetch(`${server.baseUrl}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      text = await response.text();
    });
    after(() => server.close());

    it('HTTP requests by route pattern, method and status, with a duration histogram', () => {
      const token = { route: '/oauth2/:serverId/v1/token', method: 'POST', status_code: '200' };
      assert.equal(sampleValue(text, 'latchkey_http_requests_total', token), 2);
      assert.equal(sampleValue(text, 'latchkey_http_request_duration_seconds_count', token), 2);
      assert.ok(
        sampleValue(text, 'latchkey_http_request_duration_seconds_bucket', { ...token, le: '+Inf' }) === 2,
      );
      assert.ok(
        sampleValue(text, 'latchkey_http_requests_total', { route: '/sign-in', status_code: '401' }) >= 1,
      );
      for (const sample of samples(text, 'latchkey_http_requests_total')) {
        assert.ok(
          !/default|\?|random-client/.test(sample.labels['route'] ?? ''),
          `a raw URL: ${sample.labels['route']}`,
        );
      }
    });

    it('token requests and authorize outcomes by type, client and outcome', () => {
      const clientId = server.nativePub.client.clientId;
      const grants = { client_id: clientId, outcome: 'success' };
      assert.equal(
        sampleValue(text, 'latchkey_token_requests_total', { ...grants, grant_type: 'authorization_code' }),
        1,
      );
      assert.equal(
        sampleValue(text, 'latchkey_token_requests_total', { ...grants, grant_type: 'refresh_token' }),
        1,
      );
      assert.equal(
        sampleValue(text, 'latchkey_token_requests_total', {
          grant_type: 'authorization_code',
          client_id: 'unknown',
          outcome: 'invalid_client',
        }),
        1,
      );
      assert.ok(!text.includes('random-client-4711'), 'an unregistered client_id is no label');
      assert.equal(
        sampleValue(text, 'latchkey_authorize_outcomes_total', {
          response_type: 'code',
          client_id: clientId,
          outcome: 'success',
        }),
        1,
      );
    });

    it('sign-in failures by reason, and the attempt that locked an account', () => {
      const hosted = { surface: 'hosted', reason: 'wrong_password' };
      assert.equal(sampleValue(text, 'latchkey_sign_in_failures_total', hosted), 1 + LOCKOUT_THRESHOLD);
      assert.equal(sampleValue(text, 'latchkey_account_lockouts_total', { surface: 'hosted' }), 1);
    });

    it('database query durations, event-loop lag and signing-key ages', () => {
      assert.ok(
        sampleValue(text, 'latchkey_db_query_duration_seconds_count', {
          operation: 'select',
          outcome: 'ok',
        }) > 0,
      );
      assert.ok(
        sampleValue(text, 'latchkey_db_query_duration_seconds_count', {
          operation: 'insert',
          outcome: 'ok',
        }) > 0,
      );
      assert.ok(samples(text, 'nodejs_eventloop_lag_seconds').length === 1);
      const keys = samples(text, 'latchkey_signing_key_age_seconds').filter(
        (s) => s.labels['status'] === 'ACTIVE',
      );
      assert.ok(keys.length >= 1, text);
      const active = keys.find((sample) => sample.labels['server_id'] === 'default');
      assert.ok(active?.labels['kid'], 'kid label');
      assert.ok(active.value >= 0);
      if (database === 'postgres') {
        assert.ok(sampleValue(text, 'latchkey_db_pool_connections', { state: 'total' }) >= 1);
        assert.equal(samples(text, 'latchkey_db_pool_connections').length, 3);
      } else assert.equal(samples(text, 'latchkey_db_pool_connections').length, 0);
    });

    it('the token is required: none, a wrong one and another scheme are refused', async () => {
      for (const authorization of [
        undefined,
        `Bearer ${TOKEN}x`,
        `Bearer ${TOKEN.slice(1)}`,
        `Basic ${TOKEN}`,
      ]) {
        const response = await fetch(`${server.baseUrl}/metrics`, {
          headers: authorization === undefined ? {} : { authorization },
        });
        assert.equal(response.status, 401, String(authorization));
        assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="metrics"');
        assert.ok(!(await response.text()).includes('latchkey_'));
      }
    });
  });
}

describe('metrics off and on a separate listener', () => {
  it('neither setting: /metrics is 404', async () => {
    const server = await startTestServer();
    try {
      const response = await fetch(`${server.baseUrl}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(response.status, 404);
    } finally {
      await server.close();
    }
  });

  it('LATCHKEY_METRICS_ADDRESS: served there without a token, and not on the main listener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-metrics-'));
    const server = await startServer({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`,
      LATCHKEY_SECRET: randomBytes(36).toString('base64'),
      LATCHKEY_METRICS_ADDRESS: '127.0.0.1:0',
      LOG_LEVEL: 'silent',
    });
    try {
      assert.match(server.metricsAddress ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${server.address}/healthz`)).status, 200);
      const response = await fetch(`${server.metricsAddress}/metrics`);
      assert.equal(response.status, 200);
      const text = await response.text();
      assert.equal(
        sampleValue(text, 'latchkey_http_requests_total', { route: '/healthz', status_code: '200' }),
        1,
      );
      assert.equal((await fetch(`${server.address}/metrics`)).status, 404);
      assert.equal((await fetch(`${server.metricsAddress}/other`)).status, 404);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
