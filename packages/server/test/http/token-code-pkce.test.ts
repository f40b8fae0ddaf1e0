// SECURITY-MATRIX B at the token endpoint (RFC 7636 §4.5-4.6): PK-03 (App. B vector), PK-04 (missing or
// malformed verifier), PK-05 (wrong verifier: no burn, nothing revoked), PK-06 (downgrade: a verifier for a
// code issued without a challenge).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizeUrl,
  CookieJar,
  get,
  makePkce,
  obtainCode,
  responseParams,
} from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import {
  basic,
  codeFromSession,
  expectTokenError,
  expectTokens,
  type IssuedCode,
  redeemCode,
  revocationState,
} from '../fixtures/token-assertions.ts';

const MALFORMED_VERIFIER =
  'PKCE verification failed: code_verifier must be 43-128 characters from [A-Za-z0-9._~-].';

describe('PKCE at the token endpoint (PK-03…PK-06)', () => {
  let server: TestServer;
  const jar = new CookieJar();
  before(async () => {
    server = await startTestServer();
    await obtainCode(server, {}, jar);
  });
  after(async () => server.close());

  it('PK-03 RFC 7636 App. B vector → 200', async () => {
    const pkce = {
      verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    };
    const issued = await codeFromSession(server, jar, {}, pkce);
    const tokens = await expectTokens(await redeemCode(server, issued));
    assert.equal(tokens.token_type, 'Bearer');
  });

  describe('PK-04 missing or malformed code_verifier; the code survives', () => {
    let issued: IssuedCode;
    before(async () => {
      issued = await codeFromSession(server, jar);
    });
    it('PK-04 code_verifier omitted → invalid_request', async () => {
      await expectTokenError(await redeemCode(server, issued, { code_verifier: undefined }), {
        status: 400,
        error: 'invalid_request',
        description: 'PKCE code verifier is required by the application.',
      });
    });
    const malformed: [string, string][] = [
      ['42 characters', 'a'.repeat(42)],
      ['129 characters', 'a'.repeat(129)],
      ['a +', `${'a'.repeat(42)}+`],
      ['a /', `${'a'.repeat(42)}/`],
      ['a =', `${'a'.repeat(42)}=`],
      ['a space', `${'a'.repeat(21)} ${'a'.repeat(21)}`],
      ['non-ASCII', `${'a'.repeat(42)}é`],
    ];
    for (const [name, verifier] of malformed) {
      it(`PK-04 code_verifier with ${name} → invalid_request`, async () => {
        await expectTokenError(await redeemCode(server, issued, { code_verifier: verifier }), {
          status: 400,
          error: 'invalid_request',
          description: MALFORMED_VERIFIER,
        });
      });
    }
    it('PK-04 the correct verifier still redeems the code afterwards', async () => {
      await expectTokens(await redeemCode(server, issued));
    });
  });

  describe('PK-05 wrong code_verifier: invalid_grant, no burn, nothing revoked', () => {
    let issued: IssuedCode;
    before(async () => {
      issued = await codeFromSession(server, jar);
    });
    const wrong: [string, () => string][] = [
      ['a well-formed but wrong verifier', () => makePkce().verifier],
      ['the challenge itself', () => issued.pkce.challenge],
      ['the verifier of another transaction', () => makePkce().verifier],
      ['the longest well-formed verifier', () => 'A'.repeat(128)],
    ];
    for (const [name, verifier] of wrong) {
      it(`PK-05 ${name} → invalid_grant`, async () => {
        await expectTokenError(await redeemCode(server, issued, { code_verifier: verifier() }), {
          status: 400,
          error: 'invalid_grant',
          description: 'PKCE verification failed.',
        });
      });
    }
    it('PK-05 the correct verifier then gets 200, and those tokens are active', async () => {
      const tokens = await expectTokens(await redeemCode(server, issued));
      assert.deepEqual(await revocationState(server, tokens), {
        accessRevoked: false,
        refreshRevoked: false,
      });
    });
  });

  describe('PK-06 downgrade: web-conf without a challenge', () => {
    let code: string;
    const redirectUri = 'https://app.example.com/cb';
    const redeemWebConf = (extra: Record<string, string>): Promise<Response> =>
      fetch(server.url('/v1/token'), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(server.webConf.client.clientId, server.webConf.clientSecret),
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          redirect_uri: redirectUri,
          code,
          ...extra,
        }),
      });
    before(async () => {
      const params = {
        client_id: server.webConf.client.clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: redirectUri,
        state: 's',
      };
      const response = await get(authorizeUrl(server, params), jar);
      assert.equal(response.status, 302);
      code = responseParams(response.headers.get('location')).get('code') ?? '';
      assert.notEqual(code, '');
    });
    for (const [name, verifier] of [
      ['a well-formed verifier', makePkce().verifier],
      ['a malformed verifier', 'short'],
    ] as const) {
      it(`PK-06 ${name} for a code issued without a challenge → invalid_request`, async () => {
        await expectTokenError(await redeemWebConf({ code_verifier: verifier }), {
          status: 400,
          error: 'invalid_request',
          description:
            'PKCE code challenge should be specified in the authorize request for code verification.',
        });
      });
    }
    it('PK-06 the same code without a verifier is then redeemed (the refusal burned nothing)', async () => {
      await expectTokens(await redeemWebConf({}));
    });
  });
});
