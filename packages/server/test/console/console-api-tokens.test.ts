// AD-04 in the console: the API tokens page lists every token with its creator, expiry and status; a new
// token needs the admin's password, is shown once, records the admin as creator and its expiry, and its
// creation is in the system log naming the admin; revoking it stops it at once (AD-01, AD-03).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApiToken } from '../../src/services/api-tokens.ts';
import type { UserRow } from '../../src/storage/store.ts';
import { adminCall, assertOktaError } from '../fixtures/admin-api.ts';
import { ADMIN_PASSWORD, type ConsoleClient, fieldError, signedInConsole } from '../fixtures/console.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const DAY = 86_400;
const utc = (seconds: number): string =>
  `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

describe('console API tokens (AD-04)', () => {
  let server: TestServer;
  let console: ConsoleClient;
  let admin: UserRow;
  before(async () => {
    server = await startTestServer();
    ({ client: console, admin } = await signedInConsole(server));
  });
  after(() => server.close());

  it('AD-04 lists tokens with creator, expiry and status, never the token', async () => {
    const cli = await createApiToken(server.deps, { name: 'from-cli', createdBy: 'cli:ops' });
    const expiring = await createApiToken(server.deps, {
      name: 'soon-gone',
      createdBy: admin.id,
      expiresAt: server.clock.now() + 60,
    });
    server.clock.advance(61);
    const { response, html } = await console.get('/console/tokens');
    assert.equal(response.status, 200);
    assert.match(html, /aria-current="page"[^>]*>[\s\S]*?API tokens/);
    const rowOf = (id: string) =>
      new RegExp(`<tr>(?:(?!</tr>).)*${id}(?:(?!</tr>).)*</tr>`, 's').exec(html)?.[0] ?? '';
    assert.match(rowOf(cli.row.id), /latchkey CLI \(ops\)/);
    assert.match(rowOf(cli.row.id), /Never/);
    assert.match(rowOf(cli.row.id), /Active/);
    assert.ok(rowOf(expiring.row.id).includes(admin.login), 'the admin is named as creator');
    assert.match(rowOf(expiring.row.id), /Expired/);
    assert.ok(rowOf(expiring.row.id).includes(utc(expiring.row.expiresAt ?? 0)));
    assert.ok(!html.includes(cli.token) && !html.includes(cli.row.tokenHash));
  });

  it('AD-04 creating a token needs the password and a valid expiry', async () => {
    await console.get('/console/tokens');
    const before = (await server.deps.store.apiTokens.list()).length;
    const wrong = await console.post('/console/tokens', { name: 'ci', expires_in: '30', password: 'nope' });
    assert.equal(wrong.response.status, 400);
    assert.match(fieldError(wrong.html, 'token-password') ?? '', /not correct/);
    for (const days of ['0', '3651', 'soon', '1.5']) {
      const bad = await console.post('/console/tokens', {
        name: 'ci',
        expires_in: days,
        password: ADMIN_PASSWORD,
      });
      assert.equal(bad.response.status, 400, days);
      assert.match(fieldError(bad.html, 'token-expires-in') ?? '', /whole number from 1 to 3650/, days);
    }
    const blank = await console.post('/console/tokens', { name: ' ', password: ADMIN_PASSWORD });
    assert.match(fieldError(blank.html, 'token-name') ?? '', /1-100 characters/);
    assert.equal((await server.deps.store.apiTokens.list()).length, before, 'nothing was created');
  });

  it('AD-04 a new token is shown once, belongs to the admin, expires as asked and is logged with the admin', async () => {
    await console.get('/console/tokens');
    const now = server.clock.now();
    const { response } = await console.post('/console/tokens', {
      name: 'terraform',
      expires_in: '30',
      password: ADMIN_PASSWORD,
    });
    // Issue 12, Post/Redirect/Get: the token is on the page the post redirects to, once.
    assert.equal(response.status, 303);
    assert.match(response.headers.get('location') ?? '', /^\/console\/tokens\?created=\w+$/);
    const { html } = await console.get(response.headers.get('location') ?? '');
    const token =
      /<input id="new-token" type="text" value="(lk_[A-Za-z0-9]{40})" readonly/.exec(html)?.[1] ?? '';
    assert.ok(token !== '', 'the token is shown');
    assert.match(html, /shown only this once/);
    const row = (await server.deps.store.apiTokens.list()).find(
      (candidate) => candidate.name === 'terraform',
    );
    assert.equal(row?.createdBy, admin.id);
    assert.equal(row?.expiresAt, now + 30 * DAY);
    assert.equal((await adminCall(server, 'GET', '/apps', undefined, { auth: `SSWS ${token}` })).status, 200);
    assert.ok(!(await console.get('/console/tokens')).html.includes(token), 'shown only once');
    assert.ok(
      !(await console.get(response.headers.get('location') ?? '')).html.includes(token),
      'a reload of the page after the post does not show it again',
    );

    const [event] = await server.deps.store.events.list({ limit: 1 });
    assert.equal(event?.type, 'system.api_token.create');
    assert.equal(event?.actor, admin.login);
    assert.ok(
      event?.reason.includes(`${admin.login} (${admin.id}) created API token "terraform"`),
      event?.reason,
    );
    assert.ok(event?.reason.includes(`it expires at ${new Date((now + 30 * DAY) * 1000).toISOString()}`));
    assert.ok(!JSON.stringify(event).includes(token));

    const revoked = await console.post(`/console/tokens/${row?.id}/revoke`);
    assert.equal(revoked.response.status, 303);
    assertOktaError(
      await adminCall(server, 'GET', '/apps', undefined, { auth: `SSWS ${token}` }),
      401,
      'E0000011',
    );
    const [revocation] = await server.deps.store.events.list({ limit: 1 });
    assert.equal(revocation?.type, 'system.api_token.revoke');
    assert.equal(revocation?.actor, admin.login);
  });
});
