// RFC 6749 §4.1.2.1 and §5.2 error codes, OIDC Core §3.1.2.6, RFC 6750 §3.1.
// `description` goes to the client and says what to fix; `cause` is logged, never sent.

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'unsupported_response_mode'
  | 'invalid_scope'
  /** RFC 8707 §2: the requested resource is invalid, missing, unknown, or malformed. */
  | 'invalid_target'
  | 'access_denied'
  | 'login_required'
  /** Okta's code when a logout `id_token_hint` names another user than the session (OKTA-COMPAT §1.7). */
  | 'id_token_does_not_match_session'
  | 'consent_required'
  | 'interaction_required'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'temporarily_unavailable'
  | 'server_error';

export interface OAuthErrorOptions {
  status?: number;
  uri?: string;
  cause?: unknown;
  /** Extra response headers, e.g. `WWW-Authenticate` after a Basic attempt (RFC 6749 §5.2). */
  headers?: Record<string, string>;
}

export class OAuthError extends Error {
  readonly status: number;
  readonly uri: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    options: OAuthErrorOptions = {},
  ) {
    super(`${error}: ${description}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OAuthError';
    this.status = options.status ?? defaultStatus(error);
    this.uri = options.uri;
    this.headers = options.headers ?? {};
  }
}

function defaultStatus(error: OAuthErrorCode): number {
  switch (error) {
    case 'invalid_client':
    case 'invalid_token':
      return 401;
    case 'insufficient_scope':
      return 403;
    case 'temporarily_unavailable':
      return 503;
    case 'server_error':
      return 500;
    default:
      return 400;
  }
}

export const SERVER_ERROR_DESCRIPTION =
  'The authorization server encountered an unexpected condition that prevented it from fulfilling the request.';
