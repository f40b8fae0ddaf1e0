// SECURITY-MATRIX K: LG-04 (credential stuffing). A small per-IP budget on POST /sign-in; a spoofed
// X-Forwarded-For does not buy a new budget unless it comes from a configured trusted proxy.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  makePkce,
  openSignInPage,
  postForm,
} from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const BUDGET = 5;

function randomIp(): string {
  return `${randomInt(1, 224)}.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

async function stuff(
  server: TestServer,
  account: number,
  headers: Record<string, string>,
): Promise<Response> {
  const jar = new CookieJar();
  const { fields } = await openSignInPage(
    authorizeUrl(server, defaultAuthorizeParams(server, makePkce())),
    jar,
  );
  return postForm(
    `${server.baseUrl}/sign-in`,
    { ...fields, username: `victim-${account}@example.com`, password: `Password-${account}!` },
    jar,
    headers,
  );
}

describe('LG-04 per-IP sign-in limit, no trusted proxy', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimitPerMinute: BUDGET });
  });
  after(async () => server.close());

  it('LG-04 one IP trying many accounts gets 429 with Retry-After once the budget is spent, whatever X-Forwarded-For says', async () => {
    for (let account = 1; account <= BUDGET; account++) {
      const response = await stuff(server, account, { 'x-forwarded-for': randomIp() });
      assert.equal(response.status, 401, `account ${account} is within the budget`);
      await response.body?.cancel();
    }
    for (let account = BUDGET + 1; account <= BUDGET + 3; account++) {
      const response = await stuff(server, account, {
        'x-forwarded-for': randomIp(),
        'x-real-ip': randomIp(),
        forwarded: `for=${randomIp()}`,
      });
      assert.equal(response.status, 429, `account ${account}`);
      const retryAfter = Number(response.headers.get('retry-after'));
      assert.ok(
        Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60,
        `Retry-After ${retryAfter}`,
      );
      assert.equal(response.headers.get('location'), null);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await response.text(), /Too many requests/);
    }
  });

  it('LG-04 the budget is per window: after a minute the IP may try again', async () => {
    server.clock.advance(60);
    const response = await stuff(server, 100, {});
    assert.equal(response.status, 401);
    await response.body?.cancel();
  });
});

describe('LG-04 with a trusted proxy', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimitPerMinute: 2, env: { LATCHKEY_TRUST_PROXY: '127.0.0.1' } });
  });
  after(async () => server.close());

  it('LG-04 X-Forwarded-For from the trusted proxy separates clients; each client keeps its own budget', async () => {
    const clientA = randomIp();
    const clientB = randomIp();
    const statuses = async (ip: string) => {
      const result: number[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await stuff(server, i, { 'x-forwarded-for': ip });
        result.push(response.status);
        await response.body?.cancel();
      }
      return result;
    };
    assert.deepEqual(await statuses(clientA), [401, 401, 429]);
    assert.deepEqual(await statuses(clientB), [401, 401, 429]);
  });
});
