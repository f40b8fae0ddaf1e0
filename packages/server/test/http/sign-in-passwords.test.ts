// SECURITY-MATRIX K: LG-06 (password storage and policy): argon2id PHC strings, exact comparison, long and
// unicode passwords through the real sign-in form, rehash of weaker hashes, and the policy at set time.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hash } from '@node-rs/argon2';
import { createUser, setPassword } from '../../src/accounts/users.ts';
import { ValidationError } from '../../src/services/errors.ts';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  makePkce,
  openSignInPage,
  postForm,
} from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const PHC = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

describe('LG-06 password storage and policy', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  /** Signs in through the hosted form; true when it ends in a 303 with a code. */
  async function signsIn(login: string, password: string): Promise<boolean> {
    const jar = new CookieJar();
    const { fields } = await openSignInPage(
      authorizeUrl(server, defaultAuthorizeParams(server, makePkce())),
      jar,
    );
    const response = await postForm(
      `${server.baseUrl}/sign-in`,
      { ...fields, username: login, password },
      jar,
    );
    await response.body?.cancel();
    assert.ok(response.status === 303 || response.status === 401, `status ${response.status}`);
    return response.status === 303;
  }

  async function storedHash(userId: string): Promise<string> {
    const row = await server.deps.store.users.get(userId);
    assert.ok(row?.passwordHash);
    return row.passwordHash;
  }

  it('LG-06 the stored hash is an argon2id PHC string (m=19456, t=2, p=1) with a random salt of at least 16 bytes', async () => {
    const phc = await storedHash(server.user.id);
    const match = PHC.exec(phc);
    assert.ok(match, phc);
    assert.ok(Buffer.from(match[1]!, 'base64').length >= 16, 'salt length');
    const other = await createUser(server.deps, {
      email: 'same-password@example.com',
      name: 'Same Password',
      password: 'correct horse battery staple',
    });
    const otherSalt = PHC.exec(await storedHash(other.id))?.[1];
    assert.notEqual(otherSalt, match[1], 'same password, different salt');
  });

  const accepted: Array<[string, string]> = [
    ['a 72-character password', 'correct-horse-battery-staple-'.repeat(3).slice(0, 72)],
    ['a 200-character password', 'Tr0ub4dor&3 '.repeat(17).slice(0, 200)],
    ['unicode (accents, CJK, emoji, RTL)', 'pässwörd ключ 密码 🔑🦄 كلمة'],
  ];
  accepted.forEach(([name, password], index) => {
    it(`LG-06 ${name} is accepted and checked exactly`, async () => {
      const user = await createUser(server.deps, { email: `pw-${index}@example.com`, name: 'Pw', password });
      assert.ok(await signsIn(user.login, password), 'the exact password signs in');
      for (const variant of new Set([
        password.trim(),
        `${password} `,
        password.toUpperCase(),
        password.slice(0, -1),
      ])) {
        if (variant === password) continue;
        assert.equal(
          await signsIn(user.login, variant),
          false,
          `variant ${JSON.stringify(variant)} is refused`,
        );
      }
    });
  });

  it("LG-06 no trimming: 'pw ' is not 'pw', ' pw' is not 'pw'", async () => {
    const user = await createUser(server.deps, {
      email: 'spaces@example.com',
      name: 'Spaces',
      password: ' spaced passphrase ',
    });
    for (const variant of ['spaced passphrase', ' spaced passphrase', 'spaced passphrase ']) {
      assert.equal(await signsIn(user.login, variant), false, JSON.stringify(variant));
    }
    assert.equal(await signsIn(user.login, ' spaced passphrase '), true);
  });

  it('LG-06 a hash weaker than the policy is replaced at the next sign-in', async () => {
    const user = await createUser(server.deps, { email: 'legacy@example.com', name: 'Legacy' });
    const weak = await hash('legacy user passphrase', {
      algorithm: 2,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    });
    await server.deps.store.users.update(user.id, { passwordHash: weak });
    assert.ok(await signsIn(user.login, 'legacy user passphrase'));
    const upgraded = await storedHash(user.id);
    assert.match(upgraded, PHC);
    assert.ok(await signsIn(user.login, 'legacy user passphrase'), 'the new hash verifies');
  });

  const refused: Array<[string, string]> = [
    ['7 characters', 'abc123!'],
    ['7 unicode characters', '🔑🔑🔑🔑🔑🔑🔑'],
    ['a top password (password1)', 'password1'],
    ['a top password (qwertyuiop)', 'qwertyuiop'],
    ['the email address', 'policy@example.com'],
  ];
  for (const [name, password] of refused) {
    it(`LG-06 refused when set: ${name}`, async () => {
      const isPasswordError = (error: unknown) =>
        error instanceof ValidationError && error.field === 'password' && error.code === 'invalid_password';
      await assert.rejects(
        createUser(server.deps, { email: 'policy@example.com', name: 'Policy', password }),
        isPasswordError,
      );
      const forAlice = password === 'policy@example.com' ? server.user.email : password;
      await assert.rejects(setPassword(server.deps, server.user.id, forAlice), isPasswordError);
    });
  }

  it('LG-06 setPassword stores a fresh argon2id hash that signs in', async () => {
    const user = await createUser(server.deps, {
      email: 'changer@example.com',
      name: 'Changer',
      password: 'first passphrase 111',
    });
    await setPassword(server.deps, user.id, 'second passphrase 222');
    assert.match(await storedHash(user.id), PHC);
    assert.equal(await signsIn(user.login, 'first passphrase 111'), false);
    assert.equal(await signsIn(user.login, 'second passphrase 222'), true);
  });
});
