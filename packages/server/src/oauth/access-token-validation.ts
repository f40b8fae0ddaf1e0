// RFC 6750 §3.1 (invalid_token), RFC 9068 §4 and OKTA-COMPAT §2.6: is a presented access token one this
// server issued and still honours? RS256 only, keys only from this server's own set, exact `iss`/`aud`,
// `exp` against the injected clock, then the store: recorded, not revoked, app and user still active.

import { createLocalJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Deps } from '../deps.ts';
import type { AccessTokenRow, AuthorizationServerRow, UserRow } from '../storage/store.ts';

export interface TokenServer {
  /** `resources`: the server's other audiences (RFC 8707); left out, only `audience` is accepted. */
  server: Pick<AuthorizationServerRow, 'id' | 'audience'> &
    Partial<Pick<AuthorizationServerRow, 'resources'>>;
  issuer: string;
}

/** The verified claims of an access token we signed (OKTA-COMPAT §2.3). */
export interface AccessTokenClaims extends JWTPayload {
  jti: string;
  sub: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
}

export type AccessTokenCheck =
  | { active: true; claims: AccessTokenClaims; row: AccessTokenRow; user: UserRow | undefined }
  | { active: false; reason: string };

type ValidationDeps = Pick<Deps, 'keys' | 'clock' | 'store'>;

/**
 * The JWT checks alone. Never throws for a bad token (undefined instead, with the reason); a failure to
 * read keys propagates, so an outage is 503 and never "inactive" or "active" (RL-05).
 */
export async function verifyAccessTokenJwt(
  deps: Pick<Deps, 'keys' | 'clock'>,
  target: TokenServer,
  token: string,
): Promise<{ claims: AccessTokenClaims } | { reason: string }> {
  const jwks = await deps.keys.jwks(target.server.id);
  const knownKids = new Set(jwks.keys.map((key) => key.kid));
  const localKeys = createLocalJWKSet(jwks);
  // JW-04: `kid` selects a key only by exact lookup in our own set; a token without one, or with a
  // non-string one, matches nothing (ours always carry one, OKTA-COMPAT §2.2). JW-03: embedded
  // `jwk`/`jku`/`x5u`/`x5c` headers are never read, so nothing is fetched or trusted from the token.
  const resolveKey: JWTVerifyGetKey = (header, input) => {
    if (typeof header.kid !== 'string' || !knownKids.has(header.kid)) {
      throw new Error('the kid names no key of this authorization server');
    }
    return localKeys(header, input);
  };
  try {
    const { payload } = await jwtVerify(token, resolveKey, {
      // JW-01/JW-02: only RS256, so `none` and HMAC with our public key as the secret are refused.
      algorithms: ['RS256'],
      issuer: target.issuer,
      // The server's audience or one of its declared resources (RFC 8707 §2: a token's `aud`).
      audience: [target.server.audience, ...(target.server.resources ?? [])],
      currentDate: new Date(deps.clock.now() * 1000),
      requiredClaims: ['jti', 'sub', 'iat', 'exp'],
    });
    if (
      typeof payload.jti !== 'string' ||
      typeof payload.sub !== 'string' ||
      typeof payload.aud !== 'string'
    ) {
      return { reason: 'jti, sub or aud has the wrong type' };
    }
    return { claims: payload as AccessTokenClaims };
  } catch (error) {
    return { reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/**
 * RT-08: a token of a deactivated or deleted app is not honoured. The read is cached (at most 5 s stale on
 * other instances, exact on the writing one); deactivation also revokes the tokens in the store, so the
 * cache never decides alone.
 */
export async function isClientActive(
  store: Pick<Deps['store'], 'clients'>,
  clientId: string,
): Promise<boolean> {
  const client = await store.clients.get(clientId);
  return client !== undefined && client.status === 'ACTIVE';
}

/** Every check a resource (userinfo, introspection) needs before honouring an access token. */
export async function checkAccessToken(
  deps: ValidationDeps,
  target: TokenServer,
  token: string,
): Promise<AccessTokenCheck> {
  const verified = await verifyAccessTokenJwt(deps, target, token);
  if (!('claims' in verified)) return { active: false, reason: verified.reason };
  const { claims } = verified;
  // Only the store knows about revocation (OKTA-COMPAT §2.6); an ID token's `ID.` jti is never here (JW-05).
  const row = await deps.store.accessTokens.get(claims.jti);
  if (row === undefined || row.serverId !== target.server.id) {
    return { active: false, reason: 'no access token with this jti was issued by this server' };
  }
  const now = deps.clock.now();
  if (row.revokedAt !== null) return { active: false, reason: `revoked at ${row.revokedAt}` };
  if (row.expiresAt <= now) return { active: false, reason: 'expired' };
  if (!(await isClientActive(deps.store, row.clientId))) {
    return { active: false, reason: `the app ${row.clientId} is deactivated or deleted` };
  }
  let user: UserRow | undefined;
  if (row.userId !== null) {
    user = await deps.store.users.get(row.userId);
    // A deactivated user's tokens stop working at once (SECURITY-MATRIX RT-07).
    if (user === undefined || user.status !== 'ACTIVE') {
      return { active: false, reason: 'the user may no longer sign in' };
    }
  }
  return { active: true, claims, row, user };
}
