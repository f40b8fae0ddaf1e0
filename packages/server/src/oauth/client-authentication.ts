// RFC 6749 §2.3 (client authentication), §2.3.1 (client_secret_basic / client_secret_post), §3.2.1
// (public clients identify themselves with client_id), §5.2 (invalid_client, WWW-Authenticate).

import type { ClientRow, Store } from '../storage/store.ts';
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
}

export interface AuthenticatedClient {
  client: ClientRow;
  method: ClientRow['tokenEndpointAuthMethod'];
}

const CLIENT_ID = /^[\x21-\x7e]{1,255}$/;
const AUTH_FAILED = 'Client authentication failed. Either the client or the client credentials are invalid.';

interface Presented {
  clientId: string;
  secret: string | undefined;
  via: 'basic' | 'body';
}

export async function authenticateClient(
  store: Pick<Store, 'clients'>,
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

  if (client.tokenEndpointAuthMethod === 'private_key_jwt') {
    // RFC 7523 §2.2 assertions are not verified yet: refuse clearly rather than accept an unauthenticated call.
    throw fail(
      'The client authenticates with private_key_jwt, which this server does not support yet; use token_endpoint_auth_method none with PKCE.',
      `client ${client.clientId} uses private_key_jwt`,
    );
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
  if (presented.via !== expectedVia) {
    throw fail(AUTH_FAILED, `client ${client.clientId} is registered for ${client.tokenEndpointAuthMethod}`);
  }
  if (client.clientSecretHash === null || !matchesHash(presented.secret, client.clientSecretHash)) {
    throw fail(AUTH_FAILED, `wrong client secret for ${client.clientId}`);
  }
  return { client, method: client.tokenEndpointAuthMethod };
}

function readCredentials(input: ClientCredentialsInput): Presented {
  const bodyId = clientIdParameter(input);
  const bodySecret = input.body.get('client_secret');
  if (input.body.has('client_assertion')) {
    throw new OAuthError(
      'invalid_client',
      'Client assertions (private_key_jwt, client_secret_jwt) are not supported.',
    );
  }
  const basic = parseBasic(input.authorization);
  if (basic !== undefined) {
    // RFC 6749 §2.3: "MUST NOT use more than one authentication method in each request."
    if (
      bodySecret !== undefined ||
      (basic.secret !== undefined && bodyId !== undefined && bodyId !== basic.clientId)
    ) {
      throw new OAuthError(
        'invalid_request',
        'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.',
      );
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
