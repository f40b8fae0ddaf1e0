// SECURITY-MATRIX LG-03 under concurrency (issue 9 §1): a burst of wrong passwords against one account,
// spread over two instances on one database, checks at most the threshold's worth of passwords; the right
// password, sent while the rest of the burst is in flight, is refused once the lock is set. The same for the
// console's sign-in. Right passwords checked at once never lock their own account. On SQLite and PostgreSQL.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCKOUT_THRESHOLD } from '../../src/accounts/authenticate.ts';
import { createUser } from '../../src/accounts/users.ts';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  makePkce,
  openSignInPage,
  postForm,
} from '../fixtures/browser-flow.ts';
import { ADMIN_PASSWORD, ConsoleClient, createAdmin } from '../fixtures/console.ts';
import { databases, startTestServer, type TestServer } from '../fixtures/test-server.ts';

const PASSWORD = 'burst target passphrase 0815';
const WRONG = 24;

async function untilLocked(server: TestServer, id: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (((await server.deps.store.users.get(id))?.lockedUntil ?? 0) > server.clock.now()) return;
    await sleep(25);
  }
  throw new Error('the burst did not lock the account within 10 s');
}

for (const database of databases) {
  describe(`LG-03 lockout under a concurrent burst (${database})`, () => {
    let first: TestServer;
    let second: TestServer;
    before(async () => {
      first = await startTestServer({ database });
      second = await startTestServer({ instanceOf: first });
    });
    after(async () => {
      await second.close();
      await first.close();
    });

    it('LG-03 hosted sign-in: 24 concurrent wrong passwords over two instances lock after 10; the right one as the 25th is refused', async () => {
      const user = await createUser(first.deps, {
        email: `burst-${database}@example.com`,
        name: 'Burst',
        password: PASSWORD,
      });
      const instances = [first, second];
      const pages = await Promise.all(
        Array.from({ length: WRONG + 1 }, async (_, i) => {
          const server = instances[i % 2] as TestServer;
          const jar = new CookieJar();
          const { fields } = await openSignInPage(
            authorizeUrl(server, defaultAuthorizeParams(server, makePkce())),
            jar,
          );
          return { server, jar, fields };
        }),
      );
      const post = (page: (typeof pages)[number], password: string) =>
        postForm(
          `${page.server.baseUrl}/sign-in`,
          { ...page.fields, username: user.login, password },
          page.jar,
        );
      const wrong = pages.slice(0, WRONG).map((page, i) => post(page, `wrong guess ${i}`));
      // The right password goes once the burst has locked the account, while the rest of the burst may
      // still be in flight (a right password that got a slot before the lock may succeed: it was checked
      // before any lock existed).
      await untilLocked(first, user.id);
      const right = await post(pages[WRONG] as (typeof pages)[number], PASSWORD);
      const statuses = await Promise.all(
        wrong.map(async (pending) => {
          const response = await pending;
          await response.arrayBuffer();
          return response.status;
        }),
      );
      assert.deepEqual(new Set(statuses), new Set([401]));
      assert.equal(right.status, 401, 'the right password is refused while the account is locked');
      await right.body?.cancel();
      const row = await first.deps.store.users.get(user.id);
      assert.equal(row?.failedLogins, LOCKOUT_THRESHOLD, 'exactly the threshold of passwords was checked');
      assert.ok((row?.lockedUntil ?? 0) > first.clock.now());
    });

    it('LG-03 console sign-in: the same burst locks the admin after 10 and refuses the right password', async () => {
      const admin = await createAdmin(first);
      const clients = await Promise.all(
        Array.from({ length: WRONG + 1 }, async (_, i) => {
          const client = new ConsoleClient(i % 2 === 0 ? first : second);
          await client.get('/console/sign-in');
          return client;
        }),
      );
      const wrong = clients
        .slice(0, WRONG)
        .map((client, i) =>
          client.post('/console/sign-in', { username: admin.login, password: `wrong guess ${i}` }),
        );
      await untilLocked(first, admin.id);
      const right = await (clients[WRONG] as ConsoleClient).post('/console/sign-in', {
        username: admin.login,
        password: ADMIN_PASSWORD,
      });
      for (const result of await Promise.all(wrong)) assert.notEqual(result.response.status, 303);
      assert.notEqual(right.response.status, 303, 'no console session while locked');
      const row = await first.deps.store.users.get(admin.id);
      assert.equal(row?.failedLogins, LOCKOUT_THRESHOLD);
    });

    it('LG-03 hosted sign-in: the right password sent 10 times at once over two instances signs in every time and locks nothing', async () => {
      const user = await createUser(first.deps, {
        email: `crowd-${database}@example.com`,
        name: 'Crowd',
        password: PASSWORD,
      });
      const instances = [first, second];
      const statuses = await Promise.all(
        Array.from({ length: LOCKOUT_THRESHOLD }, async (_, i) => {
          const server = instances[i % 2] as TestServer;
          const jar = new CookieJar();
          const { fields } = await openSignInPage(
            authorizeUrl(server, defaultAuthorizeParams(server, makePkce())),
            jar,
          );
          const response = await postForm(
            `${server.baseUrl}/sign-in`,
            { ...fields, username: user.login, password: PASSWORD },
            jar,
          );
          await response.body?.cancel();
          return response.status;
        }),
      );
      assert.deepEqual(new Set(statuses), new Set([303]), 'every sign-in goes on to the app');
      const row = await first.deps.store.users.get(user.id);
      assert.deepEqual([row?.failedLogins, row?.lockedUntil], [0, null]);
    });
  });
}
