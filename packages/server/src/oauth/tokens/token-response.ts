// RFC 6749 §5.1 (successful token response), OIDC Core §3.1.3.3 (id_token in it). Mints the access token,
// ID token and refresh token for one grant; storing them is the caller's transaction.

import type {
  AccessTokenRow,
  AuthorizationServerRow,
  ClaimRow,
  ClientRow,
  RefreshTokenRow,
  UserRow,
} from '../../storage/store.ts';
import type { SigningKey } from '../keys/key-ring.ts';
import { generateOpaqueToken, sha256Hex } from '../random.ts';
import { signAccessToken } from './access-token.ts';
import { customClaims } from './custom-claims.ts';
import { signIdToken } from './id-token.ts';

export interface TokenResponse {
  token_type: 'Bearer';
  /** An integer: okta-mobile-kotlin reads it as Int. */
  expires_in: number;
  access_token: string;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

export interface MintInput {
  signingKey: SigningKey;
  issuer: string;
  server: AuthorizationServerRow;
  client: ClientRow;
  user: UserRow;
  scopes: readonly string[];
  /** RFC 8707: the grant's resource, the access token's `aud`; null or left out: the server's audience. */
  resource?: string | null | undefined;
  authTime: number;
  amr: readonly string[];
  nonce: string | null;
  grantId: string;
  idp: string;
  now: number;
  /** The server's custom claims; the ACTIVE ones whose conditions hold go into the tokens. */
  claims: readonly ClaimRow[];
  /** A new refresh-token family is started when true (unless `successorOf` continues one). */
  issueRefreshToken: boolean;
  /**
   * With `issueRefreshToken`: mint the next generation of this token's family instead (RFC 9700 §4.14.2
   * rotation): same family, grant, scope, `auth_time`, `amr` and absolute expiry; a new idle window.
   */
  successorOf?: RefreshTokenRow | undefined;
}

export interface MintedTokens {
  response: TokenResponse;
  accessToken: AccessTokenRow;
  refreshToken: RefreshTokenRow | undefined;
}

export async function mintTokens(input: MintInput): Promise<MintedTokens> {
  const { server, client, user, now } = input;
  const access = await signAccessToken({
    signingKey: input.signingKey,
    issuer: input.issuer,
    audience: input.resource ?? server.audience,
    clientId: client.clientId,
    user: { id: user.id, login: user.login },
    scopes: input.scopes,
    authTime: input.authTime,
    issuedAt: now,
    lifetimeSeconds: server.accessTokenLifetimeSeconds,
    extraClaims: customClaims(input.claims, 'RESOURCE', input.scopes, { user, client }),
  });
  const response: TokenResponse = {
    token_type: 'Bearer',
    expires_in: server.accessTokenLifetimeSeconds,
    access_token: access.token,
    scope: input.scopes.join(' '),
  };
  // OIDC Core §3.1.3.3: an ID token exactly when `openid` was granted.
  if (input.scopes.includes('openid')) {
    response.id_token = await signIdToken({
      signingKey: input.signingKey,
      issuer: input.issuer,
      clientId: client.clientId,
      user,
      scopes: input.scopes,
      authTime: input.authTime,
      amr: input.amr,
      nonce: input.nonce,
      accessToken: access.token,
      issuedAt: now,
      lifetimeSeconds: server.idTokenLifetimeSeconds,
      idp: input.idp,
      extraClaims: customClaims(input.claims, 'IDENTITY', input.scopes, { user, client }),
    });
  }
  let refreshToken: RefreshTokenRow | undefined;
  if (input.issueRefreshToken) {
    const token = generateOpaqueToken();
    const previous = input.successorOf;
    response.refresh_token = token;
    refreshToken = {
      tokenHash: sha256Hex(token),
      familyId: previous?.familyId ?? input.grantId,
      generation: previous === undefined ? 0 : previous.generation + 1,
      serverId: server.id,
      clientId: client.clientId,
      userId: user.id,
      grantId: previous?.grantId ?? input.grantId,
      scope: previous?.scope ?? input.scopes.join(' '),
      resource: previous?.resource ?? input.resource ?? null,
      authTime: input.authTime,
      amr: [...input.amr],
      issuedAt: now,
      expiresAt:
        previous !== undefined
          ? previous.expiresAt
          : server.refreshTokenAbsoluteSeconds > 0
            ? now + server.refreshTokenAbsoluteSeconds
            : null,
      idleExpiresAt: now + server.refreshTokenIdleSeconds,
      rotatedAt: null,
      successorSealed: null,
      revokedAt: null,
    };
  }
  return {
    response,
    accessToken: {
      jti: access.jti,
      serverId: server.id,
      clientId: client.clientId,
      userId: user.id,
      grantId: input.grantId,
      scope: input.scopes.join(' '),
      issuedAt: now,
      expiresAt: access.expiresAt,
      revokedAt: null,
    },
    refreshToken,
  };
}
