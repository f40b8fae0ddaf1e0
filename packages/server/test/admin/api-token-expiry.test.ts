// AD-04: an API token may expire and is tied to the admin who made it. After its expiry the admin API
// refuses it with Okta's 401 E0000011, as a revoked token; a token made through the admin API belongs to
// the admin behind the token that made it and never outlives that token; every creation event names the
// creator. The console and the CLI are in test/console/console-api-tokens.test.ts and tokens-cli.test.ts.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser } from '../../src/accounts/users.ts';
import { authenticateApiToken, createApiToken } from '../../src/services/api-tokens.ts';
import { ValidationError } from '../../src/services/errors.ts';
import type { UserRow } from '../../src/storage/store.ts';
import {
  type AdminApi,
  adminApi,
  adminCall,
  assertFieldError,
  assertOktaError,
} from '../fixtures/admin-api.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';

const DAY = 86_400;
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

describe('API token expiry and creator (AD-04)', () => {
  let server: TestServer;
  let owner: UserRow;
  let admin: AdminApi;

  before(async () => {
    server = await startTestServer();
    owner = await createUser(server.deps, {
      email: 'owner@example.com',
      name: 'Token Owner',
      password: TEST_PASSWORD,
      isAdmin: true,
    });
    admin = await adminApi(server, 'owner-token', { createdBy: owner.id });
  });
  after(() => server.close());

  it('AD-04 an expired token is refused with Okta’s invalid-token 401, at the second it expires', async () => {
    const expiring = await adminApi(server, 'one-hour', {
      createdBy: owner.id,
      expiresAt: server.clock.now() + 3600,
    });
    server.clock.advance(3599);
    assert.equal((await expiring.call('GET', '/apps')).status, 200);
    server.clock.advance(1);
    const refused = await expiring.call('GET', '/apps');
    assertOktaError(refused, 401, 'E0000011', 'Invalid token provided');
    assert.match(refused.headers.get('www-authenticate') ?? '', /^SSWS realm=/);
    assert.equal(await authenticateApiToken(server.deps, expiring.token), undefined);
    const shown = await admin.call('GET', `/api-tokens/${expiring.tokenId}`);
    assert.equal(shown.body.status, 'EXPIRED');
    assert.equal(shown.body.expiresAt, iso(server.clock.now()));
    assert.equal(shown.body.createdBy, owner.id);
  });

  it('AD-04 an expiry in the past, now, or beyond ten years is refused, naming expiresAt', async () => {
    const now = server.clock.now();
    for (const expiresAt of [now - 1, now, now + 3651 * DAY]) {
      await assert.rejects(
        createApiToken(server.deps, { name: 'bad', expiresAt }),
        (error: unknown) => error instanceof ValidationError && error.field === 'expiresAt',
      );
    }
    const body = { name: 'past', expiresAt: iso(now - 60) };
    assertFieldError(await admin.call('POST', '/api-tokens', body), 'expiresAt');
    assertOktaError(
      await admin.call('POST', '/api-tokens', { name: 'x', expiresAt: 'tomorrow' }),
      400,
      'E0000001',
    );
  });

  it('AD-04 POST /api-tokens: shown once, owned by the admin behind the calling token, logged with the creator', async () => {
    const expiresAt = server.clock.now() + 30 * DAY;
    const created = await admin.call('POST', '/api-tokens', { name: 'deploy', expiresAt: iso(expiresAt) });
    assert.equal(created.status, 200, created.text);
    assert.match(created.body.token, /^lk_[A-Za-z0-9]{40}$/);
    assert.equal(created.body.expiresAt, iso(expiresAt));
    assert.equal(created.body.createdBy, owner.id);
    assert.equal(created.body.status, 'ACTIVE');
    assert.equal(
      (await adminCall(server, 'GET', '/apps', undefined, { auth: `SSWS ${created.body.token}` })).status,
      200,
    );
    const shown = await admin.call('GET', `/api-tokens/${created.body.id}`);
    assert.equal(shown.body.token, undefined, 'never shown again');

    const [event] = await server.deps.store.events.list({ limit: 1 });
    assert.equal(event?.type, 'system.api_token.create');
    assert.equal(event?.actor, admin.tokenId);
    assert.ok(event?.reason.includes(`for owner@example.com (${owner.id})`), event?.reason);
    assert.ok(event?.reason.includes(`it expires at ${iso(expiresAt)}`), event?.reason);
    assert.ok(!JSON.stringify(event).includes(created.body.token));
  });

  it('AD-04 a token made with an expiring token cannot outlive it, and inherits its expiry by default', async () => {
    const parentExpiry = server.clock.now() + DAY;
    const parent = await adminApi(server, 'parent', { createdBy: owner.id, expiresAt: parentExpiry });
    const longer = await parent.call('POST', '/api-tokens', {
      name: 'child',
      expiresAt: iso(parentExpiry + 1),
    });
    assert.match(assertFieldError(longer, 'expiresAt'), /cannot outlive it/);
    const forever = await parent.call('POST', '/api-tokens', { name: 'child', expiresAt: null });
    assert.equal(forever.status, 200, forever.text);
    assert.equal(forever.body.expiresAt, iso(parentExpiry));
    const omitted = await parent.call('POST', '/api-tokens', { name: 'child 2' });
    assert.equal(omitted.body.expiresAt, iso(parentExpiry));
    const shorter = await parent.call('POST', '/api-tokens', {
      name: 'child 3',
      expiresAt: iso(parentExpiry - 60),
    });
    assert.equal(shorter.body.expiresAt, iso(parentExpiry - 60));
  });

  it('AD-04 a token without an expiry never expires and lists expiresAt null', async () => {
    const listed = await admin.call('GET', '/api-tokens');
    const mine = listed.body.find((token: { id: string }) => token.id === admin.tokenId);
    assert.equal(mine.expiresAt, null);
    server.clock.advance(3650 * DAY);
    assert.equal((await admin.call('GET', '/apps')).status, 200);
  });
});
