// SECURITY-MATRIX AC-06 (codes and refresh tokens: unique, ≥ 128 bits, RFC 6749 App. A charset, only
// hashes in the database) and AC-07 (the sign-in POST answers 303 with only code, state and iss).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/oauth/random.ts';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  get,
  hiddenFields,
  makePkce,
  obtainCode,
  postForm,
  responseParams,
} from '../fixtures/browser-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import {
  codeFromSession,
  expectTokens,
  type IssuedTokens,
  redeemCode,
} from '../fixtures/token-assertions.ts';

// The matrix asks for 10,000; 200 keeps the file within a few seconds and still catches a fixed,
// short, or low-entropy generator (any collision among 200 random 256-bit values would be a broken RNG).
const MINTED = 200;
const BATCH = 20;
// RFC 6749 App. A (code = 1*VSCHAR); base64url of 32 bytes is 43 characters = 256 bits.
const OPAQUE = /^[A-Za-z0-9_-]{43,}$/;

/** Every byte SQLite holds for this store: the main file and the write-ahead log. */
function databaseBytes(server: TestServer): string {
  const file = server.deps.config.databaseUrl.slice('sqlite:'.length);
  return [file, `${file}-wal`]
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'))
    .join('');
}

describe('code storage and delivery (AC-06, AC-07)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  describe('AC-06 code and refresh token generation and storage', () => {
    const jar = new CookieJar();
    const codes: string[] = [];
    const responses: IssuedTokens[] = [];
    before(async () => {
      await obtainCode(server, {}, jar);
      for (let minted = 0; minted < MINTED; minted += BATCH) {
        await Promise.all(
          Array.from({ length: BATCH }, async () => {
            const issued = await codeFromSession(server, jar);
            codes.push(issued.code);
            responses.push(await expectTokens(await redeemCode(server, issued)));
          }),
        );
      }
    });

    it(`AC-06 ${MINTED} codes and refresh tokens are unique, ≥ 43 base64url characters`, () => {
      const refreshTokens = responses.map((tokens) => tokens.refresh_token ?? '');
      for (const [name, values] of [
        ['codes', codes],
        ['refresh tokens', refreshTokens],
      ] as const) {
        assert.equal(values.length, MINTED, name);
        assert.equal(new Set(values).size, MINTED, `${name} are unique`);
        for (const value of values) assert.match(value, OPAQUE, name);
      }
      assert.equal(
        new Set([...codes, ...refreshTokens]).size,
        2 * MINTED,
        'no value serves as two artifacts',
      );
    });

    it('AC-06 the database file holds hashes only: no raw code, refresh token, client secret or password', () => {
      const bytes = databaseBytes(server);
      // The hashes are there, so these bytes are where the rows live.
      assert.ok(bytes.includes(sha256Hex(codes[0] ?? '')), 'code hashes are stored');
      assert.ok(bytes.includes(sha256Hex(server.webConf.clientSecret)), 'the client secret hash is stored');
      const secrets = [
        ...codes.map((value) => ['code', value]),
        ...responses.map((tokens) => ['refresh token', tokens.refresh_token ?? '']),
        ...responses.map((tokens) => ['access token', tokens.access_token]),
        ['client secret', server.webConf.clientSecret],
        ['password', TEST_PASSWORD],
      ];
      for (const [kind, value] of secrets) {
        assert.ok(
          value !== undefined && value !== '' && !bytes.includes(value),
          `a raw ${kind} is in the database`,
        );
      }
    });
  });

  describe('AC-07 response delivery after the sign-in POST', () => {
    it('AC-07 sign-in page and POST: 303, Location with only code, state, iss; Referrer-Policy no-referrer', async () => {
      const jar = new CookieJar();
      const params = defaultAuthorizeParams(server, makePkce());
      const page = await get(authorizeUrl(server, params), jar);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
      const html = await page.text();
      // No third-party resources: every src/href/action is same-origin (relative) or inline data.
      for (const match of html.matchAll(/\b(?:src|href|action)="([^"]*)"/g)) {
        assert.match(match[1] ?? '', /^(\/(?!\/)|data:|#)/, `external resource ${match[1]}`);
      }
      const response = await postForm(
        `${server.baseUrl}/sign-in`,
        { ...hiddenFields(html), username: server.user.login, password: TEST_PASSWORD },
        jar,
      );
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      const location = response.headers.get('location') ?? '';
      assert.ok(location.startsWith('http://127.0.0.1/callback?'), location);
      const answer = responseParams(location);
      assert.deepEqual([...answer.keys()], ['code', 'state', 'iss']);
      assert.equal(answer.get('state'), 'state-123');
      assert.equal(answer.get('iss'), server.issuer);
    });

    it('AC-07 the silent answer from an SSO session: 302, only code, state, iss; Referrer-Policy no-referrer', async () => {
      const jar = new CookieJar();
      await obtainCode(server, {}, jar);
      const response = await get(authorizeUrl(server, defaultAuthorizeParams(server, makePkce())), jar);
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      assert.deepEqual(
        [...responseParams(response.headers.get('location')).keys()],
        ['code', 'state', 'iss'],
      );
    });
  });
});
