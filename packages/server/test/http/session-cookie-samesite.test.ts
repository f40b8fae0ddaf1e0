// The SSO cookie's SameSite policy (LATCHKEY_SESSION_COOKIE_SAMESITE, README "SSO cookie"): None; Secure
// under an https public URL by default, so an app's hidden iframe on another site carries it (issue 12 §1);
// Lax under http, where browsers drop None without Secure; an explicit lax or strict is kept. Sign-out
// clears it with the same attributes. The other cookies keep theirs (LG-07).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authorizeUrl,
  CookieJar,
  defaultAuthorizeParams,
  get,
  makePkce,
  signIn,
} from '../fixtures/browser-flow.ts';
import { logoutUrl, sessionCookie, signInWithTokens } from '../fixtures/session-flow.ts';
import { startTestServer } from '../fixtures/test-server.ts';

async function sessionSetCookie(options: Parameters<typeof startTestServer>[0]): Promise<string> {
  const server = await startTestServer(options);
  try {
    const response = await signIn(
      server,
      authorizeUrl(server, defaultAuthorizeParams(server, makePkce())),
      new CookieJar(),
    );
    await response.body?.cancel();
    assert.equal(response.status, 303);
    const name = sessionCookie(server);
    const line = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
    assert.ok(line, `${name} is set`);
    return line;
  } finally {
    await server.close();
  }
}

describe('the SSO cookie SameSite policy', () => {
  it('https, auto: __Host-, SameSite=None; Secure; HttpOnly', async () => {
    const line = await sessionSetCookie({});
    assert.match(line, /^__Host-latchkey-sid=/);
    assert.match(line, /; SameSite=None/);
    assert.match(line, /; Secure/);
    assert.match(line, /; HttpOnly/);
  });

  it('http (local development), auto: SameSite=Lax, not Secure', async () => {
    const line = await sessionSetCookie({ publicUrl: 'http://localhost:8080' });
    assert.match(line, /^latchkey-sid=/);
    assert.match(line, /; SameSite=Lax/);
    assert.doesNotMatch(line, /; Secure/);
  });

  for (const [value, attribute] of [
    ['lax', 'Lax'],
    ['strict', 'Strict'],
  ]) {
    it(`https, ${value}: SameSite=${attribute}; Secure`, async () => {
      const line = await sessionSetCookie({ env: { LATCHKEY_SESSION_COOKIE_SAMESITE: value ?? '' } });
      assert.match(line, new RegExp(`; SameSite=${attribute}`));
      assert.match(line, /; Secure/);
    });
  }

  it('sign-out clears it with the same SameSite=None; Secure', async () => {
    const server = await startTestServer();
    try {
      const { jar, tokens } = await signInWithTokens(server);
      const response = await get(logoutUrl(server, { id_token_hint: tokens.id_token }), jar);
      await response.body?.cancel();
      const name = sessionCookie(server);
      const line = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
      assert.ok(line, `${name} is cleared`);
      assert.match(line, /Max-Age=0|Expires=Thu, 01 Jan 1970/);
      assert.match(line, /; SameSite=None/);
      assert.match(line, /; Secure/);
    } finally {
      await server.close();
    }
  });
});
