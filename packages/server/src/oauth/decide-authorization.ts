// The authorization decision (issue 8 §1): one pure function over what the endpoints parsed and loaded,
// never touching HTTP or the store. /authorize, the sign-in form and the consent form each ask it what to
// do next; they only load its inputs and render its outcome.
//
// OIDC Core §3.1.2.1 (prompt, max_age), §3.1.2.4 (consent), §3.1.2.6 (login_required, consent_required);
// RFC 6749 §4.1.2.1 (access_denied); RFC 8252 §8.6 (native apps are asked every time, LG-12).

import type { ClientRow, ConsentRow, SessionRow } from '../storage/store.ts';
import { decideAuthentication, satisfiesAuthentication } from './authorization-response.ts';
import type { AuthorizationRequest } from './authorize.ts';
import { ACCESS_DENIED_DESCRIPTION, consentRequiredError, scopesNeedingConsent } from './consent.ts';
import { OAuthError } from './errors.ts';

/** Where the request stands: just received, just signed in, or back from the consent page. */
export type AuthorizationStep =
  | { step: 'request' }
  | { step: 'signed-in' }
  | { step: 'consent'; decision: 'allow' | 'deny' };

export interface AuthorizationFacts {
  request: AuthorizationRequest;
  client: Pick<ClientRow, 'consentMethod' | 'applicationType'>;
  /** The SSO session of the browser, if any (at 'signed-in': the one just created). */
  session: SessionRow | undefined;
  /** The user's remembered consent; load it only when `rememberedConsentMatters` says so. */
  remembered: ConsentRow | undefined;
  now: number;
  /** When the app's request arrived: a `prompt=login` needs a sign-in after it. */
  requestedAt: number;
}

export type AuthorizationOutcome =
  | { kind: 'issue-code'; session: SessionRow; rememberConsent: boolean }
  | { kind: 'show-sign-in' }
  | { kind: 'show-consent'; session: SessionRow; scopes: string[] }
  /** An error for the app, sent to its (verified) redirect URI. */
  | { kind: 'error'; error: OAuthError };

export function decideAuthorization(facts: AuthorizationFacts, at: AuthorizationStep): AuthorizationOutcome {
  const { request, session } = facts;
  if (at.step === 'consent') {
    // Authentication is decided again before a code is issued (issue 9 §2).
    if (session === undefined || !satisfiesAuthentication(request, session, facts)) {
      return {
        kind: 'error',
        error: new OAuthError('login_required', 'The user must sign in again for this request.'),
      };
    }
    if (at.decision === 'deny')
      return { kind: 'error', error: new OAuthError('access_denied', ACCESS_DENIED_DESCRIPTION) };
    return { kind: 'issue-code', session, rememberConsent: true };
  }
  let signedIn: SessionRow;
  if (at.step === 'request') {
    try {
      const authentication = decideAuthentication(request, session, facts.now);
      if (authentication.kind === 'sign-in') return { kind: 'show-sign-in' };
      signedIn = authentication.session;
    } catch (error) {
      if (error instanceof OAuthError) return { kind: 'error', error };
      throw error;
    }
  } else {
    if (session === undefined) throw new Error('decideAuthorization: signed-in without a session');
    signedIn = session;
  }
  const pending = scopesNeedingConsent(request, facts.client, facts.remembered);
  if (pending.length === 0) return { kind: 'issue-code', session: signedIn, rememberConsent: false };
  if (request.prompt.includes('none')) return { kind: 'error', error: consentRequiredError(pending) };
  return { kind: 'show-consent', session: signedIn, scopes: pending };
}
