// SECURITY-MATRIX K: LG-01 (sign-in CSRF) and LG-02 (the sign-in form is bound to its transaction and to
// the browser that started it).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  makePkce,
  openSignInPage,
  postForm,
  responseParams,
} from '../fixtures/browser-flow.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../fixtures/test-server.ts';

describe('hosted sign-in: CSRF and transaction binding', () => {
  let server: TestServer;
  let signInUrl: string;
  before(async () => {
    server = await startTestServer();
    signInUrl = `${server.baseUrl}/sign-in`;
  });
  after(async () => server.close());

  async function openPage(jar = new CookieJar(), extra: Record<string, string> = {}) {
    const url = authorizeUrl(server, defaultAuthorizeParams(server, makePkce(), extra));
    const { fields } = await openSignInPage(url, jar);
    return { jar, fields };
  }

  async function failedLogins(): Promise<number> {
    const user = await server.deps.store.users.get(server.user.id);
    assert.ok(user);
    return user.failedLogins;
  }

  function assertNoCode(response: Response): void {
    assert.equal(response.headers.get('location'), null);
    assert.equal(
      response.headers.getSetCookie().some((line) => line.startsWith('__Host-latchkey-sid=')),
      false,
      'no session cookie',
    );
  }

  describe('LG-01 a forged sign-in POST gets 403 before any credential check', () => {
    type Forgery = (
      own: { jar: CookieJar; fields: Record<string, string> },
      other: { jar: CookieJar; fields: Record<string, string> },
    ) => { form: Record<string, string>; headers?: Record<string, string> };
    const cases: Array<[string, Forgery]> = [
      ['no _csrf field', ({ fields }) => ({ form: { transaction_id: fields['transaction_id'] ?? '' } })],
      ['an empty _csrf field', ({ fields }) => ({ form: { ...fields, _csrf: '' } })],
      [
        "a _csrf token from another browser's jar",
        ({ fields }, other) => ({ form: { ...fields, _csrf: other.fields['_csrf'] ?? '' } }),
      ],
      [
        'Sec-Fetch-Site: cross-site',
        ({ fields }) => ({ form: fields, headers: { 'sec-fetch-site': 'cross-site' } }),
      ],
      [
        'Origin: https://evil.example',
        ({ fields }) => ({ form: fields, headers: { origin: 'https://evil.example' } }),
      ],
    ];
    for (const [name, forge] of cases) {
      it(`LG-01 ${name}`, async () => {
        const own = await openPage();
        const other = await openPage();
        const before = await failedLogins();
        for (const password of ['wrong password 123', TEST_PASSWORD]) {
          const { form, headers } = forge(own, other);
          const response = await postForm(
            signInUrl,
            { ...form, username: server.user.login, password },
            own.jar,
            headers,
          );
          assert.equal(response.status, 403, `with password ${password}`);
          assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
          assertNoCode(response);
          assert.match(await response.text(), /access_denied/);
        }
        assert.equal(await failedLogins(), before, 'the failure counter is not incremented');
      });
    }

    it('LG-01 a same-origin browser POST (Origin: null under no-referrer, Sec-Fetch-Site: same-origin) is accepted', async () => {
      const { jar, fields } = await openPage();
      const response = await postForm(
        signInUrl,
        { ...fields, username: server.user.login, password: TEST_PASSWORD },
        jar,
        { origin: 'null', 'sec-fetch-site': 'same-origin' },
      );
      assert.equal(response.status, 303);
      assert.ok(responseParams(response.headers.get('location')).get('code'));
    });
  });

  describe('LG-02 the sign-in form is bound to one live transaction of one browser', () => {
    function assertExpiredPage(response: Response, html: string): void {
      assert.equal(response.status, 400);
      assertNoCode(response);
      assert.match(html, /Sign-in session expired/);
      assert.doesNotMatch(html, /code=/);
    }

    it('LG-02 replaying the POST of a completed transaction T1 (also after T2 started) gives 400 and no code', async () => {
      const { jar, fields: t1 } = await openPage();
      const form = { ...t1, username: server.user.login, password: TEST_PASSWORD };
      const first = await postForm(signInUrl, form, jar);
      assert.equal(first.status, 303);
      assert.ok(responseParams(first.headers.get('location')).get('code'));

      const replay = await postForm(signInUrl, form, jar);
      assertExpiredPage(replay, await replay.text());

      // T2 in the same browser (prompt=login forces a page despite the session): T1 still cannot finish.
      const { fields: t2 } = await openPage(jar, { prompt: 'login', state: 'state-t2' });
      assert.notEqual(t2['transaction_id'], t1['transaction_id']);
      const intoT2 = await postForm(signInUrl, { ...form, _csrf: t2['_csrf'] ?? '' }, jar);
      assertExpiredPage(intoT2, await intoT2.text());
      // T2 itself finishes with its own stored request.
      const second = await postForm(
        signInUrl,
        { ...t2, username: server.user.login, password: TEST_PASSWORD },
        jar,
      );
      assert.equal(second.status, 303);
      assert.equal(responseParams(second.headers.get('location')).get('state'), 'state-t2');
    });

    it('LG-02 a transaction_id of another browser gives 400 and no code; the owner can still finish it', async () => {
      const victim = await openPage();
      const attacker = await openPage();
      const response = await postForm(
        signInUrl,
        {
          ...attacker.fields,
          transaction_id: victim.fields['transaction_id'] ?? '',
          username: server.user.login,
          password: TEST_PASSWORD,
        },
        attacker.jar,
      );
      assertExpiredPage(response, await response.text());
      const owner = await postForm(
        signInUrl,
        { ...victim.fields, username: server.user.login, password: TEST_PASSWORD },
        victim.jar,
      );
      assert.equal(owner.status, 303);
    });

    it('LG-02 a POST without the browser cookie gives 400 and no code', async () => {
      const { jar, fields } = await openPage();
      const stripped = new CookieJar();
      stripped.set('__Host-latchkey-csrf', jar.get('__Host-latchkey-csrf') ?? '');
      const response = await postForm(
        signInUrl,
        { ...fields, username: server.user.login, password: TEST_PASSWORD },
        stripped,
      );
      assertExpiredPage(response, await response.text());
    });

    it('LG-02 submitting after the transaction expired (16 min) gives 400 and no code', async () => {
      const { jar, fields } = await openPage();
      server.clock.advance(16 * 60);
      const response = await postForm(
        signInUrl,
        { ...fields, username: server.user.login, password: TEST_PASSWORD },
        jar,
      );
      assertExpiredPage(response, await response.text());
    });
  });
});
