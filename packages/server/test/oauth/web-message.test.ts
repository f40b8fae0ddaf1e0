// okta_post_message and web_message (oauth/web-message.ts, draft-sakimura-oauth-wmrm-00): who may receive
// the message (the validated redirect URI's origin, WM-01), its shape for each mode, and which requests may
// use the modes at all (WM-03: not before the redirect URI is verified; not with a private-use scheme).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorResponse, successResponse } from '../../src/oauth/authorization-response.ts';
import { OAuthError } from '../../src/oauth/errors.ts';
import { buildWebMessage, webMessageTargetOrigin } from '../../src/oauth/web-message.ts';
import { nativeQuery, useValidationHarness, webQuery } from '../fixtures/authorize-validation.ts';

const ISSUER = 'https://idp.test/oauth2/default';

describe('web message response modes', () => {
  const harness = useValidationHarness([]);

  describe('WM-01 the target origin is the redirect URI origin, never "*"', () => {
    const cases: Array<[string, string]> = [
      ['https://app.example.com/cb', 'https://app.example.com'],
      ['https://app.example.com/cb2?tenant=a', 'https://app.example.com'],
      ['https://app.example.com:8443/a/b', 'https://app.example.com:8443'],
      ['http://localhost:8080/callback', 'http://localhost:8080'],
      ['http://127.0.0.1:53219/callback', 'http://127.0.0.1:53219'],
    ];
    for (const [redirectUri, origin] of cases) {
      it(`WM-01 ${redirectUri} -> ${origin}`, () => {
        assert.equal(webMessageTargetOrigin(redirectUri, 'okta_post_message'), origin);
      });
    }
    for (const redirectUri of ['com.example.app:/oauth2redirect', 'not a url']) {
      it(`WM-01 ${redirectUri}: no origin to post to, unsupported_response_mode`, () => {
        assert.throws(
          () => webMessageTargetOrigin(redirectUri, 'web_message'),
          (error: unknown) =>
            error instanceof OAuthError &&
            error.error === 'unsupported_response_mode' &&
            /needs an http or https redirect_uri/.test(error.description),
        );
      });
    }
  });

  describe('the message', () => {
    const target = { redirectUri: 'https://app.example.com/cb', state: 's1' };
    it("okta_post_message: {code, state, iss}, what okta-auth-js's listener reads", () => {
      const response = successResponse({ ...target, responseMode: 'okta_post_message' }, ISSUER, 'c0de');
      assert.deepEqual(buildWebMessage(response, 'okta_post_message'), {
        targetOrigin: 'https://app.example.com',
        data: { code: 'c0de', state: 's1', iss: ISSUER },
      });
    });
    it('okta_post_message error: {error, error_description, state, iss}', () => {
      const error = new OAuthError(
        'login_required',
        'The client specified not to prompt, but the user is not logged in.',
      );
      const response = errorResponse({ ...target, responseMode: 'okta_post_message' }, ISSUER, error);
      assert.deepEqual(buildWebMessage(response, 'okta_post_message').data, {
        error: 'login_required',
        error_description: 'The client specified not to prompt, but the user is not logged in.',
        state: 's1',
        iss: ISSUER,
      });
    });
    it('web_message: {type: "authorization_response", response: {...}} (wmrm §3.1); no state when none was sent', () => {
      const response = successResponse(
        { redirectUri: target.redirectUri, state: undefined, responseMode: 'web_message' },
        ISSUER,
        'c0de',
      );
      assert.deepEqual(buildWebMessage(response, 'web_message'), {
        targetOrigin: 'https://app.example.com',
        data: { type: 'authorization_response', response: { code: 'c0de', iss: ISSUER } },
      });
    });
  });

  describe('validateAuthorizationRequest', () => {
    for (const mode of ['okta_post_message', 'web_message']) {
      it(`response_mode=${mode} is accepted for an https redirect URI`, async () => {
        const result = await harness.validate(
          `client_id=${harness.apps.web.client.clientId}&${webQuery(`&response_mode=${mode}&prompt=none`)}`,
        );
        assert.ok(result.kind === 'valid', result.kind);
        assert.equal(result.request.responseMode, mode);
      });

      it(`${mode}: a later error goes back by message too`, async () => {
        const result = await harness.validate(
          `client_id=${harness.apps.web.client.clientId}&${webQuery(`&response_mode=${mode}`).replace('scope=openid', 'scope=openid%20admin')}`,
        );
        assert.ok(result.kind === 'error-redirect', result.kind);
        assert.equal(result.error.error, 'invalid_scope');
        assert.deepEqual(result.target, {
          redirectUri: 'https://app.example.com/cb',
          responseMode: mode,
          state: 's1',
        });
      });

      it(`WM-03 ${mode} with an unregistered redirect URI: the error page, never a message`, async () => {
        const result = await harness.validate(
          `client_id=${harness.apps.web.client.clientId}&${webQuery(`&response_mode=${mode}`).replace('app.example.com', 'evil.example')}`,
        );
        assert.equal(result.kind, 'error-page');
      });

      it(`WM-01 ${mode} with a private-use scheme: unsupported_response_mode, sent by query`, async () => {
        const result = await harness.validate(
          `client_id=${harness.apps.native.client.clientId}&${nativeQuery(`&response_mode=${mode}`).replace(
            'http://127.0.0.1/callback',
            'com.example.app:/oauth2redirect',
          )}`,
        );
        assert.ok(result.kind === 'error-redirect', result.kind);
        assert.equal(result.error.error, 'unsupported_response_mode');
        assert.deepEqual(result.target, {
          redirectUri: 'com.example.app:/oauth2redirect',
          responseMode: 'query',
          state: 's1',
        });
      });
    }
  });
});
