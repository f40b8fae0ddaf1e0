// `latchkey tokens create | list | revoke`, run as scripts run it: the token is printed once, works as
// `SSWS <token>` against a server on the same database, is listed without itself or its hash, and stops
// working once revoked. Creation and revocation are in the system log with the CLI user as actor.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sha256Hex } from '../../src/oauth/random.ts';
import { adminCall, assertOktaError } from '../fixtures/admin-api.ts';
import { type CliInstallation, cliInstallation, cliJson } from '../fixtures/cli.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

describe('latchkey tokens', () => {
  let installation: CliInstallation | undefined;
  let server: TestServer | undefined;
  after(async () => {
    await server?.close();
    installation?.remove();
  });

  it('creates a token shown once, lists it without the secret, and revokes it', async () => {
    installation = await cliInstallation();
    const { run, env } = installation;
    server = await startTestServer({
      databaseUrl: installation.databaseUrl,
      ...(env['LATCHKEY_SECRET'] === undefined ? {} : { secret: env['LATCHKEY_SECRET'] }),
    });

    // Each spawn costs a second or more, so independent commands run side by side.
    const [json, text, expiring, badExpiry] = await Promise.all([
      run(['tokens', 'create', '--name', 'terraform', '--json']),
      run(['tokens', 'create', '--name', 'human']),
      run(['tokens', 'create', '--name', 'ci', '--expires-in', '30', '--json']),
      run(['tokens', 'create', '--name', 'bad', '--expires-in', '0']),
    ]);
    // AD-04: --expires-in gives an expiry in days; a bad value is refused naming the option.
    const ci = cliJson(expiring);
    const ciRow = await server.deps.store.apiTokens.get(ci['id'] as string);
    assert.equal(ciRow?.expiresAt !== null && ciRow?.expiresAt !== undefined, true);
    const days = ((ciRow?.expiresAt ?? 0) - (ciRow?.createdAt ?? 0)) / 86_400;
    assert.equal(days, 30);
    assert.equal(ci['expiresAt'], new Date((ciRow?.expiresAt ?? 0) * 1000).toISOString());
    assert.match(String(ci['createdBy']), /^cli(:|$)/);
    assert.equal(badExpiry.code, 2, badExpiry.stderr);
    assert.match(
      badExpiry.stderr,
      /--expires-in: "0" is not a number of days; use a whole number from 1 to 3650/,
    );

    const created = cliJson(json);
    const token = created['token'] as string;
    const id = created['id'] as string;
    assert.match(token, /^lk_[A-Za-z0-9]{40}$/);
    assert.match(id, /^00T[A-Za-z0-9]{17}$/);
    assert.equal(created['status'], 'ACTIVE');
    assert.equal(created['expiresAt'], null, 'no --expires-in: never expires');
    assert.equal((await server.deps.store.apiTokens.get(id))?.tokenHash, sha256Hex(token));
    assert.equal((await adminCall(server, 'GET', '/apps', undefined, { auth: `SSWS ${token}` })).status, 200);

    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Token:\s+lk_[A-Za-z0-9]{40}/);
    assert.match(text.stderr, /shown only this once/);

    const listing = await run(['tokens', 'list', '--json']);
    const listed = cliJson<Record<string, unknown>[]>(listing);
    assert.deepEqual(listed.map((row) => row['name']).sort(), ['ci', 'human', 'terraform']);
    assert.match(listing.stdout, /"expiresAt": "\d{4}-/);
    assert.ok(
      !listing.stdout.includes(token) && !listing.stdout.includes(sha256Hex(token)),
      'no token, no hash',
    );

    const [revoked, unknown] = await Promise.all([
      run(['tokens', 'revoke', id]),
      run(['tokens', 'revoke', '00Tunknown']),
    ]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(unknown.code, 3, 'not found');
    assertOktaError(
      await adminCall(server, 'GET', '/apps', undefined, { auth: `SSWS ${token}` }),
      401,
      'E0000011',
    );

    const events = await server.deps.store.events.list({ limit: 10 });
    const types = events.map((event) => event.type).sort();
    assert.deepEqual(types, [
      'system.api_token.create',
      'system.api_token.create',
      'system.api_token.create',
      'system.api_token.revoke',
    ]);
    for (const event of events) assert.match(event.actor ?? '', /^cli(:|$)/);
    // AD-04: the creation event names the creator and the expiry.
    const ciEvent = events.find((event) => event.reason.includes(ci['id'] as string));
    assert.match(ciEvent?.reason ?? '', /created with the latchkey CLI by cli(:\S+)?; it expires at \d{4}-/);
    assert.ok(!JSON.stringify(events).includes(token), 'the log never holds the token');
  });
});
