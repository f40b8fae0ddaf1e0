// RFC 7009 token revocation for a public client (`client_id` in the body, §2.1). The server answers 200 for
// any token, valid or not (§2.2), so success says only that the token is unusable now.

import type { AuthorizationServerMetadata } from './discovery.ts';
import { requireEndpoint } from './internal/endpoint.ts';
import { type HttpOptions, postForm, throwForErrorResponse } from './internal/http.ts';

/**
 * Revokes a refresh token (which also ends the access tokens minted from it, on Latchkey and Okta) or an
 * access token.
 *
 * @throws {@link OAuthResponseError} e.g. `invalid_client` for an unknown client id.
 *
 * @example
 * ```ts
 * import { revokeToken } from '@latchkey/client';
 *
 * await revokeToken(metadata, { clientId, token: tokens.refreshToken!, tokenTypeHint: 'refresh_token' });
 * ```
 */
export async function revokeToken(
  metadata: AuthorizationServerMetadata,
  request: { clientId: string; token: string; tokenTypeHint?: 'access_token' | 'refresh_token' | undefined },
  options: HttpOptions = {},
): Promise<void> {
  const url = requireEndpoint(metadata, 'revocation_endpoint');
  const response = await postForm(
    url,
    { token: request.token, token_type_hint: request.tokenTypeHint, client_id: request.clientId },
    options,
  );
  await throwForErrorResponse(response, url, 'Revoking the token');
  await response.body?.cancel();
}
