// OpenID Connect Discovery 1.0 §4: fetch `{issuer}/.well-known/openid-configuration` and check that the
// document names exactly that issuer (§4.3), the string every later `iss` comparison uses.

import { IssuerMismatchError, UnexpectedResponseError } from './errors.ts';
import { type HttpOptions, readJsonObject, send, throwForErrorResponse } from './internal/http.ts';

/**
 * The authorization server's metadata (OIDC Discovery §3, RFC 8414 §2), as the server sent it. The members
 * this package uses are typed; any others are kept.
 *
 * @example
 * ```ts
 * const metadata: AuthorizationServerMetadata = await discover(issuer);
 * console.log(metadata.token_endpoint);
 * ```
 */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  revocation_endpoint?: string;
  introspection_endpoint?: string;
  end_session_endpoint?: string;
  scopes_supported?: string[];
  code_challenge_methods_supported?: string[];
  id_token_signing_alg_values_supported?: string[];
  /** RFC 9207 §3: when true, every authorization response carries `iss`, and one without it is rejected. */
  authorization_response_iss_parameter_supported?: boolean;
  [member: string]: unknown;
}

const REQUIRED_ENDPOINTS = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const;

/**
 * Fetches and checks the discovery document of `issuer`.
 *
 * @param issuer - The issuer exactly as the server announces it, e.g. `http://localhost:8080/oauth2/default`
 *   (no trailing slash on Latchkey and Okta).
 * @throws {@link IssuerMismatchError} when the document names another issuer.
 * @throws {@link UnexpectedResponseError} for a missing document or missing endpoints.
 * @throws {@link NetworkError} when the server cannot be reached.
 *
 * @example
 * ```ts
 * import { discover } from '@latchkey/client';
 *
 * const metadata = await discover('http://localhost:8080/oauth2/default');
 * console.log(metadata.authorization_endpoint); // http://localhost:8080/oauth2/default/v1/authorize
 * ```
 */
export async function discover(
  issuer: string,
  options: HttpOptions = {},
): Promise<AuthorizationServerMetadata> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const response = await send(url, { headers: { accept: 'application/json' } }, options);
  if (response.status === 404) {
    throw new UnexpectedResponseError(
      url,
      404,
      `no discovery document here. Check the issuer: on Latchkey and Okta it looks like https://host/oauth2/default.`,
    );
  }
  await throwForErrorResponse(response, url, 'Discovery');
  const document = await readJsonObject(response, url);
  // §4.3: "The issuer value returned MUST be identical to the Issuer URL that was used as the prefix".
  if (document['issuer'] !== issuer) {
    throw new IssuerMismatchError(
      issuer,
      typeof document['issuer'] === 'string' ? document['issuer'] : null,
      `The discovery document at ${url}`,
    );
  }
  for (const name of REQUIRED_ENDPOINTS) {
    if (typeof document[name] !== 'string') {
      throw new UnexpectedResponseError(url, response.status, `the discovery document has no ${name}.`);
    }
  }
  return document as AuthorizationServerMetadata;
}
