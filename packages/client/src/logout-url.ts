// OpenID Connect RP-Initiated Logout 1.0 §2: the URL that ends the user's browser session at the server.
// It must be opened in the browser holding that session (the system browser for a native app).

import type { AuthorizationServerMetadata } from './discovery.ts';
import { requireEndpoint } from './internal/endpoint.ts';

/**
 * What {@link buildLogoutUrl} puts in the URL.
 *
 * @example
 * ```ts
 * const options: LogoutUrlOptions = { idTokenHint: tokens.idToken, clientId };
 * ```
 */
export interface LogoutUrlOptions {
  /** The last ID token; lets the server end the session without asking the user to confirm. */
  idTokenHint?: string | undefined;
  clientId?: string | undefined;
  /** A registered sign-out redirect URI; without it the server shows a "signed out" page. */
  postLogoutRedirectUri?: string | undefined;
  /** Echoed on the redirect to `postLogoutRedirectUri`. */
  state?: string | undefined;
}

/**
 * Builds the end-session URL from discovery's `end_session_endpoint`.
 *
 * @example
 * ```ts
 * import { buildLogoutUrl } from '@latchkey/client';
 *
 * const url = buildLogoutUrl(metadata, { idTokenHint: tokens.idToken, clientId });
 * // open `url` in the system browser
 * ```
 */
export function buildLogoutUrl(
  metadata: AuthorizationServerMetadata,
  options: LogoutUrlOptions = {},
): string {
  const url = new URL(requireEndpoint(metadata, 'end_session_endpoint'));
  const params: Record<string, string | undefined> = {
    id_token_hint: options.idTokenHint,
    client_id: options.clientId,
    post_logout_redirect_uri: options.postLogoutRedirectUri,
    state: options.state,
  };
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
