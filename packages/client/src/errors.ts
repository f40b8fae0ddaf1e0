// Typed errors of @latchkey/client. Every message says what went wrong and what to do about it, so an app
// can show `error.message` as it is; the fields let code branch without parsing text.

/**
 * The base class of every error this package throws.
 *
 * @example
 * ```ts
 * try {
 *   await refreshTokens(metadata, { clientId, refreshToken });
 * } catch (error) {
 *   if (error instanceof LatchkeyClientError) console.error(error.message);
 *   else throw error;
 * }
 * ```
 */
export class LatchkeyClientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The authorization server answered with an OAuth error (`error` and `error_description`, RFC 6749 §4.1.2.1,
 * §5.2; RFC 6750 §3), on the redirect or from an endpoint.
 *
 * @example
 * ```ts
 * try {
 *   await refreshTokens(metadata, { clientId, refreshToken });
 * } catch (error) {
 *   if (error instanceof OAuthResponseError && error.error === 'invalid_grant') {
 *     // The refresh token is revoked or expired: sign in again.
 *   }
 * }
 * ```
 */
export class OAuthResponseError extends LatchkeyClientError {
  /** The error code, e.g. `invalid_grant`, `access_denied`. */
  readonly error: string;
  /** The server's explanation, when it sent one. */
  readonly errorDescription: string | undefined;
  /** `error_uri`, when the server sent one. */
  readonly errorUri: string | undefined;
  /** The HTTP status; undefined for an error on the authorization redirect. */
  readonly status: number | undefined;

  constructor(
    details: { error: string; errorDescription?: string | undefined; errorUri?: string | undefined },
    context: { status?: number | undefined; operation: string },
  ) {
    const description = details.errorDescription ?? 'no description was given';
    super(`${context.operation} failed: ${details.error}: ${description}${hintFor(details.error)}`);
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.errorUri = details.errorUri;
    this.status = context.status;
  }
}

function hintFor(error: string): string {
  switch (error) {
    case 'invalid_grant':
      return ' Sign in again to get new tokens.';
    case 'invalid_token':
      return ' The access token is no longer accepted: refresh it or sign in again.';
    case 'invalid_client':
      return ' Check the client id the app is configured with, and that the app is registered on this issuer.';
    case 'access_denied':
      return ' The user or the server declined the request; sign in again, or ask an administrator for access.';
    default:
      return '';
  }
}

/**
 * The `state` on the redirect is not the one this sign-in sent (RFC 6749 §10.12): the response belongs to
 * another sign-in (an old browser tab) or was forged. Nothing from it may be used.
 *
 * @example
 * ```ts
 * try {
 *   parseCallback(callbackUrl, request);
 * } catch (error) {
 *   if (error instanceof StateMismatchError) showMessage('Please start the sign-in again.');
 * }
 * ```
 */
export class StateMismatchError extends LatchkeyClientError {
  constructor(received: string | null) {
    super(
      received === null
        ? 'The sign-in response has no state parameter, so it cannot be matched to the sign-in this app started. Start the sign-in again.'
        : 'The sign-in response carries a different state than the sign-in this app started: it comes from an older sign-in (another browser tab) or was forged. Start the sign-in again, and finish it in the browser window it opens.',
    );
  }
}

/**
 * A response names another issuer than the one the app is configured with: a discovery document whose
 * `issuer` differs (OIDC Discovery §4.3), or an `iss` on the redirect that differs (RFC 9207 §2.4, mix-up
 * attacks).
 *
 * @example
 * ```ts
 * try {
 *   await discover('https://id.example.com/oauth2/default');
 * } catch (error) {
 *   if (error instanceof IssuerMismatchError) console.error(error.expected, error.received);
 * }
 * ```
 */
export class IssuerMismatchError extends LatchkeyClientError {
  readonly expected: string;
  readonly received: string | null;

  constructor(expected: string, received: string | null, where: string) {
    super(
      received === null
        ? `${where} has no issuer, but ${expected} announces that it always sends one (RFC 9207). The response did not come from ${expected}; start the sign-in again.`
        : `${where} names the issuer ${received}, but the app is configured with ${expected}. The strings must be identical (no trailing slash, same scheme, host and port): set the app's issuer to exactly ${received} if that is the right server.`,
    );
    this.expected = expected;
    this.received = received;
  }
}

/**
 * Why an ID token was rejected; see {@link IdTokenValidationError}.
 *
 * @example
 * ```ts
 * const clockProblem = (reason: IdTokenFailureReason) => reason === 'expired' || reason === 'issued_in_future';
 * ```
 */
export type IdTokenFailureReason =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'invalid_signature'
  | 'issuer_mismatch'
  | 'audience_mismatch'
  | 'expired'
  | 'issued_in_future'
  | 'nonce_mismatch'
  | 'at_hash_mismatch'
  | 'auth_time_too_old'
  | 'subject_mismatch'
  | 'missing_claim';

/**
 * An ID token failed validation (OIDC Core §3.1.3.7). `reason` says which check; the message says what to
 * do, including a hint to fix the device clock when `exp` or `iat` are off by more than the allowed skew.
 *
 * @example
 * ```ts
 * try {
 *   await validateIdToken(tokens.idToken, { metadata, clientId, nonce: request.nonce });
 * } catch (error) {
 *   if (error instanceof IdTokenValidationError && error.reason === 'expired') console.error(error.message);
 * }
 * ```
 */
export class IdTokenValidationError extends LatchkeyClientError {
  readonly reason: IdTokenFailureReason;

  constructor(reason: IdTokenFailureReason, message: string) {
    super(`The ID token was rejected (${reason}): ${message}`);
    this.reason = reason;
  }
}

/**
 * A server answered something that is not a valid protocol response: an unexpected status, or a body
 * that is not the JSON the specification requires.
 *
 * @example
 * ```ts
 * try {
 *   await discover(issuer);
 * } catch (error) {
 *   if (error instanceof UnexpectedResponseError) console.error(error.status, error.url);
 * }
 * ```
 */
export class UnexpectedResponseError extends LatchkeyClientError {
  readonly status: number;
  readonly url: string;

  constructor(url: string, status: number, problem: string) {
    super(`${url} answered HTTP ${status}: ${problem}`);
    this.url = url;
    this.status = status;
  }
}

/**
 * A server could not be reached at all (DNS, refused connection, TLS, abort).
 *
 * @example
 * ```ts
 * try {
 *   await discover('http://localhost:8080/oauth2/default');
 * } catch (error) {
 *   if (error instanceof NetworkError) console.error('Is Latchkey running?', error.url);
 * }
 * ```
 */
export class NetworkError extends LatchkeyClientError {
  readonly url: string;

  constructor(url: string, cause: unknown) {
    const detail = cause instanceof Error ? describeCause(cause) : String(cause);
    super(`Could not reach ${url}: ${detail}. Check that the server is running and that the URL is right.`, {
      cause,
    });
    this.url = url;
  }
}

/** fetch's TypeError says only "fetch failed"; the useful part (ECONNREFUSED, …) is in its cause. */
function describeCause(error: Error): string {
  const inner = error.cause;
  if (inner instanceof Error) {
    const code = (inner as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${error.message} (${code})` : `${error.message} (${inner.message})`;
  }
  return error.message;
}
