// User consent (OIDC Core §3.1.2.4, RFC 6749 §4.1.1 "obtains an authorization decision", RFC 8252 §8.6).
// Apps marked "require consent" ask the user; a remembered grant is reused until revoked, except for
// native apps: their identity is not assured (any app can claim a private-use scheme), so they are asked
// every time (SECURITY-MATRIX LG-12).

import type { ClientRow, ConsentRow, ScopeRow } from '../storage/store.ts';
import type { AuthorizationRequest } from './authorize.ts';
import { OAuthError } from './errors.ts';

/** The requested scopes the user has yet to approve; empty when no consent page is needed. */
/**
 * Whether a remembered consent can change the outcome, so that it is read only then (issue 8 §1): not for
 * trusted apps, native apps (asked every time, LG-12) or `prompt=consent`.
 */
export function rememberedConsentMatters(
  request: Pick<AuthorizationRequest, 'prompt'>,
  client: Pick<ClientRow, 'consentMethod' | 'applicationType'>,
): boolean {
  return (
    client.consentMethod === 'REQUIRED' &&
    client.applicationType !== 'native' &&
    !request.prompt.includes('consent')
  );
}

export function scopesNeedingConsent(
  request: Pick<AuthorizationRequest, 'scopes' | 'prompt'>,
  client: Pick<ClientRow, 'consentMethod' | 'applicationType'>,
  remembered: ConsentRow | undefined,
): string[] {
  if (client.consentMethod !== 'REQUIRED') return [];
  if (request.prompt.includes('consent') || client.applicationType === 'native' || remembered === undefined) {
    return request.scopes;
  }
  const granted = new Set(remembered.scopes);
  const missing = request.scopes.filter((scope) => !granted.has(scope));
  // Asking again shows the whole request, not just what is new, so the user sees what they agree to.
  return missing.length > 0 ? request.scopes : [];
}

export function consentRequiredError(scopes: string[]): OAuthError {
  return new OAuthError(
    'consent_required',
    `The following scopes require user consent: [${scopes.join(', ')}].`,
  );
}

export const ACCESS_DENIED_DESCRIPTION = 'The resource owner or authorization server denied the request.';

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'Sign you in with your Latchkey account',
  profile: 'See your name and username',
  email: 'See your email address',
  address: 'See your postal address',
  phone: 'See your phone number',
  offline_access: 'Stay signed in and act for you while you are not using it',
};

export function describeScopes(
  scopes: readonly string[],
  custom: readonly ScopeRow[],
): { name: string; description: string }[] {
  return scopes.map((name) => {
    const row = custom.find((scope) => scope.name === name);
    const description =
      DESCRIPTIONS[name] ?? (row?.description || row?.displayName || `Use the "${name}" permission`);
    return { name, description };
  });
}
