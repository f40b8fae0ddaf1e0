// `latchkey keys rotate` and `latchkey keys revoke` end to end (SECURITY-MATRIX rule 7, RL-09, RL-10): real
// processes on a real SQLite file, as test/cli/cli.test.ts runs them. Each spawn costs about a second, so
// independent commands run side by side.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DEFAULT_ROTATION_POLICY, KEY_CACHE_SECONDS } from '../../src/oauth/keys/rotation.ts';
import { openStore } from '../../src/storage/open-store.ts';
import { type CliInstallation, type CliResult, cliInstallation, cliJson } from '../fixtures/cli.ts';

const installations: CliInstallation[] = [];

async function installation(): Promise<{
  databaseUrl: string;
  run: (...args: string[]) => Promise<CliResult>;
}> {
  const created = await cliInstallation();
  installations.push(created);
  return { databaseUrl: created.databaseUrl, run: (...args) => created.run(args) };
}

function json<T = Record<string, unknown>>(result: CliResult): T {
  return cliJson<T>(result);
}

async function activeKid(databaseUrl: string): Promise<string> {
  const store = await openStore(databaseUrl);
  try {
    const rows = await store.signingKeys.listForServer('default');
    return rows.find((row) => row.status === 'ACTIVE')?.kid ?? '';
  } finally {
    await store.close();
  }
}

after(() => {
  for (const created of installations) created.remove();
});

describe('latchkey keys', { concurrency: 2 }, () => {
  it('RL-09 keys rotate stages one next key that signs after the pre-publication window', async () => {
    const { run } = await installation();
    const staged = json(await run('keys', 'rotate', '--json'));
    assert.equal(staged['status'], 'NEXT');
    assert.equal(staged['staged'], true);
    assert.equal(staged['activated'], null);
    const created = Date.parse(staged['created'] as string);
    const signsFrom = Date.parse(staged['signsFrom'] as string);
    assert.equal(signsFrom - created, DEFAULT_ROTATION_POLICY.prePublicationSeconds * 1000);

    const [again, text, listed] = await Promise.all([
      run('keys', 'rotate', '--json'),
      run('keys', 'rotate'),
      run('keys', 'list', '--json'),
    ]);
    assert.deepEqual(json(again), { ...staged, staged: false });
    assert.match(again.stderr, /already staged/);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`Next key:\\s+${staged['kid']}\\n`));
    assert.match(text.stdout, /Signs from:/);
    const keys = json<Record<string, unknown>[]>(listed);
    assert.deepEqual(keys.map((key) => key['status']).sort(), ['ACTIVE', 'NEXT']);
  });

  it('RL-10 keys revoke asks for --yes, then revokes at once and the staged key signs; unknown kid or server exits 3', async () => {
    const { run, databaseUrl } = await installation();
    const next = json(await run('keys', 'rotate', '--json'))['kid'] as string;
    const active = await activeKid(databaseUrl);

    const [unconfirmed, unknownKid, unknownServer] = await Promise.all([
      run('keys', 'revoke', active),
      run('keys', 'revoke', 'no-such-kid', '--yes'),
      run('keys', 'revoke', active, '--server', 'no-such-server', '--yes'),
    ]);
    assert.equal(unconfirmed.code, 2);
    assert.match(unconfirmed.stderr, /^Error: --yes: Revoking .* is immediate/);
    assert.equal(unknownKid.code, 3);
    assert.match(unknownKid.stderr, /no-such-kid/);
    assert.equal(unknownServer.code, 3);

    const revoked = await run('keys', 'revoke', active, '--yes', '--json');
    const body = json(revoked);
    assert.equal(body['kid'], active);
    assert.equal(body['status'], 'REVOKED');
    const replacement = body['replacement'] as Record<string, unknown>;
    assert.deepEqual([replacement['kid'], replacement['status']], [next, 'ACTIVE']);
    assert.match(revoked.stderr, new RegExp(`within ${KEY_CACHE_SECONDS} s`));

    const twice = await run('keys', 'revoke', active, '--yes');
    assert.equal(twice.code, 0, twice.stderr);
    assert.match(twice.stderr, /already revoked/);

    // The rows stay, private halves sealed as compact JWE (RL-10 "encrypted at rest", JW-06).
    const store = await openStore(databaseUrl);
    try {
      const rows = await store.signingKeys.listForServer('default');
      assert.deepEqual(Object.fromEntries(rows.map((row) => [row.kid, row.status])), {
        [active]: 'REVOKED',
        [next]: 'ACTIVE',
      });
      for (const row of rows) {
        assert.equal(row.privateJwe.split('.').length, 5);
        assert.doesNotMatch(row.privateJwe, /"d"/);
      }
    } finally {
      await store.close();
    }
  });
});
