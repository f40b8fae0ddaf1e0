// The authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1) with PKCE (RFC 7636 §4.3), a fresh
// `state` (RFC 6749 §10.12) and a fresh `nonce` (OIDC Core §15.5.2). What the app must keep until the
// callback comes back is returned alongside the URL.

import type { AuthorizationServerMetadata } from './discovery.ts';
import { LatchkeyClientError } from './errors.ts';
import { randomBase64Url } from './internal/random.ts';
import { generatePkce, type PkcePair } from './pkce.ts';

/**
 * What {@link createAuthorizationRequest} needs.
 *
 * @example
 * ```ts
 * const options: AuthorizationRequestOptions = {
 *   clientId: '0oa1ab2cd3EF4gh5i6j7',
 *   redirectUri: 'http://127.0.0.1:49152/callback',
 *   scopes: ['openid', 'profile', 'offline_access'],
 * };
 * ```
 */
export interface AuthorizationRequestOptions {
  clientId: string;
  /** A registered sign-in redirect URI (for a loopback one, any port when the app allows it). */
  redirectUri: string;
  /** Scopes to request; include `openid` for an ID token and `offline_access` for a refresh token. */
  scopes: readonly string[] | string;
  /** Defaults to 32 random bytes, base64url. */
  state?: string | undefined;
  /** Defaults to 32 random bytes, base64url. */
  nonce?: string | undefined;
  /** Defaults to a fresh pair from {@link generatePkce}. */
  pkce?: PkcePair | undefined;
  /** `login`, `consent`, `none`, … (OIDC Core §3.1.2.1). */
  prompt?: string | undefined;
  /** Pre-fills the username on the sign-in page. */
  loginHint?: string | undefined;
  /** Maximum seconds since the user last signed in; the ID token's `auth_time` is then checked. */
  maxAge?: number | undefined;
  /** Further parameters; they never replace the ones above. */
  extraParams?: Record<string, string> | undefined;
}

/**
 * A started sign-in: the URL to open and what the callback and the code exchange need. Keep it in memory
 * (or in storage only this app can read) until the callback arrives; `codeVerifier` is a secret.
 *
 * @example
 * ```ts
 * const request: AuthorizationRequest = await createAuthorizationRequest(metadata, options);
 * openBrowser(request.url);
 * ```
 */
export interface AuthorizationRequest {
  url: string;
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** The requested scopes, space-separated. */
  scope: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  maxAge: number | undefined;
  /** RFC 9207: the server announced that it always sends `iss` on the redirect, so it is required. */
  requireIssuerParameter: boolean;
}

/**
 * Builds the authorization URL with PKCE (S256), `state` and `nonce`.
 *
 * @throws {@link LatchkeyClientError} when the server does not support S256.
 *
 * @example
 * ```ts
 * import { createAuthorizationRequest, discover } from '@latchkey/client';
 *
 * const metadata = await discover('http://localhost:8080/oauth2/default');
 * const request = await createAuthorizationRequest(metadata, {
 *   clientId: '0oa1ab2cd3EF4gh5i6j7',
 *   redirectUri: 'http://127.0.0.1:49152/callback',
 *   scopes: ['openid', 'profile', 'email', 'offline_access'],
 * });
 * console.log(request.url); // …/v1/authorize?client_id=…&code_challenge_method=S256&…
 * ```
 */
export async function createAuthorizationRequest(
  metadata: AuthorizationServerMetadata,
  options: AuthorizationRequestOptions,
): Promise<AuthorizationRequest> {
  const methods = metadata.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes('S256')) {
    throw new LatchkeyClientError(
      `${metadata.issuer} does not list S256 in code_challenge_methods_supported, and this client uses only S256 PKCE (RFC 7636 §4.2). Enable S256 on the server.`,
    );
  }
  const pkce = options.pkce ?? (await generatePkce());
  const state = options.state ?? randomBase64Url(32);
  const nonce = options.nonce ?? randomBase64Url(32);
  const scope = typeof options.scopes === 'string' ? options.scopes : options.scopes.join(' ');
  const url = new URL(metadata.authorization_endpoint);
  const params: Record<string, string | undefined> = {
    ...options.extraParams,
    client_id: options.clientId,
    response_type: 'code',
    scope,
    redirect_uri: options.redirectUri,
    state,
    nonce,
    code_challenge_method: pkce.method,
    code_challenge: pkce.challenge,
    prompt: options.prompt,
    login_hint: options.loginHint,
    max_age: options.maxAge === undefined ? undefined : String(options.maxAge),
  };
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return {
    url: url.toString(),
    issuer: metadata.issuer,
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    scope,
    state,
    nonce,
    codeVerifier: pkce.verifier,
    maxAge: options.maxAge,
    requireIssuerParameter: metadata.authorization_response_iss_parameter_supported === true,
  };
}
