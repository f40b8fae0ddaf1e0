// The `latchkey` command end to end: real processes, a real SQLite file, exit codes and output as scripts
// see them. Each spawn costs ~1 s (tsx), so every test checks several things per process and tests run
// a few at a time, each on its own database.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { verifyPassword } from '../../src/accounts/passwords.ts';
import { openStore } from '../../src/storage/open-store.ts';
import { type CliInstallation, type CliResult, cliInstallation, cliJson } from '../fixtures/cli.ts';

const installations: CliInstallation[] = [];

async function installation(
  overrides: NodeJS.ProcessEnv = {},
  options: { migrated?: boolean } = {},
): Promise<CliInstallation> {
  const created = await cliInstallation(overrides, options);
  installations.push(created);
  return created;
}

const json = (result: CliResult): Record<string, unknown> => cliJson(result);

after(() => {
  for (const created of installations) created.remove();
});

describe('latchkey CLI', { concurrency: 3 }, () => {
  it('apps: create, list, show, update and delete round trip with --json', async () => {
    const { run } = await installation();
    const created = json(
      await run([
        'apps',
        'create',
        '--name',
        'My Native App',
        '--type',
        'native',
        '--redirect-uri',
        'com.example.app:/callback',
        '--redirect-uri',
        'http://127.0.0.1/callback',
        '--json',
      ]),
    );
    const id = created['client_id'] as string;
    assert.match(id, /^0oa[A-Za-z0-9]{17}$/);
    assert.deepEqual(
      { ...created, client_id: 'x', created: 'x' },
      {
        client_id: 'x',
        client_name: 'My Native App',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['com.example.app:/callback', 'http://127.0.0.1/callback'],
        post_logout_redirect_uris: [],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        pkce_required: true,
        logo_uri: null,
        consent_method: 'TRUSTED',
        refresh_token: { rotation_type: 'ROTATE', leeway: 30 },
        status: 'ACTIVE',
        created: 'x',
      },
    );
    assert.ok(!Number.isNaN(Date.parse(created['created'] as string)));

    const listed = JSON.parse((await run(['apps', 'list', '--json'])).stdout) as Record<string, unknown>[];
    assert.deepEqual(listed, [created]);

    const updated = json(
      await run([
        'apps',
        'update',
        id,
        '--name',
        'Renamed',
        '--redirect-uri',
        'com.example.app:/cb2',
        '--grant',
        'refresh_token',
        '--consent',
        'required',
        '--leeway',
        '10',
        '--json',
      ]),
    );
    assert.equal(updated['client_name'], 'Renamed');
    assert.deepEqual(updated['redirect_uris'], ['com.example.app:/cb2']);
    assert.deepEqual(updated['grant_types'], ['authorization_code', 'refresh_token']);
    assert.equal(updated['consent_method'], 'REQUIRED');
    assert.deepEqual(updated['refresh_token'], { rotation_type: 'ROTATE', leeway: 10 });
    assert.deepEqual(json(await run(['apps', 'show', id, '--json'])), updated);

    const deleted = await run(['apps', 'delete', id]);
    assert.equal(deleted.code, 0, deleted.stderr);
    const missing = await run(['apps', 'show', id]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, new RegExp(id));
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
  });

  it('apps: a web app shows its client_secret once, at creation only', async () => {
    const { run } = await installation();
    const [text, withJson] = await Promise.all([
      run([
        'apps',
        'create',
        '--name',
        'Web',
        '--type',
        'web',
        '--redirect-uri',
        'https://app.example.com/cb',
      ]),
      run([
        'apps',
        'create',
        '--name',
        'Web 2',
        '--type',
        'web',
        '--redirect-uri',
        'https://app.example.com/cb',
        '--json',
      ]),
    ]);
    assert.equal(text.code, 0, text.stderr);
    const secret = /Client secret:\s+(\S+)/.exec(text.stdout)?.[1];
    const id = /Client ID:\s+(\S+)/.exec(text.stdout)?.[1];
    assert.ok(secret !== undefined && secret.length >= 43 && id !== undefined, text.stdout);
    assert.match(text.stderr, /shown only this once/);
    const created = json(withJson);
    assert.equal(typeof created['client_secret'], 'string');
    assert.equal(created['token_endpoint_auth_method'], 'client_secret_basic');

    const [shownText, shownJson] = await Promise.all([
      run(['apps', 'show', id]),
      run(['apps', 'show', id, '--json']),
    ]);
    assert.equal(shownText.code, 0, shownText.stderr);
    assert.ok(!shownText.stdout.includes(secret) && !/Client secret/i.test(shownText.stdout));
    assert.ok(!('client_secret' in json(shownJson)));
    assert.ok(!shownJson.stdout.includes(secret));
  });

  it('RU-09 AD-02 apps: unsafe redirect URIs are refused with exit 2 naming redirect_uris', async () => {
    const { run } = await installation();
    const uris = [
      'http://evil.example/cb',
      'javascript:alert(1)',
      'https://app.example.com/cb#frag',
      'https://*.example.com/cb',
    ];
    const results = await Promise.all(
      uris.map((uri) =>
        run(['apps', 'create', '--name', 'Bad', '--type', 'native', '--redirect-uri', uri, '--json']),
      ),
    );
    results.forEach((result, index) => {
      assert.equal(result.code, 2, `${uris[index]}: ${result.stderr}`);
      assert.match(result.stderr, /^Error: redirect_uris: /);
      assert.equal(result.stdout, '');
    });
    assert.deepEqual(JSON.parse((await run(['apps', 'list', '--json'])).stdout), []);
  });

  it('apps: an unknown --type is a usage error (exit 2)', async () => {
    const { run } = await installation();
    const result = await run([
      'apps',
      'create',
      '--name',
      'X',
      '--type',
      'robot',
      '--redirect-uri',
      'https://a.example/cb',
    ]);
    assert.equal(result.code, 2);
    // Issue 12: spa is accepted as the single-page type (Okta's browser).
    assert.match(result.stderr, /native, spa, browser, web/);
  });

  it('users: create with --password-stdin, show without any hash; passwords are taken exactly', async () => {
    const { run, databaseUrl } = await installation();
    const created = json(
      await run(
        [
          'users',
          'create',
          '--email',
          'alice@example.com',
          '--name',
          'Alice Liddell',
          '--password-stdin',
          '--json',
        ],
        'correct horse battery staple',
      ),
    );
    assert.match(created['id'] as string, /^00u/);
    assert.deepEqual(
      { ...created, id: 'x', created: 'x' },
      {
        id: 'x',
        status: 'ACTIVE',
        created: 'x',
        profile: {
          login: 'alice@example.com',
          email: 'alice@example.com',
          name: 'Alice Liddell',
          firstName: 'Alice',
          lastName: 'Liddell',
        },
        admin: false,
      },
    );
    const [shown, shownText] = await Promise.all([
      run(['users', 'show', 'alice@example.com', '--json']),
      run(['users', 'show', created['id'] as string]),
    ]);
    assert.deepEqual(json(shown), created);
    for (const output of [shown.stdout, shownText.stdout]) assert.doesNotMatch(output, /argon|\$v=|hash/i);

    // Leading and inner spaces are part of the password; only the one newline echo adds is dropped.
    const set = await run(
      ['users', 'set-password', 'alice@example.com', '--password-stdin'],
      '  tea party \t at noon \n',
    );
    assert.equal(set.code, 0, set.stderr);
    const store = await openStore(databaseUrl);
    try {
      const hash = (await store.users.getByLogin('alice@example.com'))?.passwordHash ?? '';
      assert.equal(await verifyPassword(hash, '  tea party \t at noon '), true);
    } finally {
      await store.close();
    }
  });

  it('users: a weak password exits 2 naming password', async () => {
    const { run } = await installation();
    const result = await run(
      ['users', 'create', '--email', 'bob@example.com', '--name', 'Bob', '--password-stdin'],
      'password1\n',
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^Error: password: /);
  });

  it('servers: create, then show prints the issuer', async () => {
    const { run } = await installation();
    const created = json(
      await run(['servers', 'create', '--name', 'My API', '--audience', 'api://my-api', '--json']),
    );
    const id = created['id'] as string;
    assert.match(id, /^aus/);
    const shown = await run(['servers', 'show', id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`Issuer:\\s+http://localhost:8080/oauth2/${id}\\n`));
    assert.match(shown.stdout, /api:\/\/my-api/);
  });

  it('migrate applies migrations once, then reports the database up to date', async () => {
    const { run } = await installation({}, { migrated: false });
    const first = await run(['migrate']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /0001-initial/);
    const second = await run(['migrate']);
    assert.equal(second.stdout, 'Database is up to date.\n');
  });

  it('a bad DATABASE_URL is a configuration error (exit 78)', async () => {
    const { run } = await installation({ DATABASE_URL: 'mysql://x' }, { migrated: false });
    const result = await run(['apps', 'list']);
    assert.equal(result.code, 78);
    assert.match(result.stderr, /^Configuration error: DATABASE_URL/);
  });
});
