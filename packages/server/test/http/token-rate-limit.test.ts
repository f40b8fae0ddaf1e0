// SECURITY-MATRIX TE-06 (guessing codes or secrets at /v1/token): a small per-IP budget; once spent, 429 with
// Retry-After; other IPs keep theirs. The budget is per IP only (no per-client_id counter is built), so
// "other clients are unaffected" holds for clients on other IPs. Counters live in the database, so they
// are shared by every instance (the multi-instance variant belongs to the cluster suite).

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

  it('TE-06 another IP is unaffected while the first is limited', async () => {
    const limited = await guessCode('203.0.113.1');
    assert.equal(limited.status, 429);
    await limited.body?.cancel();
    await expectTokenError(await guessCode('198.51.100.7'), { status: 400, error: 'invalid_grant' });
    await expectTokenError(await guessSecret('198.51.100.8'), { status: 401, error: 'invalid_client' });
  });

  it('TE-06 the budget is per window: a minute later the IP may try again', async () => {
    server.clock.advance(60);
    await expectTokenError(await guessCode('203.0.113.1'), { status: 400, error: 'invalid_grant' });
  });
});
