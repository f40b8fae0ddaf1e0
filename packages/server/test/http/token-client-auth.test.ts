// SECURITY-MATRIX TE-03 (client authentication at /v1/token: RFC 6749 §2.3, §2.3.1, §5.2; OKTA-COMPAT §1.2)
// and TE-04 (JWT client authentication is not built, so any client_assertion is refused).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CookieJar, obtainCode, redeem } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import {
  basic,
  codeFromSession,
  expectTokenError,
  expectTokens,
  redeemCode,
  webConfCode,
  webConfForm,
} from '../fixtures/token-assertions.ts';

const AUTH_FAILED = 'Client authentication failed. Either the client or the client credentials are invalid.';

describe('client authentication (TE-03, TE-04)', () => {
  let server: TestServer;
  const jar = new CookieJar();
  before(async () => {
    server = await startTestServer();
    await obtainCode(server, {}, jar);
  });
  after(async () => server.close());

  describe('TE-03 client authentication', () => {
    const webId = (): string => server.webConf.client.clientId;
    const secret = (): string => server.webConf.clientSecret;
    const cases: [
      string,
      () => [Record<string, string>, Record<string, string>],
      number,
      string,
      (string | RegExp)?,
    ][] = [
      [
        'web-conf with a wrong secret',
        () => [{}, { authorization: basic(webId(), 'wrong') }],
        401,
        'invalid_client',
        AUTH_FAILED,
      ],
      [
        'web-conf with no authentication',
        () => [{ client_id: webId() }, {}],
        401,
        'invalid_client',
        AUTH_FAILED,
      ],
      [
        'no client identification at all',
        () => [{}, {}],
        401,
        'invalid_client',
        'No client credentials found.',
      ],
      [
        'the secret in both the Basic header and the body',
        () => [{ client_id: webId(), client_secret: secret() }, { authorization: basic(webId(), secret()) }],
        400,
        'invalid_request',
        'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.',
      ],
      [
        'client_secret_post although registered for client_secret_basic',
        () => [{ client_id: webId(), client_secret: secret() }, {}],
        401,
        'invalid_client',
        // Issue 12: with the right secret, the description says how the app is registered and how to change it.
        /^Client authentication failed: the app is registered for client_secret_basic, .* --auth-method client_secret_post\)\.$/,
      ],
      [
        'a public client sending a secret',
        () => [{ client_id: server.nativePub.client.clientId, client_secret: 'anything' }, {}],
        401,
        'invalid_client',
        AUTH_FAILED,
      ],
      [
        'an unknown client',
        () => [{ client_id: '0oaunknownclient00' }, {}],
        401,
        'invalid_client',
        AUTH_FAILED,
      ],
      [
        'a malformed client_id',
        () => [{ client_id: 'has space' }, {}],
        401,
        'invalid_client',
        "Invalid value for 'client_id' parameter.",
      ],
    ];
    for (const [name, build, status, error, description] of cases) {
      it(`TE-03 ${name} → ${status} ${error}`, async () => {
        const [body, headers] = build();
        const response = await redeem(server, { ...webConfForm('x'.repeat(43)), ...body }, headers);
        const challenge = response.headers.get('www-authenticate');
        await expectTokenError(response, { status, error, ...(description ? { description } : {}) });
        if (status === 401 && headers['authorization']) assert.match(challenge ?? '', /^Basic\b/);
        if (!headers['authorization']) assert.equal(challenge, null);
      });
    }
    const malformed: [string, string][] = [
      ['Basic without credentials', 'Basic'],
      ['Basic with non-base64', 'Basic !!!not-base64'],
      ['Basic with an empty client id', `Basic ${Buffer.from(':secret').toString('base64')}`],
      ['Basic with bad URL-encoding', `Basic ${Buffer.from('%ZZ:secret').toString('base64')}`],
      ['another scheme', 'Bearer abc'],
    ];
    for (const [name, authorization] of malformed) {
      it(`TE-03 malformed Authorization (${name}) → 401 invalid_client with WWW-Authenticate: Basic`, async () => {
        const response = await redeem(server, webConfForm('x'.repeat(43)), { authorization });
        assert.match(response.headers.get('www-authenticate') ?? '', /^Basic\b/);
        await expectTokenError(response, { status: 401, error: 'invalid_client' });
      });
    }
    for (const [name, pair] of [
      ['Basic base64(client_id)', (id: string) => id],
      ['Basic base64(client_id:)', (id: string) => `${id}:`],
    ] as const) {
      it(`TE-03 a public client may authenticate with ${name}`, async () => {
        const issued = await codeFromSession(server, jar);
        const authorization = `Basic ${Buffer.from(pair(server.nativePub.client.clientId)).toString('base64')}`;
        await expectTokens(await redeemCode(server, issued, { client_id: undefined }, { authorization }));
      });
    }
    it('TE-03 web-conf with the right Basic secret → 200', async () => {
      const response = await redeem(server, webConfForm(await webConfCode(server, jar)), {
        authorization: basic(webId(), secret()),
      });
      await expectTokens(response);
    });
    for (const name of ['client_secret', 'client_assertion']) {
      it(`TE-03 ${name} in the query string → invalid_request`, async () => {
        const response = await fetch(`${server.url('/v1/token')}?${name}=leaked`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...webConfForm('x'.repeat(43)), client_id: webId() }),
        });
        await expectTokenError(response, {
          status: 400,
          error: 'invalid_request',
          description: 'Client credentials cannot be supplied via query parameters.',
        });
      });
    }
  });

  it('TE-04 private_key_jwt / client_assertion is not built: refused with 401 invalid_client', async () => {
    const form = {
      ...webConfForm('x'.repeat(43)),
      client_id: server.webConf.client.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    };
    await expectTokenError(await redeem(server, form), { status: 401, error: 'invalid_client' });
  });
});
