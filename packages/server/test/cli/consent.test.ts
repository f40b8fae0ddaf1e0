// `latchkey users revoke-consent`: a remembered consent is reused until revoked (issue 3).

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openStore } from '../../src/storage/open-store.ts';
import { type CliInstallation, cliInstallation, cliJson } from '../fixtures/cli.ts';

describe('latchkey users revoke-consent', () => {
  let installation: CliInstallation;
  after(() => installation?.remove());

  it('forgets the consent so the app asks again, and says when there was none', async () => {
    installation = await cliInstallation();
    const user = cliJson(
      await installation.run(['users', 'create', '--email', 'c@example.com', '--name', 'C', '--json']),
    );
    const store = await openStore(installation.databaseUrl);
    await store.consents.put({
      userId: user['id'] as string,
      clientId: '0oaApp',
      serverId: 'default',
      scopes: ['openid'],
      createdAt: 1,
      updatedAt: 1,
    });
    await store.close();
    const revoked = cliJson(
      await installation.run(['users', 'revoke-consent', 'c@example.com', '--app', '0oaApp', '--json']),
    );
    assert.equal(revoked['revoked'], true);
    const again = await installation.run(['users', 'revoke-consent', 'c@example.com', '--app', '0oaApp']);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /had no remembered consent/);
    const reopened = await openStore(installation.databaseUrl);
    assert.equal(await reopened.consents.get(user['id'] as string, '0oaApp', 'default'), undefined);
    await reopened.close();
  });
});
