// /api/v1/logs and SECURITY-MATRIX AD-03: after a run that signs in (right and wrong password), issues,
// refreshes, reuses and revokes tokens and makes admin changes, the system log has an entry for each, with
// time, actor, client and IP, and the whole log holds none of the passwords, codes, tokens, secrets or
// verifiers that the run used.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AdminApi, adminApi, assertFieldError, oidcApp } from '../fixtures/admin-api.ts';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  makePkce,
  obtainCode,
  redeem,
  signIn,
} from '../fixtures/browser-flow.ts';
import { refresh } from '../fixtures/refresh-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import { expectTokens } from '../fixtures/token-assertions.ts';
import { postAsClient } from '../fixtures/token-endpoints.ts';

interface LogEvent {
  uuid: string;
  published: string;
  eventType: string;
  actor: { id: string; type: string } | null;
  client: { id: string | null; ipAddress: string | null };
  outcome: { result: string; reason: string };
  target: { id: string; type: string }[];
}

const WRONG_PASSWORD = 'not-the-password-Zq81';
const NEW_USER_PASSWORD = 'a brand new passphrase 42';

describe('system log (AD-03)', () => {
  let server: TestServer;
  let admin: AdminApi;
  let events: LogEvent[];
  let logText: string;
  const secrets: Record<string, string> = {};

  /** Every page of GET /api/v1/logs, following the `next` links. */
  async function allEvents(query = 'limit=7'): Promise<{ events: LogEvent[]; text: string }> {
    const collected: LogEvent[] = [];
    let text = '';
    let path: string | undefined = `/logs?${query}`;
    while (path !== undefined) {
      const response = await admin.call('GET', path);
      assert.equal(response.status, 200, response.text);
      collected.push(...response.body);
      text += response.text;
      const next: string | undefined = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      path = next === undefined ? undefined : `/logs?${new URL(next).searchParams}`;
    }
    return { events: collected, text };
  }

  before(async () => {
    server = await startTestServer();
    admin = await adminApi(server);
    secrets['api token'] = admin.token;
    secrets['password'] = TEST_PASSWORD;
    secrets['wrong password'] = WRONG_PASSWORD;
    secrets['new user password'] = NEW_USER_PASSWORD;

    // A failed and a successful sign-in, a code, its redemption (token issuance) with a PKCE verifier.
    const failed = await signIn(
      server,
      authorizeUrl(server, defaultAuthorizeParams(server, makePkce())),
      new CookieJar(),
      {
        password: WRONG_PASSWORD,
      },
    );
    assert.equal(failed.status, 401);
    const { code, pkce, redirectUri } = await obtainCode(server);
    secrets['code'] = code;
    secrets['verifier'] = pkce.verifier;
    const client_id = server.nativePub.client.clientId;
    const tokens = await expectTokens(
      await redeem(server, {
        grant_type: 'authorization_code',
        client_id,
        redirect_uri: redirectUri,
        code,
        code_verifier: pkce.verifier,
      }),
    );
    secrets['access token'] = tokens.access_token;
    secrets['id token'] = tokens.id_token ?? '';
    secrets['refresh token'] = tokens.refresh_token ?? '';
    // Rotation, then reuse of the old refresh token after the grace period: reuse detection.
    const rotated = await expectTokens(await refresh(server, 'nativePub', tokens.refresh_token ?? ''));
    secrets['rotated refresh token'] = rotated.refresh_token ?? '';
    server.clock.advance(31);
    assert.equal((await refresh(server, 'nativePub', tokens.refresh_token ?? '')).status, 400);
    // Revocation.
    const revoked = await postAsClient(server, '/v1/revoke', { token: rotated.access_token });
    assert.equal(revoked.status, 200);
    secrets['revoked access token'] = rotated.access_token;
    // Admin changes: a web app (with its secret), a user with a password, a rotated secret.
    const app = await admin.call('POST', '/apps', oidcApp('web'));
    secrets['client secret'] = app.body.credentials.oauthClient.client_secret;
    const rotatedSecret = await admin.call('POST', `/apps/${app.body.id}/lifecycle/newSecret`);
    secrets['rotated client secret'] = rotatedSecret.body.client_secret;
    const user = await admin.call('POST', '/users', {
      profile: { email: 'logged@example.com', firstName: 'Log' },
      credentials: { password: { value: NEW_USER_PASSWORD } },
    });
    assert.equal(user.status, 200, user.text);
    secrets['web conf secret'] = server.webConf.clientSecret;

    ({ events, text: logText } = await allEvents());
  });
  after(async () => server.close());

  const ofType = (type: string, result?: string): LogEvent[] =>
    events.filter(
      (event) => event.eventType === type && (result === undefined || event.outcome.result === result),
    );

  const expected: [what: string, type: string, result: string][] = [
    ['sign-in success', 'user.authentication.sso', 'SUCCESS'],
    ['sign-in failure', 'user.authentication.sso', 'FAILURE'],
    ['code issued', 'app.oauth2.authorize', 'SUCCESS'],
    ['token issuance', 'app.oauth2.token.grant', 'SUCCESS'],
    ['reuse detection', 'app.oauth2.as.token.detect_reuse', 'FAILURE'],
    ['revocation', 'app.oauth2.as.token.revoke', 'SUCCESS'],
    ['admin: app created', 'application.lifecycle.create', 'SUCCESS'],
    ['admin: secret rotated', 'application.client_secret.rotate', 'SUCCESS'],
    ['admin: user created', 'user.lifecycle.create', 'SUCCESS'],
  ];
  for (const [what, type, result] of expected) {
    it(`AD-03 ${what}: a ${type} ${result} entry with time, actor, client and IP`, () => {
      const [event] = ofType(type, result);
      assert.ok(event, `${type} ${result} in ${events.map((e) => e.eventType).join(', ')}`);
      assert.ok(Math.abs(Date.parse(event.published) / 1000 - server.clock.now()) < 120, event.published);
      assert.equal(event.client.ipAddress, '127.0.0.1');
      assert.ok(event.actor?.id, 'an actor');
      assert.ok(event.outcome.reason.length > 10, 'a reason in plain words');
      if (type.startsWith('app.oauth2')) assert.equal(event.client.id, server.nativePub.client.clientId);
      if (!type.startsWith('app.oauth2') && !type.startsWith('user.authentication')) {
        assert.deepEqual(event.actor, {
          id: admin.tokenId,
          type: 'ApiToken',
          alternateId: null,
          displayName: null,
        });
      }
    });
  }

  describe('AD-03 no secret in the log', () => {
    for (const name of [
      'password',
      'wrong password',
      'new user password',
      'code',
      'verifier',
      'access token',
      'id token',
      'refresh token',
      'rotated refresh token',
      'revoked access token',
      'client secret',
      'rotated client secret',
      'web conf secret',
      'api token',
    ]) {
      it(`AD-03 never contains the ${name}`, async () => {
        const secret = secrets[name] ?? '';
        assert.ok(secret.length >= 8, `the run used a ${name}`);
        assert.ok(!logText.includes(secret), `${name} found in GET /api/v1/logs`);
        const stored = JSON.stringify(await server.deps.store.events.list({ limit: 1000 }));
        assert.ok(!stored.includes(secret), `${name} found in the events table`);
      });
    }
  });

  it('pages newest first without gaps or repeats', async () => {
    const whole = await admin.call('GET', '/logs?limit=1000');
    assert.deepEqual(
      events.map((event) => event.uuid),
      whole.body.map((event: LogEvent) => event.uuid),
    );
    assert.ok(events.length > 10, `${events.length} events`);
    const times = events.map((event) => Date.parse(event.published));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
  });

  it('filters by outcome, app and user, and by time', async () => {
    const failures = (
      await admin.call('GET', `/logs?filter=${encodeURIComponent('outcome.result eq "FAILURE"')}`)
    ).body as LogEvent[];
    assert.ok(
      failures.length >= 2 && failures.every((event) => event.outcome.result === 'FAILURE'),
      'failures only',
    );
    const appId = server.nativePub.client.clientId;
    const byApp = (
      await admin.call(
        'GET',
        `/logs?filter=${encodeURIComponent(`client.id eq "${appId}" and outcome.result eq "SUCCESS"`)}`,
      )
    ).body as LogEvent[];
    assert.ok(
      byApp.length >= 3 &&
        byApp.every((event) => event.client.id === appId && event.outcome.result === 'SUCCESS'),
      'successes of the app only',
    );
    const byUser = (
      await admin.call('GET', `/logs?filter=${encodeURIComponent(`target.id eq "${server.user.id}"`)}`)
    ).body as LogEvent[];
    assert.ok(
      byUser.length >= 2 &&
        byUser.every((event) => event.target.some((target) => target.id === server.user.id)),
      'events of the user only',
    );
    const byTargetApp = (
      await admin.call('GET', `/logs?filter=${encodeURIComponent(`target.id eq "${appId}"`)}`)
    ).body;
    assert.equal(byTargetApp.length, events.filter((event) => event.client.id === appId).length);
    const latest = Date.parse(events[0]?.published ?? '');
    const since = new Date(latest).toISOString();
    const recent = (await admin.call('GET', `/logs?since=${since}`)).body as LogEvent[];
    assert.ok(
      recent.length > 0 && recent.every((event) => Date.parse(event.published) >= latest),
      'events since only',
    );
    const older = (await admin.call('GET', `/logs?until=${since}`)).body as LogEvent[];
    assert.equal(recent.length + older.length, events.length);
  });

  it('refuses a filter or sort order it does not support, naming the parameter', async () => {
    assertFieldError(
      await admin.call('GET', `/logs?filter=${encodeURIComponent('eventType eq "x"')}`),
      'filter',
    );
    assertFieldError(
      await admin.call('GET', `/logs?filter=${encodeURIComponent('outcome.result eq "MAYBE"')}`),
      'filter',
    );
    assertFieldError(await admin.call('GET', '/logs?sortOrder=ASCENDING'), 'sortOrder');
    assertFieldError(await admin.call('GET', '/logs?since=yesterday'), 'since');
    assertFieldError(await admin.call('GET', '/logs?limit=1001'), 'limit');
  });
});
