// OIDC Core §5.3: the UserInfo endpoint with a bearer token (RFC 6750 §2.1). Errors arrive in
// WWW-Authenticate (RFC 6750 §3); §5.3.2 requires the response's `sub` to equal the ID token's.

import type { AuthorizationServerMetadata } from './discovery.ts';
import { LatchkeyClientError, OAuthResponseError } from './errors.ts';
import { requireEndpoint } from './internal/endpoint.ts';
import { type HttpOptions, readJsonObject, send, throwForErrorResponse } from './internal/http.ts';

/**
 * Claims about the signed-in user (OIDC Core §5.1); which ones depends on the granted scopes.
 *
 * @example
 * ```ts
 * const user: UserInfo = await fetchUserInfo(metadata, tokens.accessToken);
 * console.log(user.name, user.email);
 * ```
 */
export interface UserInfo {
  sub: string;
  name?: string;
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
  [claim: string]: unknown;
}

/**
 * Fetches the user's claims with an access token.
 *
 * @param options.expectedSubject - The ID token's `sub`; a response about another user is rejected.
 * @throws {@link OAuthResponseError} `invalid_token` (refresh the access token or sign in again) or
 *   `insufficient_scope`.
 *
 * @example
 * ```ts
 * import { fetchUserInfo } from '@latchkey/client';
 *
 * const user = await fetchUserInfo(metadata, tokens.accessToken, { expectedSubject: claims.sub });
 * ```
 */
export async function fetchUserInfo(
  metadata: AuthorizationServerMetadata,
  accessToken: string,
  options: HttpOptions & { expectedSubject?: string | undefined } = {},
): Promise<UserInfo> {
  const url = requireEndpoint(metadata, 'userinfo_endpoint');
  const response = await send(
    url,
    { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } },
    options,
  );
  const challenge = response.headers.get('www-authenticate');
  if (!response.ok && challenge !== null) {
    const error = authParam(challenge, 'error');
    if (error !== undefined) {
      throw new OAuthResponseError(
        { error, errorDescription: authParam(challenge, 'error_description') },
        { status: response.status, operation: 'Fetching the user info' },
      );
    }
  }
  await throwForErrorResponse(response, url, 'Fetching the user info');
  const claims = await readJsonObject(response, url);
  if (typeof claims['sub'] !== 'string') {
    throw new LatchkeyClientError(`${url} answered without a sub claim (OIDC Core §5.3.2).`);
  }
  if (options.expectedSubject !== undefined && claims['sub'] !== options.expectedSubject) {
    // §5.3.2: "If they do not match, the UserInfo Response values MUST NOT be used."
    throw new LatchkeyClientError(
      `${url} described another user (sub ${claims['sub']}) than the ID token (sub ${options.expectedSubject}). The response was not used; sign in again.`,
    );
  }
  return claims as UserInfo;
}

/** One `name="value"` parameter of a WWW-Authenticate challenge (RFC 7235 §2.1, quoted-string). */
function authParam(header: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|[\\s,])${name}="((?:[^"\\\\]|\\\\.)*)"`).exec(header);
  return match?.[1]?.replace(/\\(.)/g, '$1');
}
