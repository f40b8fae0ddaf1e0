// The authorization response (RFC 6749 §4.1.2, §4.1.2.1) read the safe way round: first `iss`
// (RFC 9207 §2.4), then `state` (RFC 6749 §10.12), and only then `error` or `code`. A response that fails
// the first two checks is not ours, so even its error is not reported as the server's.

import type { AuthorizationRequest } from './authorization-url.ts';
import {
  IssuerMismatchError,
  LatchkeyClientError,
  OAuthResponseError,
  StateMismatchError,
} from './errors.ts';

/**
 * A successful authorization response.
 *
 * @example
 * ```ts
 * const { code }: AuthorizationResponse = parseCallback(callbackUrl, request);
 * ```
 */
export interface AuthorizationResponse {
  code: string;
  state: string;
}

/**
 * Checks the redirect the browser delivered and returns the authorization code.
 *
 * @param callbackUrl - The full redirect URL, e.g. `http://127.0.0.1:49152/callback?code=…&state=…&iss=…`.
 * @param request - The request this sign-in started: its `state`, `issuer` and whether `iss` is required.
 * @throws {@link IssuerMismatchError} when `iss` differs from the issuer, or is missing while required.
 * @throws {@link StateMismatchError} when `state` is missing or differs.
 * @throws {@link OAuthResponseError} for an error response (`error`, `error_description`).
 *
 * @example
 * ```ts
 * import { parseCallback, OAuthResponseError } from '@latchkey/client';
 *
 * try {
 *   const { code } = parseCallback(callbackUrl, request);
 * } catch (error) {
 *   if (error instanceof OAuthResponseError) console.error(error.errorDescription);
 * }
 * ```
 */
export function parseCallback(
  callbackUrl: string | URL,
  request: Pick<AuthorizationRequest, 'state' | 'issuer' | 'requireIssuerParameter'>,
): AuthorizationResponse {
  const url = new URL(callbackUrl);
  // Response parameters come in the query (response_mode=query, the default); a fragment would be ignored.
  const params = url.searchParams;
  const iss = params.get('iss');
  if (iss !== null ? iss !== request.issuer : request.requireIssuerParameter) {
    throw new IssuerMismatchError(request.issuer, iss, 'The sign-in response');
  }
  const state = params.get('state');
  if (state !== request.state) throw new StateMismatchError(state);
  const error = params.get('error');
  if (error !== null) {
    throw new OAuthResponseError(
      {
        error,
        errorDescription: params.get('error_description') ?? undefined,
        errorUri: params.get('error_uri') ?? undefined,
      },
      { operation: 'Sign-in' },
    );
  }
  const code = params.get('code');
  if (code === null || code === '') {
    throw new LatchkeyClientError(
      `The sign-in response at ${url.origin}${url.pathname} has neither a code nor an error. Start the sign-in again.`,
    );
  }
  return { code, state };
}
