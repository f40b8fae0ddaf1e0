// JWT access tokens with Okta's claims (OKTA-COMPAT §2.3; RFC 9068 §2.2 claim set, minus `typ`, as Okta).
// No `nbf`: @okta/jwt-verifier checks it with zero clock skew (OKTA-COMPAT §2.2).

import type { SigningKey } from '../keys/key-ring.ts';
import { randomOctets } from '../random.ts';
import { signJwt } from './sign-jwt.ts';

export interface AccessTokenInput {
  signingKey: SigningKey;
  issuer: string;
  audience: string;
  clientId: string;
  /** Null for tokens without a user (client credentials). */
  user: { id: string; login: string } | null;
  scopes: readonly string[];
  authTime: number | null;
  issuedAt: number;
  lifetimeSeconds: number;
  /** The server's custom claims (OKTA-COMPAT §7.2); every claim set below takes precedence. */
  extraClaims?: Readonly<Record<string, unknown>> | undefined;
}

export interface IssuedAccessToken {
  token: string;
  jti: string;
  expiresAt: number;
}

export function generateJti(prefix: 'AT' | 'ID'): string {
  // 32 random bytes → 43 base64url characters, as in Okta's `AT.…` / `ID.…`.
  return `${prefix}.${randomOctets(32).toString('base64url')}`;
}

export async function signAccessToken(input: AccessTokenInput): Promise<IssuedAccessToken> {
  const jti = generateJti('AT');
  const expiresAt = input.issuedAt + input.lifetimeSeconds;
  const claims: Record<string, unknown> = {
    ...input.extraClaims,
    ver: 1,
    jti,
    iss: input.issuer,
    aud: input.audience,
    iat: input.issuedAt,
    exp: expiresAt,
    cid: input.clientId,
    ...(input.user ? { uid: input.user.id } : {}),
    scp: [...input.scopes],
    ...(input.authTime !== null ? { auth_time: input.authTime } : {}),
    // Okta: `(appuser != null) ? appuser.userName : app.clientId`
    sub: input.user ? input.user.login : input.clientId,
  };
  const token = await signJwt(claims, input.signingKey);
  return { token, jti, expiresAt };
}
