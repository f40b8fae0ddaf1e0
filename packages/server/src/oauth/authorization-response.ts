// RFC 6749 §4.1.2 (authorization response: code, state), RFC 9207 §2 (iss), OIDC Core §3.1.2.1 (prompt,
// max_age), OAuth 2.0 Form Post Response Mode. The code is 256 random bits, stored only as its hash.

import { randomUUID } from 'node:crypto';
import type { AuthorizationCodeRow, AuthorizationServerRow, SessionRow, Store } from '../storage/store.ts';
import type { AuthorizationRequest, ResponseTarget } from './authorize.ts';
import { OAuthError } from './errors.ts';
import { generateOpaqueToken, sha256Hex } from './random.ts';

export type AuthenticationDecision = { kind: 'use-session'; session: SessionRow } | { kind: 'sign-in' };

/** `prompt=login`, or `max_age=0`, which acts as it (OKTA-COMPAT §1.1): a fresh sign-in is required. */
function forcesLogin(request: Pick<AuthorizationRequest, 'prompt' | 'maxAge'>): boolean {
  return request.prompt.includes('login') || request.maxAge === 0;
}

/** Decides whether the SSO session may answer this request or the user must sign in (again). */
export function decideAuthentication(
  request: Pick<AuthorizationRequest, 'prompt' | 'maxAge'>,
  session: SessionRow | undefined,
  now: number,
): AuthenticationDecision {
  const silent = request.prompt.includes('none');
  if (forcesLogin(request)) return { kind: 'sign-in' };
  const tooOld =
    session !== undefined && request.maxAge !== undefined && now - session.authTime > request.maxAge;
  if (session !== undefined && !tooOld) return { kind: 'use-session', session };
  if (silent) {
    throw new OAuthError(
      'login_required',
      'The client specified not to prompt, but the user is not logged in.',
    );
  }
  return { kind: 'sign-in' };
}

/**
 * Whether `session` satisfies the request's authentication demands at `now`, for a request made at
 * `requestedAt`: after `prompt=login` or `max_age=0` the user must have signed in since the request
 * (OIDC Core §3.1.2.1), and `max_age` bounds the age of that sign-in. Checked again when a code is about
 * to be issued after the consent page, so no later step can finish a request without its sign-in.
 */
export function satisfiesAuthentication(
  request: Pick<AuthorizationRequest, 'prompt' | 'maxAge'>,
  session: Pick<SessionRow, 'authTime'>,
  times: { now: number; requestedAt: number },
): boolean {
  if (forcesLogin(request) && session.authTime < times.requestedAt) return false;
  return (
    request.maxAge === undefined || request.maxAge === 0 || times.now - session.authTime <= request.maxAge
  );
}

export interface Authentication {
  userId: string;
  authTime: number;
  amr: string[];
  sessionIdHash: string | null;
}

export async function issueAuthorizationCode(
  store: Pick<Store, 'authorizationCodes'>,
  server: AuthorizationServerRow,
  request: AuthorizationRequest,
  authentication: Authentication,
  now: number,
): Promise<string> {
  const code = generateOpaqueToken();
  // okta-mobile-swift demands iat - auth_time > 0 when max_age is sent; a same-second sign-in is
  // recorded one second earlier, which only makes max_age stricter (OKTA-COMPAT §2.4).
  const authTime =
    request.maxAge !== undefined && request.maxAge >= 1 && authentication.authTime >= now
      ? now - 1
      : authentication.authTime;
  const row: AuthorizationCodeRow = {
    codeHash: sha256Hex(code),
    serverId: server.id,
    clientId: request.clientId,
    userId: authentication.userId,
    grantId: randomUUID(),
    redirectUri: request.redirectUri,
    scope: request.scopes.join(' '),
    resource: request.resource ?? null,
    nonce: request.nonce ?? null,
    codeChallenge: request.codeChallenge ?? null,
    codeChallengeMethod: request.codeChallengeMethod ?? null,
    authTime,
    amr: authentication.amr,
    sessionIdHash: authentication.sessionIdHash,
    issuedAt: now,
    expiresAt: now + server.codeLifetimeSeconds,
    consumedAt: null,
  };
  await store.authorizationCodes.create(row);
  return code;
}

export interface AuthorizationResponse {
  redirectUri: string;
  responseMode: ResponseTarget['responseMode'];
  /** In order: code or error and error_description, then state, then iss. */
  params: [string, string][];
}

export function successResponse(target: ResponseTarget, issuer: string, code: string): AuthorizationResponse {
  return buildResponse(target, issuer, [['code', code]]);
}

export function errorResponse(
  target: ResponseTarget,
  issuer: string,
  error: OAuthError,
): AuthorizationResponse {
  return buildResponse(target, issuer, [
    ['error', error.error],
    ['error_description', error.description],
  ]);
}

function buildResponse(
  target: ResponseTarget,
  issuer: string,
  leading: [string, string][],
): AuthorizationResponse {
  const params = [...leading];
  // `state` exactly as received, and only when it was sent (RFC 6749 §4.1.2).
  if (target.state !== undefined) params.push(['state', target.state]);
  params.push(['iss', issuer]);
  return { redirectUri: target.redirectUri, responseMode: target.responseMode, params };
}

/** The query-mode Location: the registered URI (its own query kept, RFC 6749 §3.1.2) plus the parameters. */
export function responseLocation(response: AuthorizationResponse): string {
  const query = new URLSearchParams(response.params).toString();
  return `${response.redirectUri}${response.redirectUri.includes('?') ? '&' : '?'}${query}`;
}
