// OIDC Core §5.3 (UserInfo endpoint), §5.4 (claims per scope), RFC 6750 §3.1 (invalid_token,
// insufficient_scope); Okta's texts from OKTA-COMPAT §1.4.

import type { Deps } from '../deps.ts';
import type { UserRow } from '../storage/store.ts';
import { checkAccessToken, type TokenServer } from './access-token-validation.ts';
import { OAuthError } from './errors.ts';

export const INVALID_ACCESS_TOKEN = 'The access token is invalid';
export const USERINFO_SCOPES = ['profile', 'email', 'address', 'phone'] as const;

export type UserInfo = Record<string, unknown> & { sub: string };

export interface UserInfoResult {
  claims: UserInfo;
  /** The client the token was issued to, so the endpoint can apply its CORS origins. */
  clientId: string;
}

export async function readUserInfo(
  deps: Pick<Deps, 'keys' | 'clock' | 'store'>,
  target: TokenServer,
  accessToken: string,
): Promise<UserInfoResult> {
  // The UserInfo endpoint is a resource of the server's own audience: a token minted for another resource
  // (RFC 8707) is not for it.
  const own = { ...target, server: { id: target.server.id, audience: target.server.audience } };
  const checked = await checkAccessToken(deps, own, accessToken);
  // A token without a user (client credentials) has nothing to say here either.
  if (!checked.active || checked.user === undefined) {
    const cause = checked.active ? 'the access token has no user' : checked.reason;
    throw new OAuthError('invalid_token', INVALID_ACCESS_TOKEN, { cause });
  }
  const scopes = checked.row.scope.split(' ').filter(Boolean);
  // OIDC Core §5.3: the token must come from an OpenID Connect request.
  if (!scopes.includes('openid')) {
    throw new OAuthError('insufficient_scope', "The access token must provide access to the 'openid' scope.");
  }
  if (!USERINFO_SCOPES.some((scope) => scopes.includes(scope))) {
    throw new OAuthError(
      'insufficient_scope',
      'The access token must provide access to at least one of these scopes - profile, email, address or phone',
    );
  }
  return { claims: userInfoClaims(checked.user, scopes), clientId: checked.row.clientId };
}

/**
 * `sub` is the user id, equal to the ID token's `sub` (okta-auth-js `getUser()` rejects a mismatch), plus
 * every claim of the granted scopes that has a value (OKTA-COMPAT §1.4: unset claims are omitted).
 */
export function userInfoClaims(user: UserRow, scopes: readonly string[]): UserInfo {
  const claims: UserInfo = { sub: user.id };
  if (scopes.includes('profile')) {
    claims['name'] = user.name;
    if (user.givenName !== null) claims['given_name'] = user.givenName;
    if (user.familyName !== null) claims['family_name'] = user.familyName;
    claims['preferred_username'] = user.login;
    claims['updated_at'] = user.updatedAt;
  }
  if (scopes.includes('email')) {
    claims['email'] = user.email;
    // Latchkey has no email verification flow, so it never vouches for an address.
    claims['email_verified'] = false;
  }
  // `address` and `phone`: users have no such attributes yet, so these scopes add no claims.
  return claims;
}
