// Issue 14: paging values on /api/v1/users, /logs and /apps are finite integers within bounds; anything
// else is a 400 naming `limit`, on SQLite and PostgreSQL alike (it was a 500 for limit=Infinity or 1e309).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AdminApi, adminApi } from '../fixtures/admin-api.ts';
import { databases, startTestServer, type TestServer } from '../fixtures/test-server.ts';

const BAD_LIMITS = [
  'Infinity',
  '-Infinity',
  '1e309',
  'NaN',
  '-1',
  '0',
  '1.5',
  '2.0000001',
  '1e3',
  '99999999999999999999',
  '',
  'ten',
  '0x10',
];

for (const database of databases) {
  describe(`admin API paging values (${database})`, () => {
    let server: TestServer;
    let admin: AdminApi;
    before(async () => {
      server = await startTestServer({ database });
      admin = await adminApi(server);
    });
    after(() => server.close());

    for (const path of ['/users', '/logs', '/apps']) {
      for (const limit of BAD_LIMITS) {
        it(`AD-05: GET ${path}?limit=${limit} is a 400 naming limit`, async () => {
          const response = await admin.call('GET', `${path}?limit=${encodeURIComponent(limit)}`);
          assert.equal(response.status, 400, response.text);
          assert.equal(response.body.errorCode, 'E0000001');
          assert.match(JSON.stringify(response.body.errorCauses), /limit/);
        });
      }
      it(`AD-05: GET ${path} with an in-range limit pages normally`, async () => {
        const response = await admin.call('GET', `${path}?limit=2`);
        assert.equal(response.status, 200, response.text);
        assert.ok(response.body.length <= 2);
      });
    }
  });
}
