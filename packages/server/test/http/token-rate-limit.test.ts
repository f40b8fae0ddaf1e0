// SECURITY-MATRIX TE-06 (guessing codes or secrets at /v1/token): a small budget per client
// (LATCHKEY_TOKEN_RATE_LIMIT); once spent, 429 with Retry-After; other clients keep theirs, from the same
// address too, because a web app's backend sends all its users' token requests from one address (issue 8
// §6). A request naming no client is counted under its address. On PostgreSQL the counters live in the
// database, shared by every instance; the embedded SQLite default keeps them in memory.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { redeem } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import { basic, expectTokenError } from '../fixtures/token-assertions.ts';

const BUDGET = 20;

describe('TE-06 token endpoint rate limit', () => {
  let server: TestServer;
  before(async () => {
    // Behind a trusted proxy on 127.0.0.1, X-Forwarded-For names the client, so one test can be many IPs.
    server = await startTestServer({
      rateLimitPerMinute: BUDGET,
      env: { LATCHKEY_TRUST_PROXY: '127.0.0.1' },
    });
  });
  after(async () => server.close());

  const guessCode = (ip: string): Promise<Response> =>
    redeem(
      server,
      {
        grant_type: 'authorization_code',
        client_id: server.nativePub.client.clientId,
        redirect_uri: 'http://127.0.0.1/callback',
        code: `guess-${Math.random()}`,
        code_verifier: 'a'.repeat(43),
      },
      { 'x-forwarded-for': ip },
    );
  const guessSecret = (ip: string): Promise<Response> =>
    redeem(
      server,
      { grant_type: 'authorization_code', redirect_uri: 'https://app.example.com/cb', code: 'x' },
      {
        'x-forwarded-for': ip,
        authorization: basic(server.webConf.client.clientId, `guess-${Math.random()}`),
      },
    );

  for (const [what, guess, ip, status] of [
    ['bad codes', guessCode, '203.0.113.1', 400],
    ['bad client secrets', guessSecret, '203.0.113.2', 401],
  ] as const) {
    it(`TE-06 ${what} from one IP: ${status} until the budget of ${BUDGET} is spent, then 429 with Retry-After`, async () => {
      for (let attempt = 1; attempt <= BUDGET; attempt++) {
        const response = await guess(ip);
        assert.equal(response.status, status, `attempt ${attempt} is within the budget`);
        await response.body?.cancel();
      }
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await guess(ip);
        const retryAfter = Number(response.headers.get('retry-after'));
        assert.ok(
          Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60,
          `Retry-After ${retryAfter}`,
        );
        // Okta's header names (OKTA-COMPAT §1.0), Reset as epoch seconds.
        assert.equal(response.headers.get('x-rate-limit-limit'), String(BUDGET));
        assert.equal(response.headers.get('x-rate-limit-remaining'), '0');
        assert.ok(Number(response.headers.get('x-rate-limit-reset')) >= server.deps.clock.now());
        assert.equal(response.headers.get('x-ratelimit-limit'), null);
        await expectTokenError(response, { status: 429, error: 'invalid_request' });
      }
    });
  }

  it('TE-06 the budget is per client: the limited client stays limited from any address, others are unaffected', async () => {
    const limited = await guessCode('198.51.100.7');
    assert.equal(limited.status, 429);
    await limited.body?.cancel();
    const other = await redeem(
      server,
      {
        grant_type: 'authorization_code',
        client_id: server.spaPub.client.clientId,
        redirect_uri: 'http://127.0.0.1/callback',
        code: 'guess',
        code_verifier: 'a'.repeat(43),
      },
      { 'x-forwarded-for': '203.0.113.1' },
    );
    assert.equal(other.status, 400, 'another client from the limited address');
    await other.body?.cancel();
  });

  it('TE-06 a request naming no client is counted under its address', async () => {
    const anonymous = (ip: string) =>
      redeem(server, { grant_type: 'authorization_code', code: 'x' }, { 'x-forwarded-for': ip });
    for (let attempt = 1; attempt <= BUDGET; attempt++) {
      const response = await anonymous('192.0.2.9');
      assert.notEqual(response.status, 429, `attempt ${attempt} is within the budget`);
      await response.body?.cancel();
    }
    const limited = await anonymous('192.0.2.9');
    assert.equal(limited.status, 429);
    await limited.body?.cancel();
    const elsewhere = await anonymous('192.0.2.10');
    assert.notEqual(elsewhere.status, 429);
    await elsewhere.body?.cancel();
  });

  it('TE-06 the budget is per window: a minute later the IP may try again', async () => {
    server.clock.advance(60);
    await expectTokenError(await guessCode('203.0.113.1'), { status: 400, error: 'invalid_grant' });
  });
});
