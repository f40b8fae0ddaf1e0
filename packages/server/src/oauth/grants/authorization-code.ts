// RFC 6749 §4.1.3 (access token request), §4.1.2 (single use; a replay revokes what the code issued),
// RFC 7636 §4.5-4.6 (code_verifier). Failures of client or verifier checks never burn the code
// (SECURITY-MATRIX PK-05, AC-02, AC-04); a valid replay revokes the grant (AC-01).

import { recordEvent } from '../../audit.ts';
import type { Deps } from '../../deps.ts';
import type { AuthorizationCodeRow } from '../../storage/store.ts';
import { OAuthError } from '../errors.ts';
import { revokeGrant } from '../grant-revocation.ts';
import { optional, required } from '../params.ts';
import { verifyCodeVerifier } from '../pkce.ts';
import { sha256Hex } from '../random.ts';
import { resourceWithinGrant } from '../resource-indicator.ts';
import { mintTokens, type TokenResponse } from '../tokens/token-response.ts';
import type { GrantHandler, TokenRequest } from './grant-handler.ts';

const INVALID_CODE = 'The authorization code is invalid or has expired.';

export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  async handle(deps: Deps, request: TokenRequest): Promise<TokenResponse> {
    const { server, client, params } = request;
    const code = required(params, 'code');
    const redirectUri = optional(params, 'redirect_uri');
    const verifier = optional(params, 'code_verifier');
    const codeHash = sha256Hex(code);
    const row = await deps.store.authorizationCodes.find(codeHash);
    // Codes are namespaced by server as well as by artifact type (AC-05).
    if (row === undefined || row.serverId !== server.id) {
      throw new OAuthError('invalid_grant', INVALID_CODE, { cause: 'unknown code' });
    }
    if (row.clientId !== client.clientId) {
      throw new OAuthError(
        'invalid_grant',
        "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request.",
        { cause: `code of ${row.clientId} presented by ${client.clientId}` },
      );
    }
    // RFC 6749 §4.1.3: required, and byte-equal to the value sent to /authorize (which always has one).
    // Left out, it fails the code's binding like a different value (SECURITY-MATRIX AC-04).
    if (redirectUri !== row.redirectUri) {
      throw new OAuthError(
        'invalid_grant',
        redirectUri === undefined
          ? "The 'redirect_uri' parameter is missing; send the redirection URI used in the authorization request."
          : "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
        { cause: `redirect_uri ${redirectUri ?? '(none)'} differs from ${row.redirectUri}` },
      );
    }
    if (request.origin !== undefined && row.codeChallenge === null) {
      throw new OAuthError(
        'invalid_client',
        'Browser requests to the token endpoint must use Proof Key for Code Exchange.',
      );
    }
    verifyCodeVerifier(verifier, row.codeChallenge);
    // RFC 8707 §2.2: the token request may repeat the resource of the authorization request, never widen it.
    const resource = resourceWithinGrant(params, server, row.resource);

    const now = deps.clock.now();
    if (row.consumedAt !== null) return replayed(deps, row, now, request);
    if (row.expiresAt <= now) {
      throw new OAuthError('invalid_grant', INVALID_CODE, {
        cause: `code expired ${now - row.expiresAt} s ago (lifetime ${server.codeLifetimeSeconds} s)`,
      });
    }
    const user = await deps.store.users.get(row.userId);
    if (user === undefined || user.status !== 'ACTIVE') {
      throw new OAuthError('invalid_grant', INVALID_CODE, { cause: 'the user may no longer sign in' });
    }
    const scopes = row.scope.split(' ').filter(Boolean);
    const minted = await mintTokens({
      signingKey: await deps.keys.signingKey(server.id),
      issuer: request.issuer,
      server,
      client,
      user,
      scopes,
      resource,
      authTime: row.authTime,
      amr: row.amr,
      nonce: row.nonce,
      grantId: row.grantId,
      idp: deps.instanceId,
      now,
      claims: await deps.store.claims.listForServer(server.id),
      issueRefreshToken: scopes.includes('offline_access') && client.grantTypes.includes('refresh_token'),
    });
    // SECURITY-MATRIX rule 5: one conditional write decides the single winner, committed with the tokens.
    const won = await deps.store.transaction(async (tx) => {
      if (!(await tx.authorizationCodes.consume(codeHash, now))) return false;
      await tx.accessTokens.create(minted.accessToken);
      if (minted.refreshToken) await tx.refreshTokens.create(minted.refreshToken);
      await request.recordIssued(minted.response);
      return true;
    });
    if (!won) return replayed(deps, row, now, request);
    return minted.response;
  },
};

/** A valid but repeated redemption: revoke every token the code issued (RFC 6749 §4.1.2), then refuse. */
async function replayed(
  deps: Deps,
  row: AuthorizationCodeRow,
  now: number,
  request: TokenRequest,
): Promise<never> {
  const revoked = await revokeGrant(deps.store, row.grantId, now);
  const firstUse = row.consumedAt === null ? 'just now' : new Date(row.consumedAt * 1000).toISOString();
  await recordEvent(deps, {
    type: 'app.oauth2.as.token.detect_reuse',
    outcome: 'FAILURE',
    serverId: row.serverId,
    clientId: row.clientId,
    userId: row.userId,
    ip: request.ip,
    error: 'invalid_grant',
    reason: `Authorization code already used at ${firstUse}; ${revoked} token(s) issued from it were revoked.`,
  });
  throw new OAuthError('invalid_grant', INVALID_CODE, { cause: 'code replayed' });
}
