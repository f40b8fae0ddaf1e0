// The verifier against real tokens from an in-process Latchkey (OKTA-COMPAT §2.3, §2.6, §1.5, §1.6):
// custom scope, client allow-list, ID tokens and other servers' tokens refused, expiry by the server's
// clock, introspection seeing a revocation, and an emergency key rotation picked up by one refetch.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import {
  addCustomScope,
  createAuthorizationServer,
} from '../../server/src/services/authorization-servers.ts';
import { postForm } from '../../server/test/fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../../server/test/fixtures/test-server.ts';
import { onServer } from '../../server/test/fixtures/token-endpoints.ts';
import {
  createVerifier,
  InsufficientScopeError,
  IntrospectionUnavailableError,
  InvalidTokenError,
  type InvalidTokenReason,
  type Verifier,
  type VerifierOptions,
  verifyAccessToken,
} from '../src/index.ts';
import { closedUrl, type RealTokens, realTokens } from './helpers.ts';

const refusedWith = (reason: InvalidTokenReason) => (error: unknown) =>
  error instanceof InvalidTokenError && error.reason === reason;

describe('verifier: real Latchkey tokens', () => {
  let server: TestServer;
  let options: VerifierOptions;
  let verifier: Verifier;
  let tokens: RealTokens;

  before(async () => {
    server = await startTestServer();
    await addCustomScope(server.deps, 'default', { name: 'messages:read' });
    options = {
      issuer: server.issuer,
      audience: 'api://default',
      jwksUri: server.url('/v1/keys'),
      now: () => server.clock.now(),
    };
    verifier = createVerifier(options);
    tokens = await realTokens(server, 'openid messages:read');
  });
  after(() => server.close());

  it('verifies an access token with the custom scope', async () => {
    const claims = await verifier.verifyAccessToken(tokens.access_token, {
      requiredScopes: ['messages:read'],
      clientIds: [server.nativePub.client.clientId],
    });
    assert.equal(claims.iss, 'https://idp.test/oauth2/default');
    assert.equal(claims.sub, server.user.login);
    assert.equal(claims.uid, server.user.id);
    assert.equal(claims.cid, server.nativePub.client.clientId);
    assert.deepEqual(claims.scp, ['openid', 'messages:read']);
  });

  it('refuses a missing scope and a client outside clientIds', async () => {
    const plain = await realTokens(server, 'openid profile');
    await assert.rejects(
      verifier.verifyAccessToken(plain.access_token, { requiredScopes: ['messages:read'] }),
      (error: unknown) =>
        error instanceof InsufficientScopeError && error.missingScopes[0] === 'messages:read',
    );
    await assert.rejects(
      verifier.verifyAccessToken(tokens.access_token, { clientIds: [server.otherPub.client.clientId] }),
      refusedWith('client_not_allowed'),
    );
  });

  it('JW-05 refuses the ID token as an access token, even for an API whose audience is the client id', async () => {
    assert.ok(tokens.id_token);
    await assert.rejects(verifier.verifyAccessToken(tokens.id_token), refusedWith('wrong_audience'));
    const confused = createVerifier({ ...options, audience: server.nativePub.client.clientId });
    await assert.rejects(confused.verifyAccessToken(tokens.id_token), refusedWith('not_access_token'));
  });

  it("JW-05 refuses another authorization server's token with the same audience", async () => {
    const other = await createAuthorizationServer(server.deps, { name: 'Other', audience: 'api://default' });
    const foreign = await realTokens(onServer(server, other.id), 'openid');
    await assert.rejects(verifier.verifyAccessToken(foreign.access_token), refusedWith('wrong_issuer'));
  });

  it('judges exp by the clock it is given, with 60 s of tolerance', async () => {
    const at = (offset: number) => createVerifier({ ...options, now: () => server.clock.now() + offset });
    await at(3600 + 59).verifyAccessToken(tokens.access_token);
    await assert.rejects(at(3600 + 60).verifyAccessToken(tokens.access_token), refusedWith('expired'));
  });

  it('verifyAccessToken (one call) shares one JWKS cache per issuer', async () => {
    const counting = () => {
      const counter = {
        calls: 0,
        fetch: (input: RequestInfo | URL, init?: RequestInit) => {
          counter.calls += 1;
          return fetch(input, init);
        },
      };
      return counter;
    };
    const [first, second] = [counting(), counting()];
    for (const counter of [first, second]) {
      const claims = await verifyAccessToken(tokens.access_token, {
        ...options,
        fetch: counter.fetch,
        requiredScopes: ['messages:read'],
      });
      assert.equal(claims.sub, server.user.login);
    }
    assert.deepEqual([first.calls, second.calls], [1, 0]);
  });

  describe('introspection option', () => {
    it("sees a revocation at once (the confidential resource server, or the token's own public client) that local checks cannot", async () => {
      const fresh = await realTokens(server, 'openid messages:read');
      const confidential = createVerifier({
        ...options,
        introspect: {
          clientId: server.webConf.client.clientId,
          clientSecret: server.webConf.clientSecret,
          endpoint: server.url('/v1/introspect'),
        },
      });
      // IN-01: a public client learns only about its own tokens; these are native-pub's.
      const publicClient = createVerifier({
        ...options,
        introspect: { clientId: server.nativePub.client.clientId, endpoint: server.url('/v1/introspect') },
      });
      for (const checked of [confidential, publicClient]) {
        assert.equal((await checked.verifyAccessToken(fresh.access_token)).sub, server.user.login);
      }
      const revoked = await postForm(server.url('/v1/revoke'), {
        token: fresh.access_token,
        token_type_hint: 'access_token',
        client_id: server.nativePub.client.clientId,
      });
      assert.equal(revoked.status, 200);
      // OKTA-COMPAT §1.6: the JWT itself stays valid until exp; only introspection knows.
      await verifier.verifyAccessToken(fresh.access_token);
      for (const checked of [confidential, publicClient]) {
        await assert.rejects(checked.verifyAccessToken(fresh.access_token), refusedWith('revoked'));
      }
    });

    it('answers an unusable introspection with IntrospectionUnavailableError, after the local checks', async () => {
      const wrongSecret = createVerifier({
        ...options,
        introspect: {
          clientId: server.webConf.client.clientId,
          clientSecret: 'not-the-secret',
          endpoint: server.url('/v1/introspect'),
        },
      });
      await assert.rejects(
        wrongSecret.verifyAccessToken(tokens.access_token),
        (error: unknown) =>
          error instanceof IntrospectionUnavailableError &&
          /refused our client credentials/.test(error.message),
      );
      const down = createVerifier({ ...options, introspect: { clientId: 'x', endpoint: await closedUrl() } });
      await assert.rejects(down.verifyAccessToken(tokens.access_token), IntrospectionUnavailableError);
      // A token the local checks refuse never reaches the (unreachable) endpoint.
      await assert.rejects(down.verifyAccessToken(tokens.id_token ?? ''), refusedWith('wrong_audience'));
    });
  });

  // Last: it changes the server's keys.
  it('picks up an emergency key rotation with one refetch; the revoked key stops verifying', async () => {
    const oldKid = decodeProtectedHeader(tokens.access_token).kid ?? '';
    const fetched: string[] = [];
    const watching = createVerifier({
      ...options,
      fetch: (input, init) => {
        fetched.push(String(input));
        return fetch(input, init);
      },
    });
    await watching.verifyAccessToken(tokens.access_token);
    const revoked = await server.deps.keys.revoke('default', oldKid);
    assert.ok(revoked?.replacement);
    server.clock.advance(30);
    const rotated = await realTokens(server, 'openid messages:read');
    assert.notEqual(decodeProtectedHeader(rotated.access_token).kid, oldKid);
    await watching.verifyAccessToken(rotated.access_token, { requiredScopes: ['messages:read'] });
    assert.equal(fetched.length, 2, 'one refetch for the new kid');
    await assert.rejects(watching.verifyAccessToken(tokens.access_token), refusedWith('unknown_kid'));
    assert.equal(fetched.length, 2, 'no refetch storm for the revoked kid');
  });
});
