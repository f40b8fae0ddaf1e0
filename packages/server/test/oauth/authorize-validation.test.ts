// validateAuthorizationRequest (oauth/authorize.ts): the branches shown as an error page because the client
// or redirect URI cannot be trusted (RFC 6749 §4.1.2.1; RU-01, RU-10, RU-12), and valid requests. The
// redirected branches are in authorize-validation-redirect.test.ts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REPEATED_PARAMETER_DESCRIPTION } from '../../src/oauth/params.ts';
import {
  CHALLENGE,
  nativeQuery,
  page,
  useValidationHarness,
  type ValidationCase,
  webQuery,
} from '../fixtures/authorize-validation.ts';

const INVALID_REDIRECT =
  /^The 'redirect_uri' parameter must be a Login redirect URI in the client app settings\./;

const CASES: ValidationCase[] = [
  // Shown as a page: client or redirect URI cannot be trusted.
  {
    label: 'RU-01 client_id missing',
    query: webQuery(''),
    expect: page('invalid_request', "The required parameter 'client_id' is missing."),
  },
  {
    label: 'RU-01 client_id empty',
    query: `client_id=&${webQuery('')}`,
    expect: page('invalid_request', "The required parameter 'client_id' is missing."),
  },
  {
    label: 'RU-01 unknown client_id',
    query: `client_id=0oaunknown&${webQuery('')}`,
    expect: page('invalid_client', "Invalid value for 'client_id' parameter."),
  },
  {
    label: 'RU-01 deactivated client',
    client: 'inactive',
    query: webQuery(''),
    expect: page('invalid_client', "Invalid value for 'client_id' parameter."),
  },
  {
    label: 'RU-01 redirect_uri omitted (two registered)',
    client: 'web',
    query: 'response_type=code&scope=openid&state=s1',
    expect: page('invalid_request', /^The required parameter 'redirect_uri' is missing\./),
  },
  {
    label: 'RU-01 redirect_uri omitted (one registered)',
    client: 'spa',
    query: `response_type=code&scope=openid&code_challenge_method=S256&code_challenge=${CHALLENGE}`,
    expect: page('invalid_request', /^The required parameter 'redirect_uri' is missing\./),
  },
  {
    label: 'RU-01 unregistered redirect_uri',
    client: 'web',
    query: webQuery('').replace('app.example.com/cb', 'evil.example/cb'),
    expect: page('invalid_request', INVALID_REDIRECT),
  },
  {
    label: 'RU-12 client_id twice',
    client: 'web',
    query: `client_id=x&${webQuery('')}`,
    expect: page('invalid_request', REPEATED_PARAMETER_DESCRIPTION),
  },
  {
    label: 'RU-12 redirect_uri twice (same value)',
    client: 'web',
    query: webQuery('&redirect_uri=https://app.example.com/cb'),
    expect: page('invalid_request', REPEATED_PARAMETER_DESCRIPTION),
  },
  {
    label: 'RU-12 client_id in query and body',
    client: 'web',
    query: webQuery(''),
    body: 'client_id=x',
    expect: page('invalid_request', REPEATED_PARAMETER_DESCRIPTION),
  },
  ...['query', 'fragment', 'form_post', 'form_post.jwt', 'bogus'].map((mode) => ({
    label: `RU-10 invalid redirect_uri with response_mode=${mode}`,
    client: 'web' as const,
    query: webQuery(`&response_mode=${mode}`).replace('/cb&', '/cbx&'),
    expect: page('invalid_request', INVALID_REDIRECT),
  })),
];

describe('validateAuthorizationRequest: error pages and valid requests', () => {
  const harness = useValidationHarness(CASES);

  it('RU-01 an unregistered redirect_uri is described for the page', async () => {
    const result = await harness.validate(
      `client_id=${harness.apps.web.client.clientId}&${webQuery('').replace('/cb&', '/cb/&')}`,
    );
    assert.equal(result.kind, 'error-page');
    assert.ok(result.kind === 'error-page');
    assert.equal(result.client?.clientId, harness.apps.web.client.clientId);
    assert.deepEqual(result.mismatch, {
      received: 'https://app.example.com/cb/',
      registered: harness.apps.web.client.redirectUris,
      closest: 'https://app.example.com/cb',
      difference: 'They differ only by a trailing slash; redirect URIs must match exactly.',
    });
  });

  describe('valid requests', () => {
    it('binds every parameter the code will carry', async () => {
      const result = await harness.validate(
        `client_id=${harness.apps.native.client.clientId}&${nativeQuery('&nonce=n-1&prompt=login%20consent&max_age=300&login_hint=alice@example.com&extra=foobar&display=popup')}`.replace(
          '127.0.0.1/callback',
          '127.0.0.1:53219/callback',
        ),
      );
      assert.equal(result.kind, 'valid');
      assert.ok(result.kind === 'valid');
      assert.deepEqual(result.request, {
        serverId: 'default',
        clientId: harness.apps.native.client.clientId,
        redirectUri: 'http://127.0.0.1:53219/callback',
        responseMode: 'query',
        scopes: ['openid'],
        state: 's1',
        nonce: 'n-1',
        codeChallenge: CHALLENGE,
        codeChallengeMethod: 'S256',
        prompt: ['login', 'consent'],
        maxAge: 300,
        loginHint: 'alice@example.com',
      });
    });

    it('web-conf without PKCE, without state, response_mode=form_post, via the body', async () => {
      const result = await harness.validate(
        '',
        `client_id=${harness.apps.web.client.clientId}&${webQuery('&response_mode=form_post').replace('&state=s1', '')}`,
      );
      assert.ok(result.kind === 'valid');
      assert.equal(result.request.codeChallenge, undefined);
      assert.equal(result.request.state, undefined);
      assert.equal(result.request.responseMode, 'form_post');
    });

    it('RU-05 a registered query is part of the redirect URI', async () => {
      const result = await harness.validate(
        `client_id=${harness.apps.web.client.clientId}&${webQuery('').replace('cb&', `${encodeURIComponent('cb2?tenant=a')}&`)}`,
      );
      assert.ok(result.kind === 'valid');
      assert.equal(result.request.redirectUri, 'https://app.example.com/cb2?tenant=a');
    });
  });
});
