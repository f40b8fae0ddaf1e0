import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bootstrapAdmin } from '../../src/accounts/bootstrap-admin.ts';
import { REDACTED, redactUrl } from '../../src/http/log-redaction.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

describe('LR-01: secrets in request URLs never reach the log', () => {
  const lines: string[] = [];
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      env: { LOG_LEVEL: 'trace' },
      logStream: { write: (line) => void lines.push(line) },
    });
  });
  after(() => server.close());

  it('LR-01: redactUrl replaces secret values and keeps everything else byte for byte', () => {
    const cases: [string, string][] = [
      ['/cb', '/cb'],
      ['/cb?state=a%20b&login_hint=x', '/cb?state=a%20b&login_hint=x'],
      ['/t?code=abc&code_verifier=def&x=1', `/t?code=${REDACTED}&code_verifier=${REDACTED}&x=1`],
      ['/t?Code=abc&co%64e=def&CODE', `/t?Code=${REDACTED}&co%64e=${REDACTED}&CODE=${REDACTED}`],
      ['/s?token=abc&token=def', `/s?token=${REDACTED}&token=${REDACTED}`],
      ['/a?id_token_hint=h.e.s&state=keep', `/a?id_token_hint=${REDACTED}&state=keep`],
      [
        '/r?client_secret=s&refresh_token=r&access_token=a',
        `/r?client_secret=${REDACTED}&refresh_token=${REDACTED}&access_token=${REDACTED}`,
      ],
      ['/x?codex=1&a=%zz', '/x?codex=1&a=%zz'],
    ];
    for (const [url, expected] of cases) assert.equal(redactUrl(url), expected, url);
  });

  it('LR-01: at LOG_LEVEL=trace the logged URLs of authorize, token, userinfo, revoke and console setup carry no secret', async () => {
    const secrets = {
      hint: 'eyJhbGciOiJSUzI1NiJ9.SECRET-HINT.sig',
      code: 'SECRET-CODE-0123456789',
      verifier: 'SECRET-VERIFIER-0123456789012345678901234567',
      refresh: 'SECRET-REFRESH-0123456789',
      access: 'SECRET-ACCESS-0123456789',
      clientSecret: 'SECRET-CLIENT-0123456789',
      revoke: 'SECRET-REVOKE-0123456789',
    };
    const setup = await bootstrapAdmin(server.deps, {});
    assert.equal(setup.kind, 'setup-link');
    const setupUrl = new URL(setup.kind === 'setup-link' ? setup.url : '');
    const setupToken = setupUrl.searchParams.get('token') ?? '';
    assert.ok(setupToken.length > 20);

    const query = new URLSearchParams({
      client_id: server.nativePub.client.clientId,
      redirect_uri: 'com.example.app:/oauth2redirect',
      response_type: 'code',
      scope: 'openid',
      state: 'keep-this-state',
      login_hint: 'keep-this-hint',
      id_token_hint: secrets.hint,
    });
    const requests: [string, RequestInit?][] = [
      [server.url(`/v1/authorize?${query}`)],
      [server.url(`/v1/token?code=${secrets.code}&code_verifier=${secrets.verifier}`), { method: 'POST' }],
      [
        server.url(`/v1/token?refresh_token=${secrets.refresh}&client_secret=${secrets.clientSecret}`),
        { method: 'POST' },
      ],
      [server.url(`/v1/userinfo?access_token=${secrets.access}`)],
      [server.url(`/v1/revoke?token=${secrets.revoke}`), { method: 'POST' }],
      [`${server.baseUrl}${setupUrl.pathname}${setupUrl.search}`],
    ];
    for (const [url, init] of requests)
      await (await fetch(url, { redirect: 'manual', ...init })).arrayBuffer();

    const log = lines.join('');
    for (const [name, secret] of Object.entries({ ...secrets, setupToken })) {
      assert.ok(!log.includes(secret), `${name} is in the log`);
      assert.ok(!log.includes(encodeURIComponent(secret)), `${name} (encoded) is in the log`);
    }
    assert.ok(log.includes(REDACTED));
    assert.ok(log.includes(`token=${REDACTED}`), 'the setup URL is logged, redacted');
    assert.ok(log.includes('state=keep-this-state'), 'state is kept');
    assert.ok(log.includes('login_hint=keep-this-hint'), 'login_hint is kept');
    assert.ok(log.includes('"incoming request"'), 'request lines were logged at all');
  });
});
