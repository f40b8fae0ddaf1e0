// RFC 7523 §2.2 and §3 (JWT client assertions), RFC 7521 §4.2 (client_assertion, client_assertion_type),
// OIDC Core §9 (private_key_jwt). Every refusal is `invalid_client` (RFC 7521 §4.2.1) and says what to fix.

import { decodeJwt, errors, jwtVerify } from 'jose';
import type { Clock } from '../deps.ts';
import type { ClientRow, Store } from '../storage/store.ts';
import type { ClientKeySets } from './client-key-sets.ts';
import { OAuthError } from './errors.ts';
import { sha256Hex } from './random.ts';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Asymmetric only: `none` and HMAC (client_secret_jwt, not built) are refused. */
export const ASSERTION_SIGNING_ALGS = ['RS256', 'PS256', 'ES256'] as const;
/** An assertion may live at most this long: its `jti` is kept until `exp` (our decision, as Okta's 1 h). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 3600;
/** Clock skew allowed on `exp`, `nbf` and `iat`: clients' clocks differ from ours. */
const SKEW_SECONDS = 30;
const MAX_JTI_LENGTH = 512;

export interface AssertionContext {
  clock: Clock;
  keySets: ClientKeySets;
  /**
   * Accepted `aud` values (RFC 7523 §3 item 3: "a value that identifies the authorization server"): the
   * token endpoint URL (RFC 7523, OIDC Core §9, Okta), the URL of the endpoint called (Okta, for
   * introspection and revocation) and the issuer identifier (what oauth4webapi and openid-client send).
   */
  audiences: readonly string[];
}

const refuse = (description: string, cause?: string): OAuthError =>
  new OAuthError('invalid_client', description, cause === undefined ? {} : { cause });

/** The client an assertion names (RFC 7523 §3 items 1-2: `iss` and `sub` are both its client_id). */
export function assertionClientId(assertion: string): string {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw refuse('The client_assertion is not a signed JWT (header.payload.signature, base64url).');
  }
  if (typeof claims.sub !== 'string' || claims.sub === '' || claims.iss !== claims.sub) {
    throw refuse("The client_assertion must have 'iss' and 'sub' both equal to the client_id.");
  }
  return claims.sub;
}

/** Verifies a private_key_jwt assertion of `client` and records its `jti` (RFC 7523 §3 item 7). */
export async function verifyClientAssertion(
  store: Pick<Store, 'clientAssertions'>,
  context: AssertionContext,
  client: ClientRow,
  assertion: string,
): Promise<void> {
  const keys = context.keySets.resolver(client);
  if (keys === undefined) {
    throw refuse('The app has no registered keys; register a JWK Set or a jwks_uri for private_key_jwt.');
  }
  const now = context.clock.now();
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(assertion, keys, {
      algorithms: [...ASSERTION_SIGNING_ALGS],
      issuer: client.clientId,
      subject: client.clientId,
      audience: [...context.audiences],
      currentDate: new Date(now * 1000),
      clockTolerance: SKEW_SECONDS,
      // RFC 7523 §3 item 4: `exp` MUST be there; `jti` is how a replay is told (item 7, OIDC Core §9).
      requiredClaims: ['exp', 'jti'],
    }));
  } catch (error) {
    throw explain(error, context);
  }
  const exp = payload.exp as number;
  if (exp - now > MAX_ASSERTION_LIFETIME_SECONDS + SKEW_SECONDS) {
    throw refuse(
      `The client_assertion expires too far in the future (exp is ${exp - now} s from now); sign assertions that expire within ${MAX_ASSERTION_LIFETIME_SECONDS} s.`,
    );
  }
  if (typeof payload.jti !== 'string' || payload.jti === '' || payload.jti.length > MAX_JTI_LENGTH) {
    throw refuse(`The client_assertion 'jti' must be a unique string of 1-${MAX_JTI_LENGTH} characters.`);
  }
  // Kept until the assertion could no longer pass the `exp` check, then swept (retention sweeper).
  const fresh = await store.clientAssertions.use({
    clientId: client.clientId,
    jtiHash: sha256Hex(payload.jti),
    expiresAt: exp + SKEW_SECONDS,
  });
  if (!fresh) {
    throw refuse(
      'The client_assertion was already used (same jti). Sign a new assertion, with a new jti, for every request.',
      `replayed jti of ${client.clientId}`,
    );
  }
}

function explain(error: unknown, context: AssertionContext): OAuthError {
  const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof errors.JWTExpired) {
    return refuse('The client_assertion has expired; sign a new one (exp a few minutes ahead).', cause);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'aud':
        return refuse(
          `The client_assertion 'aud' must be the token endpoint URL (${context.audiences.join(' or ')}).`,
          cause,
        );
      case 'iss':
      case 'sub':
        return refuse("The client_assertion must have 'iss' and 'sub' both equal to the client_id.", cause);
      case 'nbf':
      case 'iat':
        return refuse(
          `The client_assertion '${error.claim}' is in the future; check the client's clock.`,
          cause,
        );
      default:
        return refuse(`The client_assertion must have '${error.claim}': ${error.reason}.`, cause);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return refuse(`The client_assertion must be signed with ${ASSERTION_SIGNING_ALGS.join(', ')}.`, cause);
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return refuse(
      "No key of the app's JWK Set matches the client_assertion's 'kid' and 'alg'; register the signing key or fix the 'kid'.",
      cause,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return refuse("The client_assertion signature does not verify with the app's registered key.", cause);
  }
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error instanceof TypeError
  ) {
    return refuse(
      "The app's jwks_uri could not be read as a JWK Set in time; check that it answers 200 with JSON.",
      cause,
    );
  }
  if (error instanceof errors.JOSEError) {
    return refuse('The client_assertion is not a valid signed JWT.', cause);
  }
  return refuse("The app's jwks_uri could not be fetched; check that it is reachable.", cause);
}
