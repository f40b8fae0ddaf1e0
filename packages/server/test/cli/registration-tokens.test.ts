// DR-11: `latchkey tokens create --registration` makes an initial access token for dynamic client
// registration: printed once, stored hashed, accepted by POST /oauth2/v1/clients, refused once revoked.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sha256Hex } from '../../src/oauth/random.ts';
import { type CliInstallation, cliInstallation, cliJson } from '../fixtures/cli.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

describe('latchkey tokens create --registration', () => {
  let installation: CliInstallation | undefined;
  let server: TestServer | undefined;
  after(async () => {
    await server?.close();
    installation?.remove();
  });

  it('DR-11 makes an initial access token that registers a web app, and revokes it', async () => {
    installation = await cliInstallation();
    const { run, env } = installation;
    server = await startTestServer({
      databaseUrl: installation.databaseUrl,
      env: { LATCHKEY_CLIENT_REGISTRATION: 'token' },
      ...(env['LATCHKEY_SECRET'] === undefined ? {} : { secret: env['LATCHKEY_SECRET'] }),
    });
    const created = await run(['tokens', 'create', '--registration', '--name', 'partner', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const { id, token } = cliJson(created) as { id: string; token: string };
    assert.match(token, /^lkr_[A-Za-z0-9]{40}$/);
    const row = await server.deps.store.registrationTokens.getByHash(sha256Hex(token));
    assert.equal(row?.id, id);
    assert.match(String(row?.createdBy), /^cli/);
    const register = () =>
      fetch(`${server?.baseUrl}/oauth2/v1/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ client_name: 'Partner', redirect_uris: ['https://partner.example/cb'] }),
      });
    const registered = await register();
    assert.equal(registered.status, 201);
    assert.equal(((await registered.json()) as Record<string, unknown>)['application_type'], 'web');
    const revoked = await run(['tokens', 'revoke', id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /Revoked initial access token/);
    assert.equal((await register()).status, 401);
  });
});
