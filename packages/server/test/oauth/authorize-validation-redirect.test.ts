// validateAuthorizationRequest (oauth/authorize.ts): once client and redirect URI are verified, every error
// is redirected with the exact {error, status} and Okta's description (OKTA-COMPAT §1.1, §3; RU-11, RU-12,
// RU-13, PK-01, PK-02).

import { describe } from 'node:test';
import { REPEATED_PARAMETER_DESCRIPTION } from '../../src/oauth/params.ts';
import {
  CHALLENGE,
  nativeQuery,
  redirect,
  useValidationHarness,
  type ValidationCase,
  webQuery,
} from '../fixtures/authorize-validation.ts';

const INVALID_SCOPE =
  'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.';

const CASES: ValidationCase[] = [
  {
    label: 'RU-11 response_type=token',
    client: 'web',
    query: webQuery('').replace('code', 'token'),
    expect: redirect(
      'unsupported_response_type',
      'The response type is not supported by the authorization server. Configured response types: [code].',
    ),
  },
  {
    label: 'RU-11 response_type=id_token token',
    client: 'web',
    query: webQuery('').replace('code', 'id_token%20token'),
    expect: redirect(
      'unsupported_response_type',
      'The response type is not supported by the authorization server. Configured response types: [code].',
    ),
  },
  {
    label: 'RU-11 response_type=code id_token',
    client: 'web',
    query: webQuery('').replace('code', 'code%20id_token'),
    expect: redirect('unsupported_response_type', /^The response type is not supported/),
  },
  {
    label: 'RU-11 response_type missing',
    client: 'web',
    query: webQuery('').replace('response_type=code&', ''),
    expect: redirect('invalid_request', "The required parameter 'response_type' is missing."),
  },
  {
    label: 'RU-11 scope=openid admin',
    client: 'web',
    query: webQuery('').replace('scope=openid', 'scope=openid%20admin'),
    expect: redirect('invalid_scope', new RegExp(`^${INVALID_SCOPE.replace(/\./g, '\\.')}`)),
  },
  {
    label: 'RU-11 scope missing',
    client: 'web',
    query: webQuery('').replace('scope=openid&', ''),
    expect: redirect('invalid_scope', 'No scopes were requested.'),
  },
  {
    label: 'RU-11 request=<jwt>',
    client: 'web',
    query: webQuery('&request=eyJhbGciOiJub25lIn0.e30.'),
    expect: redirect('request_not_supported', /'request' parameter/),
  },
  {
    label: 'RU-11 request_uri',
    client: 'web',
    query: webQuery('&request_uri=urn:ietf:params:oauth:request_uri:x'),
    expect: redirect('request_uri_not_supported', /'request_uri' parameter/),
  },
  ...['fragment', 'form_post.jwt', 'query.jwt', 'OKTA_POST_MESSAGE', 'bogus'].map((mode) => ({
    label: `RU-11 response_mode=${mode}`,
    client: 'web' as const,
    query: webQuery(`&response_mode=${mode}`),
    expect: redirect(
      'unsupported_response_mode',
      'The response mode is not supported by the authorization server. Valid response modes: [query, form_post, okta_post_message, web_message].',
    ),
  })),
  {
    label: 'RU-12 state twice (left out of the error)',
    client: 'web',
    query: webQuery('&state=s2'),
    expect: redirect('invalid_request', REPEATED_PARAMETER_DESCRIPTION, null),
  },
  {
    label: 'RU-12 scope twice',
    client: 'web',
    query: webQuery('&scope=openid'),
    expect: redirect('invalid_request', REPEATED_PARAMETER_DESCRIPTION),
  },
  {
    label: 'RU-12 code_challenge twice',
    client: 'native',
    query: nativeQuery(`&code_challenge=${CHALLENGE}`),
    expect: redirect('invalid_request', REPEATED_PARAMETER_DESCRIPTION),
  },
  {
    label: 'RU-12 unknown parameter twice',
    client: 'web',
    query: webQuery('&extra=1&extra=2'),
    expect: redirect('invalid_request', REPEATED_PARAMETER_DESCRIPTION),
  },
  {
    label: 'RU-12 scope in query and body',
    client: 'web',
    query: webQuery(''),
    body: 'scope=openid',
    expect: redirect('invalid_request', REPEATED_PARAMETER_DESCRIPTION),
  },
  {
    label: 'state with a control character',
    client: 'web',
    query: webQuery('').replace('state=s1', 'state=a%0Ab'),
    expect: redirect(
      'invalid_request',
      "The authentication request has an invalid 'state' parameter.",
      'a\nb',
    ),
  },
  {
    label: 'state longer than 4096',
    client: 'web',
    query: webQuery('').replace('state=s1', `state=${'s'.repeat(4097)}`),
    expect: redirect(
      'invalid_request',
      "The authentication request has an invalid 'state' parameter.",
      's'.repeat(4097),
    ),
  },
  {
    label: 'RU-13 nonce longer than 1024',
    client: 'web',
    query: webQuery(`&nonce=${'n'.repeat(1025)}`),
    expect: redirect('invalid_request', "The 'nonce' parameter is longer than 1024 characters."),
  },
  {
    label: 'PK-01 native-pub without code_challenge',
    client: 'native',
    query: nativeQuery('').replace(/&code_challenge=[^&]*/, ''),
    expect: redirect('invalid_request', 'PKCE code challenge is required by the application.'),
  },
  {
    label: 'PK-01 spa-pub without code_challenge',
    client: 'spa',
    query: 'response_type=code&scope=openid&redirect_uri=http://localhost:8080/callback&state=s1',
    expect: redirect('invalid_request', 'PKCE code challenge is required by the application.'),
  },
  {
    label: 'PK-01 confidential client requiring PKCE',
    client: 'webPkce',
    query: webQuery(''),
    expect: redirect('invalid_request', 'PKCE code challenge is required by the application.'),
  },
  {
    label: 'PK-02 code_challenge_method=plain',
    client: 'native',
    query: nativeQuery('').replace('S256', 'plain'),
    expect: redirect('invalid_request', 'PKCE code challenge method is not supported. Valid values: [S256]'),
  },
  {
    label: 'PK-02 code_challenge without method',
    client: 'native',
    query: nativeQuery('').replace('code_challenge_method=S256&', ''),
    expect: redirect('invalid_request', 'PKCE code challenge method is not supported. Valid values: [S256]'),
  },
  {
    label: 'PK-02 code_challenge with =',
    client: 'native',
    query: nativeQuery('=').replace(`${CHALLENGE}=`, `${CHALLENGE.slice(0, 42)}=`),
    expect: redirect('invalid_request', 'PKCE code challenge contains illegal characters.'),
  },
  {
    label: 'PK-02 code_challenge of 44 characters',
    client: 'native',
    query: nativeQuery('A'),
    expect: redirect('invalid_request', /^PKCE code challenge must be 43 characters/),
  },
  {
    label: 'code_challenge_method without code_challenge',
    client: 'web',
    query: webQuery('&code_challenge_method=S256'),
    expect: redirect(
      'invalid_request',
      "The 'code_challenge_method' parameter was sent without a 'code_challenge'.",
    ),
  },
  ...['bogus', 'none%20login', 'select_account'].map((prompt) => ({
    label: `prompt=${prompt}`,
    client: 'web' as const,
    query: webQuery(`&prompt=${prompt}`),
    expect: redirect(
      'invalid_request',
      "Invalid value for 'prompt' parameter. Supported values: [none, login, consent, login consent].",
    ),
  })),
  ...['-1', 'abc', '2147483648', '1.5'].map((maxAge) => ({
    label: `max_age=${maxAge}`,
    client: 'web' as const,
    query: webQuery(`&max_age=${maxAge}`),
    expect: redirect(
      'invalid_request',
      "Invalid value for 'max_age' parameter. It should be within range 0 - 2^31-1.",
    ),
  })),
  {
    label: 'prompt=none with max_age=0',
    client: 'web',
    query: webQuery('&prompt=none&max_age=0'),
    expect: redirect(
      'invalid_request',
      "'prompt' parameter must not have the value 'none' for request with 'zero' as max_age.",
    ),
  },
  {
    label: 'login_hint longer than 512',
    client: 'web',
    query: webQuery(`&login_hint=${'h'.repeat(513)}`),
    expect: redirect('invalid_request', "The 'login_hint' parameter is longer than 512 characters."),
  },
];

describe('validateAuthorizationRequest: redirected errors', () => {
  useValidationHarness(CASES);
});
