// PKCE at /v1/authorize (RFC 7636 §4.3, §4.4.1; SECURITY-MATRIX rule 2): PK-01 (a client needing PKCE sends
// no challenge) and PK-02 (method and format), each an error redirect with Okta's text (OKTA-COMPAT §3).

import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/services/apps.ts';
import { assertErrorRedirect } from '../fixtures/authorization-assertions.ts';
import { authorizeUrl, type CookieJar, get, makePkce, obtainCode } from '../fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

const WEB_CB = 'https://app.example.com/cb';
const PKCE_REQUIRED = 'PKCE code challenge is required by the application.';
const METHOD_NOT_SUPPORTED = 'PKCE code challenge method is not supported. Valid values: [S256]';
const ILLEGAL = 'PKCE code challenge contains illegal characters.';
const LENGTH = 'PKCE code challenge must be 43 characters: BASE64URL(SHA256(code_verifier)) without padding.';

describe('/v1/authorize PKCE', () => {
  let server: TestServer;
  let session: CookieJar;
  const pkce = makePkce();

  before(async () => {
    server = await startTestServer();
    ({ jar: session } = await obtainCode(server));
  });
  after(async () => server.close());

  const publicClient = (clientId: string, redirectUri: string, extra: Record<string, string> = {}) => ({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: redirectUri,
    state: 'st-1',
    code_challenge_method: 'S256',
    code_challenge: pkce.challenge,
    ...extra,
  });
  const native = (extra: Record<string, string> = {}) =>
    publicClient(server.nativePub.client.clientId, 'http://127.0.0.1/callback', extra);
  const without = (query: Record<string, string>, ...names: string[]) =>
    Object.fromEntries(Object.entries(query).filter(([name]) => !names.includes(name)));

  describe('PK-01 a client needing PKCE sends no code_challenge', () => {
    const clients: [string, () => Promise<[string, string]>][] = [
      ['native-pub', async () => [server.nativePub.client.clientId, 'http://127.0.0.1/callback']],
      ['other-pub', async () => [server.otherPub.client.clientId, 'com.example.other:/oauth2redirect']],
      ['spa-pub', async () => [server.spaPub.client.clientId, 'http://localhost:8080/callback']],
      [
        'a confidential client whose app requires PKCE',
        async () => {
          const { client } = await createApp(server.deps, {
            name: 'Web PKCE',
            applicationType: 'web',
            redirectUris: [WEB_CB],
            pkceRequired: true,
          });
          return [client.clientId, WEB_CB];
        },
      ],
    ];
    for (const [label, make] of clients) {
      it(`PK-01 ${label}`, async () => {
        const [clientId, redirectUri] = await make();
        const query = without(publicClient(clientId, redirectUri), 'code_challenge', 'code_challenge_method');
        assertErrorRedirect(await get(authorizeUrl(server, query), session), server, {
          redirectUri,
          error: 'invalid_request',
          description: PKCE_REQUIRED,
          state: 'st-1',
        });
      });
    }
  });

  describe('PK-02 method and format', () => {
    const challenge = pkce.challenge;
    const cases: [string, Record<string, string>, string][] = [
      ['code_challenge_method=plain', { code_challenge_method: 'plain' }, METHOD_NOT_SUPPORTED],
      ['method left out', { code_challenge_method: '' }, METHOD_NOT_SUPPORTED],
      ['code_challenge_method=S512', { code_challenge_method: 'S512' }, METHOD_NOT_SUPPORTED],
      ['code_challenge_method=s256', { code_challenge_method: 's256' }, METHOD_NOT_SUPPORTED],
      ['a challenge of length 42', { code_challenge: challenge.slice(0, 42) }, LENGTH],
      ['a challenge of length 44', { code_challenge: `${challenge}A` }, LENGTH],
      ['a challenge of length 129', { code_challenge: 'A'.repeat(129) }, LENGTH],
      ['a challenge containing +', { code_challenge: `+${challenge.slice(1)}` }, ILLEGAL],
      ['a challenge containing /', { code_challenge: `/${challenge.slice(1)}` }, ILLEGAL],
      ['a challenge containing =', { code_challenge: `${challenge.slice(1)}=` }, ILLEGAL],
      ['a challenge containing a space', { code_challenge: ` ${challenge.slice(1)}` }, ILLEGAL],
      ['a non-ASCII challenge', { code_challenge: `é${challenge.slice(1)}` }, ILLEGAL],
    ];
    for (const [label, extra, description] of cases) {
      it(`PK-02 ${label}`, async () => {
        const query =
          extra['code_challenge_method'] === '' ? without(native(), 'code_challenge_method') : native(extra);
        assertErrorRedirect(await get(authorizeUrl(server, query), session), server, {
          redirectUri: 'http://127.0.0.1/callback',
          error: 'invalid_request',
          description,
          state: 'st-1',
        });
      });
    }
  });
});
