// The token endpoint (RFC 6749 §3.2) for a public client (token_endpoint_auth_method none, `client_id` in
// the body): the code exchange with the PKCE verifier (§4.1.3, RFC 7636 §4.5) and the refresh (§6) share
// one request and one response parser (§5.1, §5.2).

import type { AuthorizationServerMetadata } from './discovery.ts';
import { UnexpectedResponseError } from './errors.ts';
import {
  type HttpOptions,
  postForm,
  readJsonObject,
  stringMember,
  throwForErrorResponse,
} from './internal/http.ts';

/**
 * Tokens from the token endpoint, in a shape that survives JSON (for a {@link TokenStore}).
 *
 * @example
 * ```ts
 * const tokens: TokenSet = await exchangeCode(metadata, { clientId, code, redirectUri, codeVerifier });
 * fetch(apiUrl, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
 * ```
 */
export interface TokenSet {
  accessToken: string;
  /** `Bearer`. */
  tokenType: string;
  /** When the access token expires, in seconds since the epoch (from `expires_in`); undefined if not sent. */
  expiresAt?: number | undefined;
  /** The granted scopes, space-separated. */
  scope?: string | undefined;
  idToken?: string | undefined;
  refreshToken?: string | undefined;
}

/**
 * Options of the token requests: transport plus the clock used for `expiresAt`.
 *
 * @example
 * ```ts
 * const options: TokenRequestOptions = { now: () => Date.now(), signal: AbortSignal.timeout(10_000) };
 * ```
 */
export interface TokenRequestOptions extends HttpOptions {
  /** Milliseconds since the epoch; defaults to Date.now. */
  now?: (() => number) | undefined;
}

/**
 * Sends any grant to the token endpoint and parses the response. {@link exchangeCode} and
 * {@link refreshTokens} are this with their parameters.
 *
 * @throws {@link OAuthResponseError} with the server's `error` and `error_description`.
 *
 * @example
 * ```ts
 * const tokens = await requestTokens(metadata, {
 *   grant_type: 'refresh_token',
 *   client_id: clientId,
 *   refresh_token: refreshToken,
 * });
 * ```
 */
export async function requestTokens(
  metadata: AuthorizationServerMetadata,
  form: Record<string, string | undefined>,
  options: TokenRequestOptions = {},
): Promise<TokenSet> {
  const url = metadata.token_endpoint;
  const operation = form['grant_type'] === 'refresh_token' ? 'Refreshing the tokens' : 'The code exchange';
  const response = await postForm(url, form, options);
  await throwForErrorResponse(response, url, operation);
  const body = await readJsonObject(response, url);
  const accessToken = stringMember(body, 'access_token');
  const tokenType = stringMember(body, 'token_type');
  if (accessToken === undefined || tokenType === undefined) {
    throw new UnexpectedResponseError(
      url,
      response.status,
      'the token response lacks access_token or token_type.',
    );
  }
  const expiresIn = body['expires_in'];
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  return {
    accessToken,
    tokenType,
    expiresAt: typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? now + expiresIn : undefined,
    scope: stringMember(body, 'scope'),
    idToken: stringMember(body, 'id_token'),
    refreshToken: stringMember(body, 'refresh_token'),
  };
}

/**
 * Exchanges an authorization code for tokens, proving possession of the PKCE verifier.
 *
 * @example
 * ```ts
 * import { exchangeCode, parseCallback } from '@latchkey/client';
 *
 * const { code } = parseCallback(callbackUrl, request);
 * const tokens = await exchangeCode(metadata, {
 *   clientId: request.clientId,
 *   code,
 *   redirectUri: request.redirectUri,
 *   codeVerifier: request.codeVerifier,
 * });
 * ```
 */
export function exchangeCode(
  metadata: AuthorizationServerMetadata,
  grant: { clientId: string; code: string; redirectUri: string; codeVerifier: string },
  options: TokenRequestOptions = {},
): Promise<TokenSet> {
  return requestTokens(
    metadata,
    {
      grant_type: 'authorization_code',
      client_id: grant.clientId,
      code: grant.code,
      // RFC 6749 §4.1.3: byte-equal to the value sent to /authorize.
      redirect_uri: grant.redirectUri,
      code_verifier: grant.codeVerifier,
    },
    options,
  );
}

/**
 * Gets a new access token (and ID token) with a refresh token. When the server keeps the refresh token
 * (no `refresh_token` in the response, RFC 6749 §6), the one sent is kept in the result.
 *
 * @throws {@link OAuthResponseError} `invalid_grant` when the refresh token is revoked or expired: sign in again.
 *
 * @example
 * ```ts
 * import { refreshTokens } from '@latchkey/client';
 *
 * const fresh = await refreshTokens(metadata, { clientId, refreshToken: tokens.refreshToken! });
 * ```
 */
export async function refreshTokens(
  metadata: AuthorizationServerMetadata,
  grant: { clientId: string; refreshToken: string; scope?: string | undefined },
  options: TokenRequestOptions = {},
): Promise<TokenSet> {
  const tokens = await requestTokens(
    metadata,
    {
      grant_type: 'refresh_token',
      client_id: grant.clientId,
      refresh_token: grant.refreshToken,
      scope: grant.scope,
    },
    options,
  );
  return { ...tokens, refreshToken: tokens.refreshToken ?? grant.refreshToken };
}
