// Issue 12: the CLI's help is enough to get started: `serve --help` lists every setting with its default
// (the same list config loading reads), required options are marked, every command has an example, and
// no help text points at the project's internal documents. Also the app flags added for web apps.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SETTINGS } from '../../src/config/settings.ts';
import { type CliInstallation, cliInstallation, cliJson, runLatchkey } from '../fixtures/cli.ts';

const COMMANDS = [
  'serve',
  'migrate',
  'config',
  'backup',
  'restore',
  'apps',
  'apps create',
  'apps list',
  'apps show',
  'apps update',
  'apps delete',
  'users',
  'users create',
  'users list',
  'users show',
  'users set-password',
  'users deactivate',
  'users sign-out',
  'users revoke-consent',
  'servers',
  'servers create',
  'servers list',
  'servers show',
  'servers add-scope',
  'servers add-resource',
  'keys',
  'keys list',
  'keys rotate',
  'keys revoke',
  'tokens',
  'tokens create',
  'tokens list',
  'tokens revoke',
];

const help = async (command: string): Promise<string> => {
  const result = await runLatchkey([...command.split(' ').filter(Boolean), '--help'], {});
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
};

describe('latchkey --help', () => {
  it('serve --help lists every setting with its default, from the list config loading uses', async () => {
    const text = await help('serve');
    assert.match(text, /Settings \(environment variables\):/);
    for (const setting of SETTINGS) {
      const line = text.split('\n').find((entry) => entry.trimStart().startsWith(`${setting.name} `));
      assert.ok(line, `${setting.name} is listed`);
      if (setting.default !== undefined) assert.ok(line.includes(`(default: ${setting.default})`), line);
    }
    assert.match(text, /PORT\s+.*\(default: 8080\)/);
    assert.match(text, /DATABASE_URL\s+.*\(default: sqlite:data\/latchkey\.db\)/);
  });

  it('every command has an example; no help text names an internal document', async () => {
    const texts = await Promise.all(COMMANDS.map(async (command) => [command, await help(command)] as const));
    texts.push(['', await help('')]);
    for (const [command, text] of texts) {
      assert.match(
        text,
        /\nExamples?:\n {2}(?:[A-Z_]+=\S+ )*(?:printf .* \| )?latchkey /,
        `latchkey ${command} has an example`,
      );
      assert.doesNotMatch(text, /OKTA-COMPAT|SECURITY-MATRIX|ARCHITECTURE|issue \d|§/, `latchkey ${command}`);
    }
  });

  it('required options are marked, and spa is accepted as the single-page type', async () => {
    const create = await help('apps create');
    for (const option of ['--name <name>', '--type <type>']) {
      const at = create.indexOf(option);
      const next = create.indexOf('\n  --', at + 1);
      assert.match(create.slice(at, next), /\(required\)/, option);
    }
    assert.doesNotMatch(create.slice(create.indexOf('--grant'), create.indexOf('--grant') + 80), /required/);
    assert.match(create, /choices: "native", "spa", "browser", "web"/);
    assert.match(await help('users create'), /--email <email>\s+email address \(required\)/);
  });
});

describe('latchkey apps: PKCE and auth method flags for web apps', () => {
  const installations: CliInstallation[] = [];
  after(() => {
    for (const created of installations) created.remove();
  });

  it('--pkce-required / --no-pkce-required, update --auth-method, --type spa, --logo-uri (https only)', async () => {
    const installation = await cliInstallation();
    installations.push(installation);
    const { run } = installation;
    const web = cliJson(
      await run([
        'apps',
        'create',
        '--name',
        'Web',
        '--type',
        'web',
        '--redirect-uri',
        'https://a.example/cb',
        '--json',
      ]),
    );
    assert.equal(web['pkce_required'], false, 'off by default for web apps, as in Okta');
    assert.equal(web['token_endpoint_auth_method'], 'client_secret_basic');
    const id = web['client_id'] as string;
    const on = cliJson(
      await run(['apps', 'update', id, '--pkce-required', '--auth-method', 'client_secret_post', '--json']),
    );
    assert.equal(on['pkce_required'], true);
    assert.equal(on['token_endpoint_auth_method'], 'client_secret_post');
    const name = cliJson(await run(['apps', 'update', id, '--name', 'Renamed', '--json']));
    assert.equal(name['pkce_required'], true, 'left alone when neither flag is given');
    const off = cliJson(await run(['apps', 'update', id, '--no-pkce-required', '--json']));
    assert.equal(off['pkce_required'], false);
    const strict = cliJson(
      await run([
        'apps',
        'create',
        '--name',
        'Strict',
        '--type',
        'web',
        '--redirect-uri',
        'https://a.example/cb',
        '--pkce-required',
        '--json',
      ]),
    );
    assert.equal(strict['pkce_required'], true);

    const spa = cliJson(
      await run([
        'apps',
        'create',
        '--name',
        'SPA',
        '--type',
        'spa',
        '--redirect-uri',
        'https://a.example/cb',
        '--logo-uri',
        'https://cdn.example/logo.png',
        '--json',
      ]),
    );
    assert.equal(spa['application_type'], 'browser');
    assert.equal(spa['logo_uri'], 'https://cdn.example/logo.png');
    const refused = await run(['apps', 'update', spa['client_id'] as string, '--no-pkce-required']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /PKCE cannot be turned off for a public client/);
    const http = await run([
      'apps',
      'update',
      spa['client_id'] as string,
      '--logo-uri',
      'http://cdn.example/logo.png',
    ]);
    assert.notEqual(http.code, 0);
    assert.match(http.stderr, /must be an https:\/\/ URL/);
    const cleared = cliJson(
      await run(['apps', 'update', spa['client_id'] as string, '--logo-uri', '', '--json']),
    );
    assert.equal(cleared['logo_uri'], null);
  });
});
