// SECURITY-MATRIX ID-03 (max_age, prompt=login) and ID-04 (prompt=none, id_token_hint): OIDC Core
// §3.1.2.1, §3.1.2.6; OKTA-COMPAT §1.1, §2.4. Time moves with the injected clock, never by sleeping.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { createUser } from '../../src/accounts/users.ts';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  get,
  makePkce,
  type Pkce,
  responseParams,
  signIn,
} from '../fixtures/browser-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import { claimsOf, expectTokens, headerOf, redeemCode } from '../fixtures/token-assertions.ts';

describe('prompt, max_age and id_token_hint (ID-03, ID-04)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  /** The ID token (raw and decoded) for the code in an authorization response. */
  async function idTokenFrom(response: Response, pkce: Pkce): Promise<{ raw: string; claims: JWTPayload }> {
    const code = responseParams(response.headers.get('location')).get('code');
    assert.ok(code, `no code in ${response.headers.get('location')}`);
    const tokens = await expectTokens(
      await redeemCode(server, { code, pkce, redirectUri: 'http://127.0.0.1/callback' }),
    );
    assert.ok(tokens.id_token);
    return { raw: tokens.id_token, claims: claimsOf(tokens.id_token) };
  }

  const urlWith = (pkce: Pkce, extra: Record<string, string>): string =>
    authorizeUrl(server, defaultAuthorizeParams(server, pkce, extra));

  describe('ID-03 max_age and prompt=login', () => {
    const jar = new CookieJar();
    let first: JWTPayload;
    let latestAuthTime = 0;
    before(async () => {
      const pkce = makePkce();
      first = (await idTokenFrom(await signIn(server, urlWith(pkce, {}), jar), pkce)).claims;
      latestAuthTime = Number(first['auth_time']);
    });

    it('ID-03 (b) max_age=10000: straight 302, same sub and auth_time', async () => {
      server.clock.advance(2);
      const pkce = makePkce();
      const response = await get(urlWith(pkce, { max_age: '10000' }), jar);
      assert.equal(response.status, 302, 'no sign-in page');
      const { claims } = await idTokenFrom(response, pkce);
      assert.equal(claims.sub, first.sub);
      assert.equal(claims['auth_time'], first['auth_time']);
      assert.ok((claims.iat ?? 0) - Number(claims['auth_time']) <= 10000);
    });

    const again: [string, Record<string, string>, number | undefined][] = [
      ['(a) max_age=1 two seconds after signing in', { max_age: '1' }, 1],
      ['(c) max_age=0', { max_age: '0' }, 0],
      ['(d) prompt=login', { prompt: 'login' }, undefined],
    ];
    for (const [name, extra, maxAge] of again) {
      it(`ID-03 ${name}: the sign-in page again, and a later auth_time`, async () => {
        server.clock.advance(2);
        const pkce = makePkce();
        const page = await get(urlWith(pkce, extra), jar);
        assert.equal(page.status, 200, 'the sign-in page is shown');
        assert.match(await page.text(), /name="password"/);
        const { claims } = await idTokenFrom(await signIn(server, urlWith(pkce, extra), jar), pkce);
        assert.equal(claims.sub, first.sub);
        const authTime = Number(claims['auth_time']);
        assert.ok(authTime > latestAuthTime, `auth_time ${authTime} is later than ${latestAuthTime}`);
        latestAuthTime = authTime;
        if (maxAge !== undefined) {
          const age = (claims.iat ?? 0) - authTime;
          assert.ok(age <= maxAge, `iat - auth_time = ${age} <= max_age ${maxAge}`);
          // okta-mobile-swift demands iat - auth_time > 0 when max_age >= 1 (OKTA-COMPAT §2.4).
          if (maxAge >= 1) assert.ok(age > 0, `iat - auth_time = ${age} > 0`);
        }
      });
    }
  });

  describe('ID-04 prompt=none and id_token_hint', () => {
    const alice = new CookieJar();
    let aliceToken: { raw: string; claims: JWTPayload };
    let bobToken: string;
    before(async () => {
      const pkce = makePkce();
      aliceToken = await idTokenFrom(await signIn(server, urlWith(pkce, {}), alice), pkce);
      const bob = await createUser(server.deps, {
        email: 'bob@example.com',
        name: 'Bob',
        password: TEST_PASSWORD,
      });
      const bobPkce = makePkce();
      const signedIn = await signIn(server, urlWith(bobPkce, {}), new CookieJar(), { username: bob.login });
      bobToken = (await idTokenFrom(signedIn, bobPkce)).raw;
    });

    /** A silent request; returns the authorization response parameters (asserting a 302, never a page). */
    async function silently(jar: CookieJar, extra: Record<string, string>) {
      const pkce = makePkce();
      const response = await get(urlWith(pkce, { prompt: 'none', ...extra }), jar);
      assert.equal(response.status, 302, 'prompt=none never shows UI');
      return { response, pkce, params: responseParams(response.headers.get('location')) };
    }

    it('ID-04 (a) prompt=none without a session → login_required redirect', async () => {
      const { params } = await silently(new CookieJar(), {});
      assert.equal(params.get('code'), null);
      assert.equal(params.get('error'), 'login_required');
      assert.equal(
        params.get('error_description'),
        'The client specified not to prompt, but the user is not logged in.',
      );
      assert.equal(params.get('state'), 'state-123');
      assert.equal(params.get('iss'), server.issuer);
    });

    it('ID-04 (b) prompt=none with a live session → a code, same sub and auth_time', async () => {
      const { response, pkce } = await silently(alice, {});
      const { claims } = await idTokenFrom(response, pkce);
      assert.equal(claims.sub, aliceToken.claims.sub);
      assert.equal(claims['auth_time'], aliceToken.claims['auth_time']);
    });

    it.todo(
      'ID-04 (c) prompt=none with a session but no consent → consent_required: consent arrives with issue 3',
    );

    it('ID-04 (d) prompt=none with id_token_hint = own ID token → a code, same sub', async () => {
      const { response, pkce } = await silently(alice, { id_token_hint: aliceToken.raw });
      assert.equal((await idTokenFrom(response, pkce)).claims.sub, aliceToken.claims.sub);
    });

    let forged: string | undefined;
    /** Alice's claims under an attacker's RSA key that claims the server's kid (generated once). */
    async function forgedHint(): Promise<string> {
      if (forged === undefined) {
        const { privateKey } = await generateKeyPair('RS256');
        forged = await new SignJWT(aliceToken.claims)
          .setProtectedHeader({ alg: 'RS256', kid: headerOf(aliceToken.raw).kid ?? '' })
          .sign(privateKey);
      }
      return forged;
    }
    const foreignHints: [string, () => Promise<string>][] = [
      ["another user's ID token", async () => bobToken],
      ['an ID token re-signed by an attacker key', forgedHint],
    ];
    for (const [name, hint] of foreignHints) {
      for (const prompt of ['none', undefined]) {
        it(`ID-04 (e) ${name} as id_token_hint${prompt ? ', prompt=none' : ''} → login_required, never a code`, async () => {
          const pkce = makePkce();
          const extra = { id_token_hint: await hint(), ...(prompt ? { prompt } : {}) };
          const response = await get(urlWith(pkce, extra), alice);
          assert.equal(response.status, 302);
          const params = responseParams(response.headers.get('location'));
          assert.equal(params.get('code'), null);
          assert.equal(params.get('error'), 'login_required');
        });
      }
    }
  });
});
