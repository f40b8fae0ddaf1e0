// SECURITY-MATRIX K: LG-13 (timing-safe comparisons), over HTTP. For each secret, a completely wrong value
// and a value whose compared digest shares a prefix with the right one are sent interleaved; a Welch
// t-test must find no significant difference. Statistical, so it runs only with LATCHKEY_TIMING_TESTS=1
// (the separate, non-blocking timing job, SECURITY-MATRIX §6).

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { computeS256Challenge } from '../../src/oauth/pkce.ts';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  makePkce,
  obtainCode,
  openSignInPage,
  postForm,
  redeem,
} from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const SKIP =
  process.env['LATCHKEY_TIMING_TESTS'] === '1'
    ? false
    : 'statistical timing test: set LATCHKEY_TIMING_TESTS=1 (runs in the separate, non-blocking timing job)';
const SAMPLES = Number(process.env['LATCHKEY_TIMING_SAMPLES'] ?? 20_000);
const P_THRESHOLD = 0.01;

/** Times `send` for two inputs, interleaved, and returns the two-sided Welch p-value. */
async function compareTimings(
  send: (input: string) => Promise<Response>,
  a: string,
  b: string,
): Promise<number> {
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < SAMPLES; i++) {
    for (const [index, input] of [a, b].entries()) {
      const started = process.hrtime.bigint();
      const response = await send(input);
      await response.arrayBuffer();
      samples[index]!.push(Number(process.hrtime.bigint() - started));
    }
  }
  // Crop the slow tail of both sets at the same point (scheduling noise, GC pauses).
  const cutoff = [...samples[0], ...samples[1]].sort((x, y) => x - y)[Math.floor(SAMPLES * 2 * 0.95)]!;
  return welchPValue(
    ...(samples.map((set) => set.filter((value) => value <= cutoff)) as [number[], number[]]),
  );
}

function welchPValue(x: number[], y: number[]): number {
  const stats = (values: number[]) => {
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
    return { mean, variance, n: values.length };
  };
  const sx = stats(x);
  const sy = stats(y);
  const t = (sx.mean - sy.mean) / Math.sqrt(sx.variance / sx.n + sy.variance / sy.n);
  // Thousands of degrees of freedom: the t distribution is the normal one to well within the threshold.
  return 2 * (1 - normalCdf(Math.abs(t)));
}

function normalCdf(z: number): number {
  // Abramowitz & Stegun 7.1.26 for erf, |error| < 1.5e-7.
  const x = z / Math.SQRT2;
  const k = 1 / (1 + 0.3275911 * x);
  const poly =
    k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027 + k * 1.061405429))));
  return 0.5 * (1 + (1 - poly * Math.exp(-x * x)));
}

/** A value whose `digest` shares its first `chars` characters with `digest(target)`, found by search. */
function withDigestPrefix(digest: (value: string) => string, target: string, chars: number): string {
  const wanted = digest(target).slice(0, chars);
  for (;;) {
    const candidate = randomBytes(32).toString('base64url');
    if (candidate !== target && digest(candidate).slice(0, chars) === wanted) return candidate;
  }
}

const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

describe('LG-13 timing-safe comparisons over HTTP', { skip: SKIP }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimitPerMinute: 100_000_000 });
  });
  after(async () => server?.close());

  it('LG-13 client secret: wrong vs digest with a correct prefix', { timeout: 30 * 60_000 }, async () => {
    const secret = server.webConf.clientSecret;
    const clientId = server.webConf.client.clientId;
    const near = withDigestPrefix(sha256Hex, secret, 4);
    const far = randomBytes(32).toString('base64url');
    const send = (candidate: string) =>
      redeem(
        server,
        { grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://app.example.com/cb' },
        { authorization: `Basic ${Buffer.from(`${clientId}:${candidate}`).toString('base64')}` },
      );
    assert.equal((await send(near)).status, 401);
    const p = await compareTimings(send, far, near);
    assert.ok(p > P_THRESHOLD, `p = ${p}`);
  });

  it('LG-13 CSRF token: wrong vs correct prefix', { timeout: 30 * 60_000 }, async () => {
    const jar = new CookieJar();
    const { fields } = await openSignInPage(
      authorizeUrl(server, defaultAuthorizeParams(server, makePkce())),
      jar,
    );
    const token = fields['_csrf'] ?? '';
    const near = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const far = `${randomBytes(12).toString('base64url').slice(0, token.indexOf('-'))}-${randomBytes(32)
      .toString('base64url')
      .slice(0, token.length - token.indexOf('-') - 1)}`;
    assert.equal(far.length, token.length);
    const send = (candidate: string) =>
      postForm(
        `${server.baseUrl}/sign-in`,
        { ...fields, _csrf: candidate, username: 'u', password: 'p' },
        jar,
      );
    assert.equal((await send(near)).status, 403);
    const p = await compareTimings(send, far, near);
    assert.ok(p > P_THRESHOLD, `p = ${p}`);
  });

  it('LG-13 PKCE: wrong verifier vs one whose challenge shares a prefix', {
    timeout: 30 * 60_000,
  }, async () => {
    const { code, pkce, redirectUri } = await obtainCode(server);
    const near = withDigestPrefix(computeS256Challenge, pkce.verifier, 3);
    const far = randomBytes(32).toString('base64url');
    const send = (verifier: string) =>
      redeem(server, {
        grant_type: 'authorization_code',
        client_id: server.nativePub.client.clientId,
        redirect_uri: redirectUri,
        code,
        code_verifier: verifier,
      });
    assert.equal((await send(near)).status, 400);
    const p = await compareTimings(send, far, near);
    assert.ok(p > P_THRESHOLD, `p = ${p}`);
  });

  it.todo('LG-13 admin API key: the admin API is not built yet');
});
