// RFC 6749 §2.3 (client authentication), §2.3.1 (client_secret_basic / client_secret_post), §3.2.1
// (public clients identify themselves with client_id), §5.2 (invalid_client, WWW-Authenticate); RFC 7521
// §4.2 and RFC 7523 §2.2 (private_key_jwt, in client-assertion.ts). The one place clients authenticate:
// token, introspection and revocation all come here.

import type { ClientRow, Store } from '../storage/store.ts';
import {
  type AssertionContext,
  assertionClientId,
  JWT_BEARER_ASSERTION,
  verifyClientAssertion,
} from './client-assertion.ts';
import { OAuthError } from './errors.ts';
import { type ParameterBag, REPEATED_PARAMETER_DESCRIPTION } from './params.ts';
import { matchesHash } from './random.ts';

export interface ClientCredentialsInput {
  /** The raw `Authorization` header, if any. */
  authorization: string | undefined;
  body: ParameterBag;
  query: URLSearchParams;
  /** Introspection and revocation also take a public client's `?client_id=` (OKTA-COMPAT §1.5, §1.6). */
  acceptClientIdInQuery?: boolean;
  /** What a private_key_jwt assertion is checked against; without it assertions are refused. */
  assertion?: AssertionContext | undefined;
}

export interface AuthenticatedClient {
  client: ClientRow;
  method: ClientRow['tokenEndpointAuthMethod'];
}

const CLIENT_ID = /^[\x21-\x7e]{1,255}$/;
const MULTIPLE_CREDENTIALS =
  'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.';
const AUTH_FAILED = 'Client authentication failed. Either the client or the client credentials are invalid.';

interface Presented {
  clientId: string;
  secret: string | undefined;
  via: 'basic' | 'body' | 'assertion';
  assertion?: string;
}

export async function authenticateClient(
  store: Pick<Store, 'clients' | 'clientAssertions'>,
  input: ClientCredentialsInput,
): Promise<AuthenticatedClient> {
  if (input.query.has('client_secret') || input.query.has('client_assertion')) {
    throw new OAuthError('invalid_request', 'Client credentials cannot be supplied via query parameters.');
  }
  const presented = readCredentials(input);
  // RFC 6749 §5.2: a failed Basic attempt is answered with a WWW-Authenticate challenge.
  const challenge = presented.via === 'basic' ? { 'WWW-Authenticate': 'Basic realm="Latchkey"' } : undefined;
  const fail = (description: string, cause: string): OAuthError =>
    new OAuthError('invalid_client', description, { cause, ...(challenge ? { headers: challenge } : {}) });

  if (!CLIENT_ID.test(presented.clientId)) {
    throw fail("Invalid value for 'client_id' parameter.", 'malformed client_id');
  }
  const client = await store.clients.get(presented.clientId);
  if (client === undefined) throw fail(AUTH_FAILED, `unknown client ${presented.clientId}`);
  if (client.status !== 'ACTIVE') throw fail(AUTH_FAILED, `client ${client.clientId} is deactivated`);

  if (presented.assertion !== undefined || client.tokenEndpointAuthMethod === 'private_key_jwt') {
    if (presented.assertion === undefined || client.tokenEndpointAuthMethod !== 'private_key_jwt') {
      throw fail(
        AUTH_FAILED,
        `client ${client.clientId} is registered for ${client.tokenEndpointAuthMethod}`,
      );
    }
    if (input.assertion === undefined) throw fail(AUTH_FAILED, 'client assertions are not accepted here');
    await verifyClientAssertion(store, input.assertion, client, presented.assertion);
    return { client, method: 'private_key_jwt' };
  }

  if (client.tokenEndpointAuthMethod === 'none') {
    if (presented.secret !== undefined) {
      throw fail(AUTH_FAILED, `public client ${client.clientId} sent a client secret`);
    }
    return { client, method: 'none' };
  }
  const expectedVia = client.tokenEndpointAuthMethod === 'client_secret_basic' ? 'basic' : 'body';
  if (presented.secret === undefined) {
    throw fail(AUTH_FAILED, `confidential client ${client.clientId} sent no secret`);
  }
  if (client.clientSecretHash === null || !matchesHash(presented.secret, client.clientSecretHash)) {
    throw fail(AUTH_FAILED, `wrong client secret for ${client.clientId}`);
  }
  // RFC 6749 §2.3.1: the server uses the method the client registered. The secret is checked first, so
  // only the app's holder learns how it is registered and how to change that.
  if (presented.via !== expectedVia) {
    throw fail(
      methodMismatch(client.clientId, client.tokenEndpointAuthMethod),
      `client ${client.clientId} is registered for ${client.tokenEndpointAuthMethod}`,
    );
  }
  return { client, method: client.tokenEndpointAuthMethod };
}

/** Says which method the app is registered for, how to send the secret that way, and how to change it. */
function methodMismatch(clientId: string, registered: 'client_secret_basic' | 'client_secret_post'): string {
  const [sent, how] =
    registered === 'client_secret_basic'
      ? ['client_secret_post', 'in the Authorization header (HTTP Basic)']
      : ['client_secret_basic', 'as client_id and client_secret in the request body'];
  return `Client authentication failed: the app is registered for ${registered}, so send the credentials ${how}, or change the app's Client authentication in the console (or run: latchkey apps update ${clientId} --auth-method ${sent}).`;
}

function readCredentials(input: ClientCredentialsInput): Presented {
  const bodyId = clientIdParameter(input);
  const bodySecret = input.body.get('client_secret');
  if (input.body.has('client_assertion') || input.body.has('client_assertion_type')) {
    return readAssertion(input, bodyId, bodySecret);
  }
  const basic = parseBasic(input.authorization);
  if (basic !== undefined) {
    // RFC 6749 §2.3: "MUST NOT use more than one authentication method in each request."
    if (
      bodySecret !== undefined ||
      (basic.secret !== undefined && bodyId !== undefined && bodyId !== basic.clientId)
    ) {
      throw new OAuthError('invalid_request', MULTIPLE_CREDENTIALS);
    }
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw new OAuthError(
        'invalid_request',
        "The 'client_id' in the body differs from the one in the Authorization header.",
      );
    }
    return { ...basic, via: 'basic' };
  }
  if (bodyId === undefined || bodyId === '') {
    throw new OAuthError('invalid_client', 'No client credentials found.');
  }
  return { clientId: bodyId, secret: bodySecret === '' ? undefined : bodySecret, via: 'body' };
}

/** RFC 7521 §4.2: `client_assertion` with its type; `client_id`, if sent, names the same client. */
function readAssertion(
  input: ClientCredentialsInput,
  bodyId: string | undefined,
  bodySecret: string | undefined,
): Presented {
  // RFC 6749 §2.3: "MUST NOT use more than one authentication method in each request."
  if (input.authorization !== undefined || bodySecret !== undefined) {
    throw new OAuthError('invalid_request', MULTIPLE_CREDENTIALS);
  }
  const assertion = input.body.get('client_assertion');
  if (assertion === undefined || assertion === '') {
    throw new OAuthError('invalid_client', "The 'client_assertion' parameter is missing.");
  }
  if (input.body.get('client_assertion_type') !== JWT_BEARER_ASSERTION) {
    throw new OAuthError(
      'invalid_client',
      `The 'client_assertion_type' must be ${JWT_BEARER_ASSERTION} (private_key_jwt).`,
    );
  }
  const clientId = assertionClientId(assertion);
  if (bodyId !== undefined && bodyId !== clientId) {
    throw new OAuthError(
      'invalid_client',
      "The 'client_id' differs from the client_assertion's 'sub'; send the same client_id in both, or leave client_id out.",
    );
  }
  return { clientId, secret: undefined, via: 'assertion', assertion };
}

/** `client_id` from the body or, where accepted, the query; a value in both places counts as repeated. */
function clientIdParameter(input: ClientCredentialsInput): string | undefined {
  const bodyId = input.body.get('client_id');
  const queryIds = input.acceptClientIdInQuery ? input.query.getAll('client_id') : [];
  if (queryIds.length === 0) return bodyId;
  // RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once."
  if (queryIds.length > 1 || bodyId !== undefined) {
    throw new OAuthError('invalid_request', REPEATED_PARAMETER_DESCRIPTION, { cause: 'repeated: client_id' });
  }
  return queryIds[0];
}

/**
 * `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). A public client may send
 * `base64(id)` or `base64(id:)`, as okta-auth-js does (OKTA-COMPAT §1.2).
 */
export function parseBasic(
  header: string | undefined,
): { clientId: string; secret: string | undefined } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  const malformed = new OAuthError(
    'invalid_client',
    'The Authorization header is not valid HTTP Basic credentials.',
    {
      headers: { 'WWW-Authenticate': 'Basic realm="Latchkey"' },
    },
  );
  if (!match?.[1]) throw malformed;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  try {
    const clientId = decodeURIComponent(
      (colon === -1 ? decoded : decoded.slice(0, colon)).replace(/\+/g, ' '),
    );
    const rawSecret = colon === -1 ? '' : decoded.slice(colon + 1);
    const secret = rawSecret === '' ? undefined : decodeURIComponent(rawSecret.replace(/\+/g, ' '));
    if (clientId === '') throw malformed;
    return { clientId, secret };
  } catch {
    throw malformed;
  }
}
