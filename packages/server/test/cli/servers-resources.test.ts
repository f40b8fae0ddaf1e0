// `latchkey servers add-resource` (RFC 8707 resources of an authorization server, as the MCP walk-through in
// the README uses it): a real process on a real SQLite file, as test/cli/cli.test.ts runs it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CliInstallation, cliInstallationWithDefaultServer, cliJson } from '../fixtures/cli.ts';

const RESOURCE = 'https://mcp.example.com/mcp';

describe('latchkey servers add-resource', () => {
  let cli: CliInstallation;
  before(async () => {
    cli = await cliInstallationWithDefaultServer();
  });
  after(() => cli.remove());

  it('declares the resource, and running it again changes nothing', async () => {
    for (let run = 0; run < 2; run++) {
      const result = await cli.run(['servers', 'add-resource', 'default', '--resource', RESOURCE, '--json']);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(cliJson(result)['resources'], [RESOURCE]);
    }
    const shown = await cli.run(['servers', 'show', 'default']);
    assert.match(shown.stdout, /Resources:\s+https:\/\/mcp\.example\.com\/mcp/);
  });

  it('exits 2 saying what is wrong with a resource that has a fragment', async () => {
    const result = await cli.run([
      'servers',
      'add-resource',
      'default',
      '--resource',
      'https://a.example/#x',
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^Error: resources: Resource "https:\/\/a\.example\/#x" has a fragment/);
  });

  it('exits 3 for an unknown server', async () => {
    const result = await cli.run(['servers', 'add-resource', 'ausNoSuchServer', '--resource', RESOURCE]);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /Not found: AuthorizationServer ausNoSuchServer/);
  });
});
