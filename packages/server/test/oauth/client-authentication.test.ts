// RFC 6749 §2.3 client authentication (oauth/client-authentication.ts) over a real SQLite store (TE-03,
// OKTA-COMPAT §1.2 and §1.5: public clients may send Basic base64(client_id) or base64(client_id:)).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/deps.ts';
import { authenticateClient, type ClientCredentialsInput } from '../../src/oauth/client-authentication.ts';
import { collectParameters } from '../../src/oauth/params.ts';
import { type CreatedApp, createApp } from '../../src/services/apps.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { assertRejectsOAuthError, type ExpectedOAuthError } from '../fixtures/assert-oauth-error.ts';

const AUTH_FAILED = 'Client authentication failed. Either the client or the client credentials are invalid.';
const BASIC_CHALLENGE = 'Basic realm="Latchkey"';

interface Clients {
  native: CreatedApp;
  basic: CreatedApp & { clientSecret: string };
  post: CreatedApp & { clientSecret: string };
  inactive: CreatedApp & { clientSecret: string };
}

function basic(user: string, password?: string): string {
  const pair = password === undefined ? user : `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

function input(options: { authorization?: string; body?: string; query?: string }): ClientCredentialsInput {
  return {
    authorization: options.authorization,
    body: collectParameters(new URLSearchParams(options.body ?? '')),
    query: new URLSearchParams(options.query ?? ''),
  };
}

describe('authenticateClient', () => {
  let store: Store;
  let apps: Clients;

  before(async () => {
    store = await openStore('sqlite::memory:');
    const deps = { store, clock: new ManualClock() };
    const web = (name: string, method: 'client_secret_basic' | 'client_secret_post') =>
      createApp(deps, {
        name,
        applicationType: 'web',
        redirectUris: ['https://app.example.com/cb'],
        tokenEndpointAuthMethod: method,
      }) as Promise<CreatedApp & { clientSecret: string }>;
    apps = {
      native: await createApp(deps, {
        name: 'Native',
        applicationType: 'native',
        redirectUris: ['com.example.app:/cb'],
      }),
      basic: await web('Basic', 'client_secret_basic'),
      post: await web('Post', 'client_secret_post'),
      inactive: await web('Inactive', 'client_secret_basic'),
    };
    await store.clients.update(apps.inactive.client.clientId, { status: 'INACTIVE' });
  });
  after(async () => store.close());

  describe('accepted', () => {
    const cases: [string, () => ClientCredentialsInput, () => { clientId: string; method: string }][] = [
      [
        'public client_id in the body',
        () => input({ body: `client_id=${apps.native.client.clientId}` }),
        () => ({ clientId: apps.native.client.clientId, method: 'none' }),
      ],
      [
        'public Basic base64(client_id) with no colon',
        () => input({ authorization: basic(apps.native.client.clientId) }),
        () => ({ clientId: apps.native.client.clientId, method: 'none' }),
      ],
      [
        'public Basic base64(client_id:)',
        () => input({ authorization: basic(apps.native.client.clientId, '') }),
        () => ({ clientId: apps.native.client.clientId, method: 'none' }),
      ],
      [
        'public Basic plus the same client_id in the body',
        () =>
          input({
            authorization: basic(apps.native.client.clientId),
            body: `client_id=${apps.native.client.clientId}`,
          }),
        () => ({ clientId: apps.native.client.clientId, method: 'none' }),
      ],
      [
        'client_secret_basic',
        () => input({ authorization: basic(apps.basic.client.clientId, apps.basic.clientSecret) }),
        () => ({ clientId: apps.basic.client.clientId, method: 'client_secret_basic' }),
      ],
      [
        'client_secret_basic, lower-case scheme name',
        () =>
          input({
            authorization: basic(apps.basic.client.clientId, apps.basic.clientSecret).replace(
              'Basic',
              'basic',
            ),
          }),
        () => ({ clientId: apps.basic.client.clientId, method: 'client_secret_basic' }),
      ],
      [
        'client_secret_post',
        () =>
          input({ body: `client_id=${apps.post.client.clientId}&client_secret=${apps.post.clientSecret}` }),
        () => ({ clientId: apps.post.client.clientId, method: 'client_secret_post' }),
      ],
    ];
    for (const [label, make, expected] of cases) {
      it(label, async () => {
        const result = await authenticateClient(store, make());
        assert.deepEqual({ clientId: result.client.clientId, method: result.method }, expected());
      });
    }
  });

  describe('TE-03 refused', () => {
    const failed = (
      description: string | RegExp,
      challenge: boolean,
    ): ExpectedOAuthError & { challenge: boolean } => ({
      error: 'invalid_client',
      status: 401,
      description,
      challenge,
    });
    const multiple = {
      error: 'invalid_request',
      status: 400,
      description:
        'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.',
      challenge: false,
    };
    const cases: [string, () => ClientCredentialsInput, ExpectedOAuthError & { challenge: boolean }][] = [
      ['no credentials at all', () => input({}), failed('No client credentials found.', false)],
      [
        'an empty client_id',
        () => input({ body: 'client_id=' }),
        failed('No client credentials found.', false),
      ],
      ['an unknown client', () => input({ body: 'client_id=0oaunknown' }), failed(AUTH_FAILED, false)],
      [
        'an unknown client via Basic',
        () => input({ authorization: basic('0oaunknown', 'secret') }),
        failed(AUTH_FAILED, true),
      ],
      [
        'a malformed client_id',
        () => input({ body: 'client_id=has%20space' }),
        failed("Invalid value for 'client_id' parameter.", false),
      ],
      [
        'a deactivated client',
        () => input({ authorization: basic(apps.inactive.client.clientId, apps.inactive.clientSecret) }),
        failed(AUTH_FAILED, true),
      ],
      [
        'a wrong secret',
        () => input({ authorization: basic(apps.basic.client.clientId, 'wrong-secret-0123456789') }),
        failed(AUTH_FAILED, true),
      ],
      [
        'a confidential client without a secret',
        () => input({ body: `client_id=${apps.basic.client.clientId}` }),
        failed(AUTH_FAILED, false),
      ],
      [
        'client_secret_post although registered for Basic',
        () =>
          input({ body: `client_id=${apps.basic.client.clientId}&client_secret=${apps.basic.clientSecret}` }),
        // Issue 12: the holder of the secret learns the registered method and how to change it.
        failed(
          /^Client authentication failed: the app is registered for client_secret_basic, so send the credentials in the Authorization header \(HTTP Basic\), or change the app's Client authentication in the console \(or run: latchkey apps update 0oa\w+ --auth-method client_secret_post\)\.$/,
          false,
        ),
      ],
      [
        'client_secret_post with a wrong secret, registered for Basic: the generic text',
        () =>
          input({ body: `client_id=${apps.basic.client.clientId}&client_secret=wrong-secret-0123456789` }),
        failed(AUTH_FAILED, false),
      ],
      [
        'Basic although registered for client_secret_post',
        () => input({ authorization: basic(apps.post.client.clientId, apps.post.clientSecret) }),
        failed(
          /^Client authentication failed: the app is registered for client_secret_post, so send the credentials as client_id and client_secret in the request body, or change .* --auth-method client_secret_basic\)\.$/,
          true,
        ),
      ],
      [
        'a public client sending a secret',
        () => input({ body: `client_id=${apps.native.client.clientId}&client_secret=anything` }),
        failed(AUTH_FAILED, false),
      ],
      [
        "a public client's secret via Basic",
        () => input({ authorization: basic(apps.native.client.clientId, 'anything') }),
        failed(AUTH_FAILED, true),
      ],
      [
        'the secret in both the Basic header and the body',
        () =>
          input({
            authorization: basic(apps.basic.client.clientId, apps.basic.clientSecret),
            body: `client_secret=${apps.basic.clientSecret}`,
          }),
        multiple,
      ],
      [
        'Basic for one client, client_id of another in the body',
        () =>
          input({
            authorization: basic(apps.basic.client.clientId, apps.basic.clientSecret),
            body: `client_id=${apps.native.client.clientId}`,
          }),
        multiple,
      ],
      [
        'the secret in the query string',
        () =>
          input({
            query: `client_secret=${apps.post.clientSecret}`,
            body: `client_id=${apps.post.client.clientId}`,
          }),
        {
          error: 'invalid_request',
          status: 400,
          description: 'Client credentials cannot be supplied via query parameters.',
          challenge: false,
        },
      ],
      [
        'a client_assertion of an unknown type',
        () => input({ body: 'client_assertion_type=x&client_assertion=y' }),
        failed(
          "The 'client_assertion_type' must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer (private_key_jwt).",
          false,
        ),
      ],
      [
        'a client_assertion that is not a JWT',
        () =>
          input({
            body: 'client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=y',
          }),
        failed('The client_assertion is not a signed JWT (header.payload.signature, base64url).', false),
      ],
      [
        'a client_assertion with a client secret too',
        () => input({ body: 'client_assertion=y&client_secret=s&client_id=x' }),
        multiple,
      ],
    ];
    for (const [label, make, expected] of cases) {
      it(label, async () => {
        const error = await assertRejectsOAuthError(authenticateClient(store, make()), expected);
        assert.equal(error.headers['WWW-Authenticate'], expected.challenge ? BASIC_CHALLENGE : undefined);
      });
    }
  });

  describe('TE-03 malformed Basic header', () => {
    for (const header of [
      'Basic',
      'Basic ',
      'Basic !!!',
      'Bearer abc',
      'Digest username="x"',
      `Basic ${Buffer.from(':secret').toString('base64')}`,
      `Basic ${Buffer.from('%zz:secret').toString('base64')}`,
      `Basic ${Buffer.from('client:%zz').toString('base64')}`,
    ]) {
      it(JSON.stringify(header), async () => {
        const error = await assertRejectsOAuthError(
          authenticateClient(store, input({ authorization: header })),
          {
            error: 'invalid_client',
            status: 401,
            description: 'The Authorization header is not valid HTTP Basic credentials.',
          },
        );
        assert.equal(error.headers['WWW-Authenticate'], BASIC_CHALLENGE);
      });
    }
  });
});
