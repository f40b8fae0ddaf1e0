// SECURITY-MATRIX LR-02: whole flows at LOG_LEVEL=trace (code flow with PKCE, refresh, introspect, revoke,
// userinfo, a failed and a good sign-in, the console setup link and sign-in, an admin API call) and not one
// log line holds a code, verifier, token, password, client secret, cookie value or setup token. Every
// line of a request carries its id, which the response echoes as X-Request-Id.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bootstrapAdmin } from '../../src/accounts/bootstrap-admin.ts';
import { adminApi } from '../fixtures/admin-api.ts';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  makePkce,
  redeem,
  responseParams,
  signIn,
} from '../fixtures/browser-flow.ts';
import { ConsoleClient } from '../fixtures/console.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import { clientCredentials, postAsClient, userinfo } from '../fixtures/token-endpoints.ts';

const SETUP_PASSWORD = 'orchid marble lantern 31';
const WRONG_PASSWORD = 'a wrong password 0815 xyz';

interface LogLine {
  reqId?: string;
  msg?: string;
}

describe('LR-02: no secret in any log line of whole flows', () => {
  const lines: string[] = [];
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      env: { LOG_LEVEL: 'trace' },
      logStream: { write: (line) => void lines.push(line) },
    });
  });
  after(() => server.close());

  it('LR-02: code flow with PKCE, refresh, introspect, revoke, userinfo, console and admin API: no secret in the log', async () => {
    const secrets: Record<string, string> = {
      password: TEST_PASSWORD,
      setupPassword: SETUP_PASSWORD,
      wrongPassword: WRONG_PASSWORD,
      clientSecret: server.webConf.clientSecret,
    };
    const jars: CookieJar[] = [];

    // The first admin through the one-time setup link, then a console sign-in.
    const setup = await bootstrapAdmin(server.deps, {});
    assert.equal(setup.kind, 'setup-link');
    const setupToken = new URL(setup.kind === 'setup-link' ? setup.url : '').searchParams.get('token') ?? '';
    secrets['setupToken'] = setupToken;
    const setupClient = new ConsoleClient(server);
    await setupClient.get(`/console/setup?token=${setupToken}`);
    const created = await setupClient.post('/console/setup', {
      token: setupToken,
      name: 'Root Admin',
      email: 'root@example.com',
      password: SETUP_PASSWORD,
      confirm: SETUP_PASSWORD,
    });
    assert.equal(created.response.status, 303);
    const console_ = new ConsoleClient(server);
    assert.equal((await console_.signIn('root@example.com', WRONG_PASSWORD)).response.status, 401);
    assert.equal((await console_.signIn('root@example.com', SETUP_PASSWORD)).response.status, 303);
    assert.equal((await console_.get('/console/apps')).response.status, 200);
    jars.push(setupClient.jar, console_.jar);

    // Admin API with an API token.
    const api = await adminApi(server);
    secrets['apiToken'] = api.token;
    assert.equal((await api.call('GET', '/users')).status, 200);

    // Hosted sign-in: a wrong password, then the code flow with PKCE for the confidential web app.
    const pkce = makePkce();
    secrets['codeVerifier'] = pkce.verifier;
    const params = defaultAuthorizeParams(server, pkce, {
      client_id: server.webConf.client.clientId,
      redirect_uri: 'https://app.example.com/cb',
    });
    const failed = await signIn(server, authorizeUrl(server, params), new CookieJar(), {
      password: WRONG_PASSWORD,
    });
    assert.equal(failed.status, 401);
    const jar = new CookieJar();
    jars.push(jar);
    const signedIn = await signIn(server, authorizeUrl(server, params), jar);
    const code = responseParams(signedIn.headers.get('location')).get('code') ?? '';
    secrets['code'] = code;
    const credentials = clientCredentials(server, 'webConf');
    const issued = await redeem(
      server,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://app.example.com/cb',
        code_verifier: pkce.verifier,
      },
      credentials.headers,
    );
    const tokens = (await issued.json()) as Record<string, string>;
    for (const name of ['access_token', 'refresh_token', 'id_token']) {
      assert.ok(tokens[name], name);
      secrets[name] = tokens[name] ?? '';
    }
    // A refresh, then the other endpoints with the new tokens.
    const refreshed = (await (
      await redeem(
        server,
        { grant_type: 'refresh_token', refresh_token: tokens['refresh_token'] ?? '' },
        credentials.headers,
      )
    ).json()) as Record<string, string>;
    secrets['refreshed_access_token'] = refreshed['access_token'] ?? '';
    secrets['refreshed_refresh_token'] = refreshed['refresh_token'] ?? '';
    secrets['refreshed_id_token'] = refreshed['id_token'] ?? '';
    const info = await userinfo(server, refreshed['access_token']);
    assert.equal(
      info.status,
      200,
      `${info.headers.get('www-authenticate')} ${JSON.stringify(refreshed).slice(0, 300)}`,
    );
    const introspected = await postAsClient(
      server,
      '/v1/introspect',
      { token: refreshed['access_token'] ?? '' },
      { as: 'webConf' },
    );
    assert.equal(introspected.status, 200);
    assert.equal(
      (
        await postAsClient(
          server,
          '/v1/revoke',
          { token: refreshed['refresh_token'] ?? '' },
          { as: 'webConf' },
        )
      ).status,
      200,
    );
    // A wrong client secret is refused (and must not be logged either).
    const wrongSecret = 'wrong-client-secret-0123456789abcdef';
    secrets['wrongSecret'] = wrongSecret;
    const refused = await postAsClient(
      server,
      '/v1/introspect',
      { token: 'x' },
      {
        as: null,
        headers: {
          authorization: `Basic ${Buffer.from(`${server.webConf.client.clientId}:${wrongSecret}`).toString('base64')}`,
        },
      },
    );
    assert.equal(refused.status, 401);

    // Every cookie value handed out (SSO session, console session, CSRF secrets).
    for (const [index, cookieJar] of jars.entries()) {
      for (const pair of cookieJar.header().split('; ')) {
        const value = pair.slice(pair.indexOf('=') + 1);
        if (value.length >= 16) secrets[`cookie ${index}: ${pair.slice(0, pair.indexOf('='))}`] = value;
      }
    }
    assert.ok(
      Object.keys(secrets).some((name) => name.includes('sid') || name.includes('session')),
      Object.keys(secrets).join(),
    );

    assert.ok(lines.length >= 30, `only ${lines.length} lines were logged`);
    const log = lines.join('');
    assert.ok(log.includes(`client_id=${server.webConf.client.clientId}`), 'request URLs are logged');
    assert.ok(log.includes('/console/setup?token=[redacted]'), 'the setup URL is logged, redacted');
    // What a part logs through deps.log: secret fields and credential headers are censored by name.
    server.deps.log.info(
      {
        body: {
          password: secrets['password'],
          client_secret: secrets['clientSecret'],
          refresh_token: secrets['refresh_token'],
        },
        request: {
          headers: { authorization: `Bearer ${secrets['access_token']}`, cookie: `sid=${secrets['code']}` },
        },
      },
      'LR-02 probe',
    );
    const probe = lines.at(-1) ?? '';
    assert.match(probe, /LR-02 probe/);
    assert.equal((probe.match(/\[redacted\]/g) ?? []).length, 5, probe);
    for (const line of lines) {
      for (const [name, secret] of Object.entries(secrets)) {
        assert.ok(secret.length >= 8, name);
        for (const form of new Set([
          secret,
          encodeURIComponent(secret),
          JSON.stringify(secret).slice(1, -1),
        ])) {
          assert.ok(!line.includes(form), `${name} is in the log: ${line.slice(0, 300)}`);
        }
      }
    }
  });

  it('LR-02: every line of a request carries its id, echoed as X-Request-Id; an unsafe incoming id is replaced', async () => {
    const before = lines.length;
    const kept = await fetch(server.url('/v1/keys'), { headers: { 'x-request-id': 'lb-4711.trace_A' } });
    assert.equal(kept.headers.get('x-request-id'), 'lb-4711.trace_A');
    const replaced = await fetch(`${server.baseUrl}/healthz`, {
      headers: { 'x-request-id': `bad id "${'x'.repeat(80)}` },
    });
    const generated = replaced.headers.get('x-request-id') ?? '';
    assert.match(generated, /^[0-9a-f-]{36}$/);
    const logged = lines.slice(before).map((line) => JSON.parse(line) as LogLine);
    const ofKept = logged.filter((line) => line.reqId === 'lb-4711.trace_A');
    assert.deepEqual(
      ofKept.map((line) => line.msg),
      ['incoming request', 'request completed'],
    );
    assert.equal(logged.filter((line) => line.reqId === generated).length, 2);
    assert.ok(!lines.slice(before).join('').includes('bad id'));
    // What a part logs through deps.log while serving a request carries the request's id too.
    const events = server.deps.store.events;
    const append = events.append;
    events.append = async () => {
      throw new Error('the event store is down (test)');
    };
    let failing: Response;
    try {
      failing = await fetch(server.url('/v1/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'lr02-deps-log' },
        body: 'grant_type=password',
      });
    } finally {
      events.append = append;
    }
    assert.equal(failing.status, 401);
    const recordFailure = lines
      .map((line) => JSON.parse(line) as LogLine)
      .find((line) => line.msg === 'could not record a system log event');
    assert.equal(recordFailure?.reqId, 'lr02-deps-log');
    // No line of the flows above is without its request id, apart from start-up lines.
    const withoutId = lines
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.reqId === undefined);
    const unexpected = withoutId
      .map((line) => line.msg)
      .filter((msg) => !/^Server listening|^LR-02 probe$/.test(msg ?? ''));
    assert.deepEqual(unexpected, []);
  });
});
