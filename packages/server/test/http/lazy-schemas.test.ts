// Issue 11: route schemas compile on a route's first request, not at start-up. Every schema still
// compiles (a bad one fails here, not on some first request in production), and a route answers the same
// bytes whether its validator and serializer were compiled by its first request or all at once.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AdminApi, adminApi } from '../fixtures/admin-api.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

/** The body without the parts that differ on every response (errorId, ids, timestamps). */
const stable = (text: string): string =>
  text
    .replace(/"errorId":"[^"]*"/g, '"errorId":"*"')
    .replace(/"(id|created|lastUpdated)":"[^"]*"/g, '"$1":"*"');

describe('route schemas compiled on first use', () => {
  let server: TestServer;
  let admin: AdminApi;
  before(async () => {
    server = await startTestServer();
    admin = await adminApi(server);
  });
  after(() => server.close());

  const calls: Array<[string, string, unknown?]> = [
    // Validation (Ajv): a query value out of bounds, a body missing a required field, an unknown field.
    ['GET', '/users?limit=0'],
    ['POST', '/apps', { label: 'x' }],
    ['POST', '/users', { profile: { email: 'not an email' }, unknown: true }],
    // Serialization (fast-json-stringify): the response shape, with what the schema leaves out.
    ['GET', '/users'],
    ['GET', '/authorizationServers/default'],
  ];

  it('answers the same before and after every schema is compiled', async () => {
    const first: string[] = [];
    for (const [method, path, body] of calls) {
      const response = await admin.call(method, path, body);
      first.push(`${response.status} ${stable(response.text)}`);
    }
    assert.doesNotThrow(() => server.compileSchemas());
    for (const [index, [method, path, body]] of calls.entries()) {
      const response = await admin.call(method, path, body);
      assert.equal(`${response.status} ${stable(response.text)}`, first[index], `${method} ${path}`);
    }
    assert.match(first[0] ?? '', /^400 .*E0000001.*limit/);
    assert.match(first[3] ?? '', /^200 \[/);
  });

  it('compiles every route schema of the app', () => {
    // A second call has nothing left to compile and must not throw either.
    server.compileSchemas();
    server.compileSchemas();
  });
});
