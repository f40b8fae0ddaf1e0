// Optional endpoints (userinfo, revocation, logout) come from discovery; a server may not offer them.

import type { AuthorizationServerMetadata } from '../discovery.ts';
import { UnexpectedResponseError } from '../errors.ts';

/** The URL of an optional endpoint, or a clear error naming the missing metadata member. */
export function requireEndpoint(
  metadata: AuthorizationServerMetadata,
  name: 'userinfo_endpoint' | 'revocation_endpoint' | 'end_session_endpoint',
): string {
  const url = metadata[name];
  if (typeof url !== 'string') {
    throw new UnexpectedResponseError(
      `${metadata.issuer}/.well-known/openid-configuration`,
      200,
      `the server announces no ${name}, so this operation is not available on ${metadata.issuer}.`,
    );
  }
  return url;
}
