// The only registry of grant types: a Map from `grant_type` to its handler (RFC 6749 §4, §6). The token
// endpoint dispatches on it, discovery advertises it and app validation accepts exactly its types.

import type { ClientRow } from '../../storage/store.ts';
import { OAuthError } from '../errors.ts';
import { authorizationCodeGrant } from './authorization-code.ts';
import { clientCredentialsGrant } from './client-credentials.ts';
import type { GrantHandler } from './grant-handler.ts';
import { refreshTokenGrant } from './refresh-token.ts';

export const grantHandlers: ReadonlyMap<string, GrantHandler> = new Map(
  [authorizationCodeGrant, refreshTokenGrant, clientCredentialsGrant].map((handler) => [
    handler.grantType,
    handler,
  ]),
);

/** Every grant type served, in registration order (`grant_types_supported`, RFC 8414 §2). */
export const GRANT_TYPES: readonly string[] = [...grantHandlers.keys()];

const CONFIGURED_GRANTS = `[${GRANT_TYPES.join(', ')}]`;

/** A token request names its grant; checked before the client is authenticated, as Okta does. */
export function requireGrantType(grantType: string | undefined): string {
  if (grantType === undefined || grantType === '') {
    throw new OAuthError(
      'invalid_request',
      `The token request must specify a 'grant_type'. Valid values: ${CONFIGURED_GRANTS}`,
    );
  }
  return grantType;
}

/**
 * The handler of a token request's `grant_type`, for a client allowed to use it (RFC 6749 §5.2:
 * `invalid_request` without one, `unsupported_grant_type`, `unauthorized_client`; Okta's texts).
 */
export function selectGrant(client: Pick<ClientRow, 'grantTypes'>, grantType: string): GrantHandler {
  const handler = grantHandlers.get(grantType);
  if (handler === undefined) {
    throw new OAuthError(
      'unsupported_grant_type',
      `The authorization grant type is not supported by the authorization server. Configured grant types: ${CONFIGURED_GRANTS}.`,
    );
  }
  if (!client.grantTypes.includes(grantType)) {
    throw new OAuthError(
      'unauthorized_client',
      `The client is not authorized to use the provided grant type. Configured grant types: [${client.grantTypes.join(', ')}].`,
    );
  }
  return handler;
}
