// `latchkey servers add-scope` (OKTA-COMPAT §2.5): the naming rules table-driven against the service, then
// the command end to end (a real process on a real SQLite file, as test/cli/cli.test.ts runs it).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/deps.ts';
import { KeyRing } from '../../src/oauth/keys/key-ring.ts';
import { addCustomScope, ensureDefaultServer } from '../../src/services/authorization-servers.ts';
import { NotFoundError, ValidationError } from '../../src/services/errors.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { type CliInstallation, cliInstallationWithDefaultServer, cliJson } from '../fixtures/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'latchkey-scopes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('custom scopes: addCustomScope', () => {
  let store: Store;
  const clock = new ManualClock(1_700_000_000);

  before(async () => {
    store = await openStore(`sqlite:${join(dir, 'service.db')}`);
    await ensureDefaultServer({ store, clock, keys: new KeyRing({ store, clock, secret: 'x'.repeat(48) }) });
  });
  after(() => store.close());

  it('adds a published scope with defaults for display name and description', async () => {
    const row = await addCustomScope({ store, clock }, 'default', { name: 'messages:read' });
    assert.deepEqual(row, {
      serverId: 'default',
      name: 'messages:read',
      displayName: 'messages:read',
      description: '',
      metadataPublish: 'ALL_CLIENTS',
      createdAt: 1_700_000_000,
    });
    assert.deepEqual(
      (await store.authorizationServers.listScopes('default')).map((scope) => scope.name),
      ['messages:read'],
    );
  });

  describe('refuses names OKTA-COMPAT §2.5 forbids', () => {
    for (const name of [
      '',
      'has space',
      'quo"te',
      'back\\slash',
      'tab\there',
      'ümlaut',
      'okta',
      '*',
      'okta.users.read',
      'okta:anything',
      'openid',
      'offline_access',
      'groups',
      'device_sso',
      'x'.repeat(1025),
    ]) {
      it(JSON.stringify(name.length > 40 ? `${name.slice(0, 10)}…(${name.length})` : name), async () => {
        await assert.rejects(
          addCustomScope({ store, clock }, 'default', { name }),
          (error) =>
            error instanceof ValidationError && error.code === 'invalid_scope' && error.field === 'name',
        );
      });
    }
  });

  it('accepts names Okta allows that look unusual', async () => {
    for (const name of ['api:write', 'https://api.example.com/read', 'oktaish', 'read!#$%&()']) {
      assert.equal((await addCustomScope({ store, clock }, 'default', { name })).name, name);
    }
  });

  it('refuses a duplicate and an unknown server', async () => {
    await addCustomScope({ store, clock }, 'default', { name: 'dup:scope' });
    await assert.rejects(
      addCustomScope({ store, clock }, 'default', { name: 'dup:scope' }),
      (error) =>
        error instanceof ValidationError && /already has a scope named 'dup:scope'/.test(error.message),
    );
    await assert.rejects(
      addCustomScope({ store, clock }, 'ausNoSuchServer', { name: 'other:scope' }),
      (error) => error instanceof NotFoundError && error.id === 'ausNoSuchServer',
    );
  });
});

describe('latchkey servers add-scope', { concurrency: 3 }, () => {
  let cli: CliInstallation;
  before(async () => {
    cli = await cliInstallationWithDefaultServer();
  });
  after(() => cli.remove());

  it('adds the scope and prints Okta-shaped JSON', async () => {
    const result = await cli.run([
      'servers',
      'add-scope',
      'default',
      '--name',
      'messages:read',
      '--display-name',
      'Read your messages',
      '--description',
      'Lets the app read messages',
      '--json',
    ]);
    const json = cliJson(result);
    assert.equal(typeof json['created'], 'string');
    delete json['created'];
    assert.deepEqual(json, {
      name: 'messages:read',
      displayName: 'Read your messages',
      description: 'Lets the app read messages',
      system: false,
      metadataPublish: 'ALL_CLIENTS',
    });
  });

  it('exits 2 naming the field for a forbidden name', async () => {
    const result = await cli.run(['servers', 'add-scope', 'default', '--name', 'okta.users.read']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Error: name: The scope name 'okta\.users\.read' is reserved by Okta/);
  });

  it('exits 3 for an unknown server', async () => {
    const result = await cli.run(['servers', 'add-scope', 'ausNoSuchServer', '--name', 'a:b']);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /Not found: AuthorizationServer ausNoSuchServer/);
  });
});
