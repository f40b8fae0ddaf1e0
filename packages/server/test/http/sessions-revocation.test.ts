// SECURITY-MATRIX RT-07 (revocation triggers; ASVS 7.4.2, 7.4.3, 7.4.5; Keycloak GHSA-wv3h-x6c4-r867):
// deactivating a user, changing their password and `latchkey users sign-out` end the user's SSO sessions
// and revoke their refresh and access tokens in the database; a refresh then answers invalid_grant.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deleteUser } from '../../src/accounts/user-lifecycle.ts';
import { createUser, deactivateUser, setPassword } from '../../src/accounts/users.ts';
import type { UserRow } from '../../src/storage/store.ts';
import type { CookieJar } from '../fixtures/browser-flow.ts';
import { type CliResult, runLatchkey } from '../fixtures/cli.ts';
import { expectInvalidRefresh, refresh, refreshRowOf } from '../fixtures/refresh-flow.ts';
import {
  assertSignedIn,
  type SignedInTokens,
  sessionIsLive,
  signInWithTokens,
} from '../fixtures/session-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';
import { claimsOf, expectTokens } from '../fixtures/token-assertions.ts';

/** Runs the real `latchkey` command against the test server's database and secret. */
function latchkey(server: TestServer, args: string[]): Promise<CliResult> {
  return runLatchkey(args, {
    DATABASE_URL: server.deps.config.databaseUrl,
    LATCHKEY_SECRET: server.deps.config.secret,
  });
}

describe('ending a user’s sessions and tokens (RT-07)', () => {
  let server: TestServer;
  /** A second instance on the same database: revocation holds "through any instance". */
  let other: TestServer;
  before(async () => {
    server = await startTestServer();
    other = await startTestServer({ instanceOf: server });
  });
  after(async () => {
    await other.close();
    await server.close();
  });

  interface Browser {
    jar: CookieJar;
    sessionId: string;
    tokens: SignedInTokens;
  }

  /** A fresh user signed in on two browsers, each with a refresh token. */
  async function signedInTwice(name: string): Promise<{ user: UserRow; browsers: Browser[] }> {
    const user = await createUser(server.deps, {
      email: `${name}@example.com`,
      name: `${name} Tester`,
      password: TEST_PASSWORD,
    });
    const credentials = { username: user.login, password: TEST_PASSWORD };
    const browsers = [
      await signInWithTokens(server, { credentials }),
      await signInWithTokens(server, { credentials }),
    ];
    for (const { tokens } of browsers) assert.ok(tokens.refresh_token, 'offline_access gave a refresh token');
    return { user, browsers };
  }

  const triggers: [name: string, trigger: (user: UserRow) => Promise<void>][] = [
    [
      'deactivateUser',
      async (user) => {
        await deactivateUser(server.deps, user.id);
      },
    ],
    [
      'deleteUser (deactivated, then deleted)',
      async (user) => {
        await deactivateUser(server.deps, user.id);
        await deleteUser(server.deps, user.id);
      },
    ],
    [
      'setPassword (password changed)',
      async (user) => {
        await setPassword(server.deps, user.id, 'a brand new passphrase 2');
      },
    ],
    [
      '`latchkey users sign-out <login>`',
      async (user) => {
        const result = await latchkey(server, ['users', 'sign-out', user.login]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(
          result.stdout,
          /2 session\(s\) ended, 2 refresh token\(s\) and 2 access token\(s\) revoked/,
        );
      },
    ],
  ];

  for (const [name, trigger] of triggers) {
    it(`RT-07 ${name} ends every session and makes every refresh and access token unusable, on every instance`, async () => {
      const { user, browsers } = await signedInTwice(
        `rt07-${name.replace(/\W+/g, '-').replace(/^-|-$/g, '')}`,
      );
      await trigger(user);
      for (const { jar, sessionId, tokens } of browsers) {
        assert.equal(await sessionIsLive(server, sessionId), false);
        await assertSignedIn(other, jar, false);
        const refreshToken = tokens.refresh_token ?? '';
        assert.notEqual((await refreshRowOf(server, refreshToken)).revokedAt, null, 'refresh token revoked');
        const jti = String(claimsOf(tokens.access_token).jti);
        assert.notEqual(
          (await server.deps.store.accessTokens.get(jti))?.revokedAt ?? null,
          null,
          'AT revoked',
        );
        await expectInvalidRefresh(await refresh(other, 'nativePub', refreshToken));
      }
    });
  }

  it('RT-07 other users keep their sessions and tokens', async () => {
    const bystander = await signInWithTokens(server);
    const { user } = await signedInTwice('rt07-target');
    await deactivateUser(server.deps, user.id);
    assert.equal(await sessionIsLive(server, bystander.sessionId), true);
    await expectTokens(await refresh(server, 'nativePub', bystander.tokens.refresh_token ?? ''));
  });
});
