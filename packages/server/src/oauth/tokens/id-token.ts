// OIDC Core §2 (ID token), §3.1.3.6 (at_hash), §5.4 (scope claims); Okta's claim set (OKTA-COMPAT §2.4).

import { createHash } from 'node:crypto';
import type { UserRow } from '../../storage/store.ts';
import type { SigningKey } from '../keys/key-ring.ts';
import { generateJti } from './access-token.ts';
import { signJwt } from './sign-jwt.ts';

export interface IdTokenInput {
  signingKey: SigningKey;
  issuer: string;
  clientId: string;
  user: UserRow;
  scopes: readonly string[];
  authTime: number;
  amr: readonly string[];
  /** OIDC Core §3.1.2.1: present only when sent to /authorize, never in a refreshed ID token. */
  nonce: string | null;
  accessToken: string;
  issuedAt: number;
  lifetimeSeconds: number;
  idp: string;
  /** The server's custom claims (OKTA-COMPAT §7.2); every claim set below takes precedence. */
  extraClaims?: Readonly<Record<string, unknown>> | undefined;
}

/** OIDC Core §3.1.3.6: base64url of the left half of SHA-256 over the access token's ASCII octets. */
export function computeAtHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

/**
 * Claims of the granted scopes that go into the ID token. When an access token is issued alongside,
 * Okta puts only `alwaysIncludeInToken` claims here; the full set comes from /v1/userinfo.
 */
export function idTokenScopeClaims(user: UserRow, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scopes.includes('profile')) {
    claims['name'] = user.name;
    claims['preferred_username'] = user.login;
  }
  if (scopes.includes('email')) claims['email'] = user.email;
  return claims;
}

export async function signIdToken(input: IdTokenInput): Promise<string> {
  const claims: Record<string, unknown> = {
    ...input.extraClaims,
    sub: input.user.id,
    ...idTokenScopeClaims(input.user, input.scopes),
    ver: 1,
    iss: input.issuer,
    // okta-mobile-swift types `aud` as a String, so it is never an array.
    aud: input.clientId,
    iat: input.issuedAt,
    exp: input.issuedAt + input.lifetimeSeconds,
    jti: generateJti('ID'),
    amr: [...input.amr],
    idp: input.idp,
    ...(input.nonce !== null ? { nonce: input.nonce } : {}),
    auth_time: input.authTime,
    at_hash: computeAtHash(input.accessToken),
  };
  return signJwt(claims, input.signingKey);
}
