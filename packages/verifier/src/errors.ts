// Typed verification failures. An InvalidTokenError's message is safe to send to the API client (it goes
// into the RFC 6750 `error_description`); what only the operator should read is in `cause`.

import type { AccessTokenClaims } from './claims.ts';

/** Why a token was refused; each maps to RFC 6750 `invalid_token` (HTTP 401). */
export type InvalidTokenReason =
  | 'malformed'
  | 'wrong_algorithm'
  | 'unknown_kid'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'not_access_token'
  | 'client_not_allowed'
  | 'revoked';

const DESCRIPTIONS: Record<InvalidTokenReason, string> = {
  malformed: 'The access token is malformed.',
  wrong_algorithm: 'The access token is not signed with an accepted algorithm.',
  unknown_kid: 'The access token is signed with a key the authorization server does not publish.',
  bad_signature: 'The access token signature is invalid.',
  wrong_issuer: 'The access token was issued by another authorization server.',
  wrong_audience: 'The access token is not intended for this API (aud).',
  expired: 'The access token has expired.',
  not_yet_valid: 'The access token is not valid yet (iat or nbf is in the future).',
  not_access_token: 'The token is not an access token.',
  client_not_allowed: 'The access token was issued to a client this API does not accept.',
  revoked: 'The access token is no longer active.',
};

export class InvalidTokenError extends Error {
  /** The RFC 6750 error code. */
  readonly error = 'invalid_token';

  constructor(
    readonly reason: InvalidTokenReason,
    options: { description?: string; cause?: unknown } = {},
  ) {
    super(options.description ?? DESCRIPTIONS[reason], { cause: options.cause });
    this.name = 'InvalidTokenError';
  }
}

/** A valid token without every required scope: RFC 6750 `insufficient_scope` (HTTP 403). */
export class InsufficientScopeError extends Error {
  readonly error = 'insufficient_scope';

  constructor(
    readonly requiredScopes: readonly string[],
    readonly missingScopes: readonly string[],
    /** The verified claims, for logging who was refused. */
    readonly claims: AccessTokenClaims,
  ) {
    super(`The access token lacks the required scopes: ${missingScopes.join(' ')}.`);
    this.name = 'InsufficientScopeError';
  }
}

/**
 * The verifier could not reach what it needs to decide (our outage, not the client's fault): HTTP 503,
 * never 401, so clients keep their tokens. The message names the URL and the cause, for the operator.
 */
export class VerifierUnavailableError extends Error {
  constructor(
    readonly url: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'VerifierUnavailableError';
  }
}

/** The JWK Set could not be fetched (down, timed out, not 200, not a JWK Set) and no cached keys help. */
export class JwksUnavailableError extends VerifierUnavailableError {
  constructor(jwksUri: string, problem: string, options: { cause?: unknown } = {}) {
    super(jwksUri, `Could not load the JSON Web Key Set from ${jwksUri}: ${problem}`, options);
    this.name = 'JwksUnavailableError';
  }
}

/** The introspection endpoint did not give a usable answer (down, not 200, rejected our credentials). */
export class IntrospectionUnavailableError extends VerifierUnavailableError {
  constructor(endpoint: string, problem: string, options: { cause?: unknown } = {}) {
    super(endpoint, `Could not introspect the access token at ${endpoint}: ${problem}`, options);
    this.name = 'IntrospectionUnavailableError';
  }
}

/** A short description of a thrown value for error messages (fetch wraps the real cause one level down). */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${inner}`;
}
