// RFC 6749 §6 (refreshing an access token), RFC 9700 §4.14.2 (rotation and reuse detection), OIDC Core §12.2
// (a refreshed ID token keeps iss/sub/aud/auth_time and has no nonce). SECURITY-MATRIX rule 3 (grace period
// G), rule 5 (one conditional write decides a rotation, committed before the response), RT-01…RT-07, RL-02.
// Every refusal of the token itself answers the one body okta-auth-js matches (OKTA-COMPAT §5); the precise
// cause goes to the system log only.

import { recordEvent } from '../../audit.ts';
import type { Deps } from '../../deps.ts';
import type { RefreshTokenRow, UserRow } from '../../storage/store.ts';
import { OAuthError } from '../errors.ts';
import { revokeGrant } from '../grant-revocation.ts';
import { optional, required } from '../params.ts';
import { sha256Hex } from '../random.ts';
import { resourceWithinGrant } from '../resource-indicator.ts';
import { parseScope } from '../scope.ts';
import { sealSuccessor, unsealSuccessor } from '../tokens/refresh-successor.ts';
import { type MintedTokens, mintTokens, type TokenResponse } from '../tokens/token-response.ts';
import type { GrantHandler, TokenRequest } from './grant-handler.ts';

export const INVALID_REFRESH_TOKEN = 'The refresh token is invalid or expired.';
const WIDER_SCOPE =
  'Some of the scopes requested for the refresh request were not granted in the original authorize request.';

const invalid = (cause: string): OAuthError =>
  new OAuthError('invalid_grant', INVALID_REFRESH_TOKEN, { cause });

interface Refresh {
  deps: Deps;
  request: TokenRequest;
  /** The raw token presented: the only key to its sealed successor. */
  presented: string;
  scope: string | undefined;
}

export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',
  async handle(deps: Deps, request: TokenRequest): Promise<TokenResponse> {
    const { server, client, params } = request;
    const presented = required(params, 'refresh_token');
    const refresh: Refresh = { deps, request, presented, scope: optional(params, 'scope') };
    const row = await deps.store.refreshTokens.get(sha256Hex(presented));
    // Namespaced by server (AC-05) and bound to its client (RFC 6749 §6). These refusals neither consume
    // nor revoke the token (RT-04).
    if (row === undefined || row.serverId !== server.id) throw invalid('unknown refresh token');
    if (row.clientId !== client.clientId) {
      throw invalid(`refresh token of ${row.clientId} presented by ${client.clientId}`);
    }
    if (row.revokedAt !== null) throw invalid('the refresh token was revoked');
    if (row.rotatedAt !== null) return rotatedOut(refresh, row, row.rotatedAt);
    const { user, scopes } = await checkUsable(refresh, row);
    return client.refreshRotation === 'STATIC'
      ? refreshStatic(refresh, row, user, scopes)
      : rotate(refresh, row, user, scopes);
  },
};

/** Lifetimes (RT-06), the user (RT-07) and the requested scope (RT-05). */
async function checkUsable(
  refresh: Refresh,
  row: RefreshTokenRow,
): Promise<{ user: UserRow; scopes: string[] }> {
  const now = refresh.deps.clock.now();
  if (row.expiresAt !== null && row.expiresAt <= now) {
    throw invalid(`the absolute lifetime of the token family ended ${now - row.expiresAt} s ago`);
  }
  if (row.idleExpiresAt <= now) throw invalid(`unused for longer than the idle window`);
  const user = await refresh.deps.store.users.get(row.userId);
  // ASVS 7.4.2: a user who may no longer sign in gets no new tokens.
  if (user === undefined || user.status !== 'ACTIVE') throw invalid('the user is deactivated or deleted');
  // Not a lockout: a brute-force lock blocks password sign-in only. Refusing refresh would let anyone sign
  // a user out of every app by guessing wrong ten times (Okta's SDKs clear storage on invalid_grant).
  const scopes = narrowScopes(row.scope, refresh.scope);
  resourceWithinGrant(refresh.request.params, refresh.request.server, row.resource);
  return { user, scopes };
}

/** RFC 6749 §6: a `scope` may narrow the access token; the refresh token keeps the original grant. */
function narrowScopes(granted: string, requested: string | undefined): string[] {
  const original = granted.split(' ').filter(Boolean);
  if (requested === undefined) return original;
  const asked = new Set(parseScope(requested));
  const denied = [...asked].filter((scope) => !original.includes(scope));
  if (denied.length > 0) {
    throw new OAuthError('invalid_scope', `${WIDER_SCOPE} Denied scopes: [${denied.join(', ')}].`);
  }
  return original.filter((scope) => asked.has(scope));
}

async function mint(
  refresh: Refresh,
  row: RefreshTokenRow,
  user: UserRow,
  scopes: string[],
  successorOf?: RefreshTokenRow,
): Promise<MintedTokens> {
  const { deps, request } = refresh;
  return mintTokens({
    signingKey: await deps.keys.signingKey(request.server.id),
    issuer: request.issuer,
    server: request.server,
    client: request.client,
    user,
    scopes,
    // RFC 8707 §2.2: a refresh may repeat the grant's resource but not widen it (checked in checkUsable).
    resource: row.resource,
    authTime: row.authTime,
    amr: row.amr,
    nonce: null, // OIDC Core §12.2: a refreshed ID token carries no nonce.
    grantId: row.grantId,
    idp: deps.instanceId,
    now: deps.clock.now(),
    claims: await deps.store.claims.listForServer(request.server.id),
    issueRefreshToken: successorOf !== undefined,
    successorOf,
  });
}

/** STATIC: the same token again, with its idle window restarted (OKTA-COMPAT §5). */
async function refreshStatic(
  refresh: Refresh,
  row: RefreshTokenRow,
  user: UserRow,
  scopes: string[],
): Promise<TokenResponse> {
  const { deps, request } = refresh;
  const minted = await mint(refresh, row, user, scopes);
  const response = { ...minted.response, refresh_token: refresh.presented };
  const idleExpiresAt = deps.clock.now() + request.server.refreshTokenIdleSeconds;
  const live = await deps.store.transaction(async (tx) => {
    if (!(await tx.refreshTokens.touch(row.tokenHash, idleExpiresAt))) return false;
    await tx.accessTokens.create(minted.accessToken);
    await request.recordIssued(response);
    return true;
  });
  if (!live) throw invalid('revoked or rotated while refreshing');
  return response;
}

/** ROTATE: one conditional write picks the single winner (rule 5); the successor is stored with it. */
async function rotate(
  refresh: Refresh,
  row: RefreshTokenRow,
  user: UserRow,
  scopes: string[],
): Promise<TokenResponse> {
  const { deps } = refresh;
  const minted = await mint(refresh, row, user, scopes, row);
  const successor = minted.refreshToken;
  const successorToken = minted.response.refresh_token;
  if (successor === undefined || successorToken === undefined) throw new Error('no successor was minted');
  const successorSealed = await sealSuccessor(successorToken, refresh.presented);
  const now = deps.clock.now();
  const won = await deps.store.transaction(async (tx) => {
    if (!(await tx.refreshTokens.rotate(row.tokenHash, { now, successorSealed }))) return false;
    await tx.refreshTokens.create(successor);
    await tx.accessTokens.create(minted.accessToken);
    await refresh.request.recordIssued(minted.response);
    return true;
  });
  if (won) return minted.response;
  // Another request rotated or revoked it first, and committed: judge this one as a re-presentation.
  const current = await deps.store.refreshTokens.get(row.tokenHash);
  if (current === undefined || current.revokedAt !== null || current.rotatedAt === null) {
    throw invalid('revoked while refreshing');
  }
  return rotatedOut(refresh, current, current.rotatedAt);
}

/**
 * A token that was rotated already (rule 3): within G of its rotation, and only while its successor is
 * the newest token, the same successor again (concurrent tabs do not fork the family); otherwise reuse.
 */
async function rotatedOut(refresh: Refresh, row: RefreshTokenRow, rotatedAt: number): Promise<TokenResponse> {
  const { deps, request } = refresh;
  const grace = request.client.refreshLeewaySeconds;
  const since = deps.clock.now() - rotatedAt;
  // With G = 0 every re-presentation is reuse, even within the same second (RT-02, keycloak#50999).
  if (grace <= 0 || since >= grace) {
    return reuse(refresh, row, `${since} s after its rotation (grace period ${grace} s)`);
  }
  const successorToken =
    row.successorSealed === null ? undefined : await unsealSuccessor(row.successorSealed, refresh.presented);
  if (successorToken === undefined) throw invalid('the successor cannot be recovered');
  const successor = await deps.store.refreshTokens.get(sha256Hex(successorToken));
  if (successor === undefined || successor.revokedAt !== null) throw invalid('the token family was revoked');
  if (successor.rotatedAt !== null) {
    return reuse(
      refresh,
      row,
      `after its successor was rotated too (now generation ${successor.generation + 1})`,
    );
  }
  const { user, scopes } = await checkUsable(refresh, successor);
  const minted = await mint(refresh, successor, user, scopes);
  const response = { ...minted.response, refresh_token: successorToken };
  await deps.store.transaction(async () => {
    await deps.store.accessTokens.create(minted.accessToken);
    await request.recordIssued(response);
  });
  return response;
}

/** RFC 9700 §4.14.2: a rotated-out token came back, so the family is compromised; revoke it (RT-02). */
async function reuse(refresh: Refresh, row: RefreshTokenRow, when: string): Promise<never> {
  const { deps, request } = refresh;
  const now = deps.clock.now();
  const revoked = await revokeGrant(deps.store, row.grantId, now);
  await recordEvent(deps, {
    type: 'app.oauth2.as.token.detect_reuse',
    outcome: 'FAILURE',
    serverId: row.serverId,
    clientId: row.clientId,
    userId: row.userId,
    ip: request.ip,
    error: 'invalid_grant',
    reason: `Refresh token of generation ${row.generation} presented again ${when}; ${revoked} token(s) of the grant were revoked.`,
  });
  throw invalid('refresh token reuse');
}
