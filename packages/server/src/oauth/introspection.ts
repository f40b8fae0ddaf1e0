// RFC 7662 §2.1-2.2 (token introspection) with Okta's response members (OKTA-COMPAT §1.5). Who may learn
// about a token (IN-01, RFC 7662 §4): its own client, or a confidential client of the same authorization
// server (a resource server, authenticated with a secret); anyone else is told `{"active":false}`.

import type { Deps } from '../deps.ts';
import type { RefreshTokenRow } from '../storage/store.ts';
import { checkAccessToken, isClientActive, type TokenServer } from './access-token-validation.ts';
import { sha256Hex } from './random.ts';

export type IntrospectionResponse = { active: false } | ({ active: true } & Record<string, unknown>);

/** RFC 7662 §2.2: everything we cannot vouch for is exactly this, with no other members (IN-01). */
export const INACTIVE: IntrospectionResponse = Object.freeze({ active: false });

type IntrospectionDeps = Pick<Deps, 'keys' | 'clock' | 'store'>;

/** The authenticated client asking (RFC 7662 §2.1: the endpoint MUST require authorization). */
export interface IntrospectionCaller {
  clientId: string;
  /** Authenticated with a client secret: a confidential client such as a resource server. */
  confidential: boolean;
}
type Lookup = (deps: IntrospectionDeps, target: TokenServer, token: string) => Promise<IntrospectionResponse>;

/**
 * RFC 7662 §2.1: `token_type_hint` only orders the lookup; a wrong or unknown hint still finds the token.
 * Store failures propagate (503): never `active:true` without the revocation check (RL-05).
 */
export async function introspectToken(
  deps: IntrospectionDeps,
  target: TokenServer,
  caller: IntrospectionCaller,
  token: string,
  hint: string | undefined,
): Promise<IntrospectionResponse> {
  const order: Lookup[] =
    hint === 'refresh_token'
      ? [introspectRefreshToken, introspectAccessToken]
      : [introspectAccessToken, introspectRefreshToken];
  for (const lookup of order) {
    const response = await lookup(deps, target, token);
    if (response.active) return mayLearnAbout(caller, response) ? response : INACTIVE;
  }
  return INACTIVE;
}

/**
 * RFC 7662 §4: the server decides who may introspect a token, so that a token scanner learns nothing.
 * A public client is anyone who knows its client_id, so it hears only about its own tokens; the token
 * was found under `target`, so a confidential client calling this server's endpoint is of the same server.
 */
function mayLearnAbout(caller: IntrospectionCaller, response: IntrospectionResponse): boolean {
  return caller.confidential || (response.active && response['client_id'] === caller.clientId);
}

async function introspectAccessToken(
  deps: IntrospectionDeps,
  target: TokenServer,
  token: string,
): Promise<IntrospectionResponse> {
  // Refresh tokens are opaque; only a compact JWS can be an access token.
  if (token.split('.').length !== 3) return INACTIVE;
  const checked = await checkAccessToken(deps, target, token);
  if (!checked.active) return INACTIVE;
  const { claims, row, user } = checked;
  return {
    active: true,
    scope: row.scope,
    ...(user === undefined ? {} : { username: user.login }),
    exp: claims.exp,
    iat: claims.iat,
    // OKTA-COMPAT §1.5: Okta lists `nbf`; our tokens carry none, so it equals `iat` (our decision).
    nbf: claims.iat,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    jti: claims.jti,
    token_type: 'Bearer',
    client_id: row.clientId,
    ...(row.userId === null ? {} : { uid: row.userId }),
  };
}

async function introspectRefreshToken(
  deps: IntrospectionDeps,
  target: TokenServer,
  token: string,
): Promise<IntrospectionResponse> {
  const row = await deps.store.refreshTokens.get(sha256Hex(token));
  if (row === undefined || row.serverId !== target.server.id || !isLive(row, deps.clock.now())) {
    return INACTIVE;
  }
  // RT-08: the app must still exist and be active.
  if (!(await isClientActive(deps.store, row.clientId))) return INACTIVE;
  const user = await deps.store.users.get(row.userId);
  if (user === undefined || user.status !== 'ACTIVE') return INACTIVE;
  return {
    active: true,
    scope: row.scope,
    username: user.login,
    exp: refreshTokenExpiry(row),
    iat: row.issuedAt,
    // As in the access token: the login (OKTA-COMPAT §2.3).
    sub: user.login,
    iss: target.issuer,
    // Okta sends `refresh_token` here or omits the member; we always send it (our decision).
    token_type: 'refresh_token',
    client_id: row.clientId,
    uid: row.userId,
  };
}

/**
 * Live means usable at /token right now: not revoked, within its absolute and idle windows, and not yet
 * rotated out. A rotated token still inside its grace period counts as inactive (our decision): its
 * holder is expected to move to the successor, and /token alone honours the grace.
 */
function isLive(row: RefreshTokenRow, now: number): boolean {
  return (
    row.revokedAt === null &&
    row.rotatedAt === null &&
    (row.expiresAt === null || row.expiresAt > now) &&
    row.idleExpiresAt > now
  );
}

/** When the token stops working if unused: the earlier of the absolute and the idle expiry. */
function refreshTokenExpiry(row: RefreshTokenRow): number {
  return row.expiresAt === null ? row.idleExpiresAt : Math.min(row.expiresAt, row.idleExpiresAt);
}
