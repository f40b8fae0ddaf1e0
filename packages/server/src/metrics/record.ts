// Counting the outcomes of token, authorize and sign-in requests. Labels take only bounded values: a
// grant or response type we serve (else `other`), the client id of a registered client (else `unknown`,
// so random client_ids cannot mint series), and `success` or an OAuth error code (a fixed registry).
import type { AuthenticationResult } from '../accounts/authenticate.ts';
import type { OAuthError } from '../oauth/errors.ts';
import { GRANT_TYPES } from '../oauth/grants/index.ts';
import { type Metrics, UNKNOWN } from './metrics.ts';

const RESPONSE_TYPES: readonly string[] = ['code'];

/** Where a password was checked. */
export type SignInSurface = 'hosted' | 'console' | 'reauthentication';

const known = (value: string | undefined, served: readonly string[]): string =>
  value === undefined || value === '' ? 'none' : served.includes(value) ? value : 'other';

const outcomeOf = (error: OAuthError | undefined): string => (error === undefined ? 'success' : error.error);

export function countTokenRequest(
  metrics: Metrics,
  request: { grantType: string | undefined; clientId: string | undefined; error?: OAuthError },
): void {
  metrics.tokenGrants.inc({
    grant_type: known(request.grantType, GRANT_TYPES),
    client_id: request.clientId ?? UNKNOWN,
    outcome: outcomeOf(request.error),
  });
}

export function countAuthorization(
  metrics: Metrics,
  response: { responseType: string | undefined; clientId: string | undefined; error?: OAuthError },
): void {
  metrics.authorizations.inc({
    response_type: known(response.responseType, RESPONSE_TYPES),
    client_id: response.clientId ?? UNKNOWN,
    outcome: outcomeOf(response.error),
  });
}

/** Counts a failed sign-in, and a lockout when this attempt locked the account; a success is not counted. */
export function countSignIn(metrics: Metrics, surface: SignInSurface, result: AuthenticationResult): void {
  if (result.ok) return;
  metrics.signInFailures.inc({ surface, reason: result.failure });
  if (result.lockedNow) metrics.lockouts.inc({ surface });
}
