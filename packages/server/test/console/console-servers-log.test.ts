// Authorization servers and the system log in the console (issue 5; AD-03): lifetimes with their bounds
// shown next to the field, custom scopes and claims, keys with their state; the log newest first, filtered
// by app, user, outcome and time, paged with `before`, each failure with its reason.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordEvent } from '../../src/audit.ts';
import { authorizeUrl, defaultAuthorizeParams, get, makePkce } from '../fixtures/browser-flow.ts';
import { type ConsoleClient, fieldError, signedInConsole } from '../fixtures/console.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

describe('console authorization servers and system log', () => {
  let server: TestServer;
  let console: ConsoleClient;
  before(async () => {
    server = await startTestServer();
    ({ client: console } = await signedInConsole(server));
  });
  after(async () => server.close());

  const SETTINGS = {
    name: 'default',
    audience: 'api://default',
    description: 'Default Authorization Server',
    codeLifetimeSeconds: '60',
    accessTokenLifetimeSeconds: '3600',
    idTokenLifetimeSeconds: '3600',
    refreshTokenIdleSeconds: '604800',
    refreshTokenAbsoluteSeconds: '0',
  };

  it('shows the issuer and changes the audience and lifetimes', async () => {
    const page = await console.get('/console/servers/default');
    assert.match(page.html, /value="https:\/\/idp\.test\/oauth2\/default"/);
    const saved = await console.post('/console/servers/default', {
      ...SETTINGS,
      audience: 'api://orders',
      codeLifetimeSeconds: '120',
      accessTokenLifetimeSeconds: '900',
    });
    assert.equal(saved.response.headers.get('location'), '/console/servers/default?done=server-saved');
    const row = await server.deps.store.authorizationServers.get('default');
    assert.deepEqual(
      [row?.audience, row?.codeLifetimeSeconds, row?.accessTokenLifetimeSeconds],
      ['api://orders', 120, 900],
    );
  });

  describe('refused settings are shown next to their field', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['codeLifetimeSeconds', '601', /10-600 seconds/],
      ['accessTokenLifetimeSeconds', '60', /300-86400 seconds/],
      ['audience', 'api://with space', /without spaces/],
      ['idTokenLifetimeSeconds', 'an hour', /whole number of seconds/],
    ];
    for (const [field, value, expected] of cases) {
      it(`${field} = ${value}`, async () => {
        const { response, html } = await console.post('/console/servers/default', {
          ...SETTINGS,
          [field]: value,
        });
        assert.equal(response.status, 400);
        assert.match(fieldError(html, field) ?? '', expected);
      });
    }
  });

  it('adds a custom scope and a claim; lists keys with their state', async () => {
    const scope = await console.post('/console/servers/default/scopes', {
      name: 'orders:read',
      displayName: 'Read orders',
    });
    assert.equal(scope.response.status, 303);
    const scopes = await console.get('/console/servers/default/scopes');
    assert.match(scopes.html, /<code>orders:read<\/code>/);
    const reserved = await console.post('/console/servers/default/scopes', { name: 'openid' });
    assert.match(fieldError(reserved.html, 'scope-name') ?? '', /reserved scope/);

    const claim = await console.post('/console/servers/default/claims', {
      name: 'department',
      claimType: 'RESOURCE',
      value: '"engineering"',
      scopes: 'orders:read',
    });
    assert.equal(claim.response.status, 303);
    const [row] = await server.deps.store.claims.listForServer('default');
    assert.deepEqual([row?.name, row?.value, row?.scopes], ['department', '"engineering"', ['orders:read']]);
    const badClaim = await console.post('/console/servers/default/claims', {
      name: 'sub',
      claimType: 'RESOURCE',
      value: 'user.email',
    });
    assert.match(fieldError(badClaim.html, 'claim-name') ?? '', /reserved claim name/);

    const keys = await console.get('/console/servers/default/keys');
    const [key] = await server.deps.store.signingKeys.listForServer('default');
    assert.match(keys.html, new RegExp(`<code class="small">${key?.kid}</code>`));
    assert.match(keys.html, /badge-success">Active</);
    assert.match(keys.html, /href="\/console\/servers\/default\/keys\/rotate"/);
  });

  it('AD-03 the log: newest first, both outcomes, the failure with its reason', async () => {
    server.clock.advance(1);
    const wrong = 'http://127.0.0.1:5000/cb';
    await get(authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), { redirect_uri: wrong })));
    const { html } = await console.get(`/console/log?app=${server.nativePub.client.clientId}`);
    const entries = [...html.matchAll(/<li class="log-entry( failure)?">([\s\S]*?)<\/li>/g)];
    assert.ok(entries.length > 0);
    const first = entries[0]!;
    assert.equal(first[1], ' failure', 'the newest entry is the failure');
    assert.match(first[2] ?? '', /Authorization request refused/);
    assert.match(
      first[2] ?? '',
      new RegExp(
        `redirect_uri ${wrong} is not registered for Native Pub; registered: com\\.example\\.app:/oauth2redirect`,
      ),
    );
  });

  it('AD-03 filters by app, user, outcome and time, and pages with before', async () => {
    const base = server.clock.now() + 100;
    server.clock.advance(100);
    for (let i = 0; i < 55; i += 1) {
      server.clock.advance(1);
      await recordEvent(server.deps, {
        type: 'user.authentication.sso',
        outcome: i % 2 === 0 ? 'SUCCESS' : 'FAILURE',
        clientId: server.spaPub.client.clientId,
        userId: server.user.id,
        reason: `event number ${i}`,
      });
    }
    const count = (html: string) => [...html.matchAll(/<li class="log-entry/g)].length;
    const page1 = await console.get(
      `/console/log?app=${server.spaPub.client.clientId}&user=alice@example.com`,
    );
    assert.equal(count(page1.html), 50);
    assert.match(page1.html, /event number 54/);
    const older = /href="(\/console\/log\?[^"]*before=[^"]+)"/.exec(page1.html)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(older, 'an Older link');
    const page2 = await console.get(older);
    assert.equal(count(page2.html), 5);
    assert.match(page2.html, /event number 0</);

    const failures = await console.get(`/console/log?app=${server.spaPub.client.clientId}&outcome=FAILURE`);
    assert.equal(count(failures.html), 27);
    assert.doesNotMatch(failures.html, /badge-success">Success/);

    const iso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19);
    const window = await console.get(
      `/console/log?app=${server.spaPub.client.clientId}&since=${iso(base + 10)}&until=${iso(base + 20)}`,
    );
    assert.equal(count(window.html), 10, 'since inclusive, until exclusive');

    const unknown = await console.get('/console/log?user=nobody@example.com');
    assert.match(unknown.html, /No user has the login or ID &quot;nobody@example\.com&quot;\./);
    assert.equal(count(unknown.html), 0);
  });
});
