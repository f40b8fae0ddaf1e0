// CORS on /v1/token (OKTA-COMPAT §1.0, §3; part of SECURITY-MATRIX TE-01/TE-03): only the origins of a
// client's redirect URIs, preflights allow what okta-auth-js sends, and a browser request needs PKCE.

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

const SPA_ORIGIN = 'http://localhost:8080';

describe('CORS on the token endpoint (TE-01, TE-03)', () => {
  let server: TestServer;
  const jar = new CookieJar();
  before(async () => {
    server = await startTestServer();
    await obtainCode(server, {}, jar);
  });
  after(async () => server.close());

  const spaCode = () =>
    codeFromSession(server, jar, {
      client_id: server.spaPub.client.clientId,
      redirect_uri: 'http://localhost:8080/callback',
      scope: 'openid',
    });

  it("TE-01 an Origin equal to spa-pub's redirect-URI origin is echoed, with Vary and exposed headers", async () => {
    const issued = await spaCode();
    const response = await redeemCode(
      server,
      issued,
      { client_id: server.spaPub.client.clientId },
      { origin: SPA_ORIGIN },
    );
    assert.equal(response.headers.get('access-control-allow-origin'), SPA_ORIGIN);
    assert.match(response.headers.get('vary') ?? '', /\bOrigin\b/);
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    assert.ok(exposed.includes('WWW-Authenticate') && exposed.includes('DPoP-Nonce'), exposed.join());
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
    await expectTokens(response);
  });

  for (const origin of ['https://evil.example', 'http://localhost:8081', 'http://127.0.0.1:8080', 'null']) {
    it(`TE-03 a browser request from ${origin} (not a spa-pub origin) → invalid_request, no CORS headers`, async () => {
      const issued = await spaCode();
      const response = await redeemCode(
        server,
        issued,
        { client_id: server.spaPub.client.clientId },
        { origin },
      );
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      await expectTokenError(response, {
        status: 400,
        error: 'invalid_request',
        description:
          'Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.',
      });
    });
  }

  it('TE-03 OPTIONS preflight → 204 with the allowed methods and headers', async () => {
    const response = await fetch(server.url('/v1/token'), {
      method: 'OPTIONS',
      headers: {
        origin: SPA_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-okta-user-agent-extended',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), SPA_ORIGIN);
    const methods = (response.headers.get('access-control-allow-methods') ?? '').split(/,\s*/);
    assert.deepEqual(methods.sort(), ['GET', 'OPTIONS', 'POST']);
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
    for (const name of ['accept', 'authorization', 'content-type', 'dpop', 'x-okta-user-agent-extended']) {
      assert.ok(allowed.includes(name), `${name} allowed`);
    }
  });

  it('TE-03 a browser request (Origin) redeeming a code issued without PKCE → 401 invalid_client', async () => {
    const form = webConfForm(await webConfCode(server, jar));
    const authorization = basic(server.webConf.client.clientId, server.webConf.clientSecret);
    const response = await redeem(server, form, { authorization, origin: 'https://app.example.com' });
    await expectTokenError(response, {
      status: 401,
      error: 'invalid_client',
      description: 'Browser requests to the token endpoint must use Proof Key for Code Exchange.',
    });
    // The refusal burned nothing: the same code from the server side (no Origin) is still good.
    await expectTokens(await redeem(server, form, { authorization }));
  });
});
