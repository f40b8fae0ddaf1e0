// RFC 6749 §4.4 (client credentials grant): a confidential client gets an access token for itself. No user,
// so no ID token and no refresh token (§4.4.3: "A refresh token SHOULD NOT be included"); `sub` and `cid`
// are the client id and there is no `uid` (OKTA-COMPAT §2.3). Only the server's custom scopes may be asked
// for (Okta: OIDC scopes need a user); `resource` picks the audience (RFC 8707 §2).

import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { OAuthError } from '../errors.ts';
import { optional } from '../params.ts';
import { requestedResource } from '../resource-indicator.ts';
import { parseScope, RESERVED_SCOPES } from '../scope.ts';
import { signAccessToken } from '../tokens/access-token.ts';
import { customClaims } from '../tokens/custom-claims.ts';
import type { TokenResponse } from '../tokens/token-response.ts';
import type { GrantHandler, TokenRequest } from './grant-handler.ts';

const RESERVED: ReadonlySet<string> = new Set(RESERVED_SCOPES);

export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',
  async handle(deps: Deps, request: TokenRequest): Promise<TokenResponse> {
    const { server, client, params } = request;
    // RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients."
    if (client.tokenEndpointAuthMethod === 'none') {
      throw new OAuthError(
        'unauthorized_client',
        'The client credentials grant is only for confidential clients (a client secret or private_key_jwt).',
      );
    }
    const scopes = await grantedScopes(deps, request.server.id, optional(params, 'scope'));
    const resource = requestedResource(params, server);
    const now = deps.clock.now();
    const claims = await deps.store.claims.listForServer(server.id);
    const access = await signAccessToken({
      signingKey: await deps.keys.signingKey(server.id),
      issuer: request.issuer,
      audience: resource ?? server.audience,
      clientId: client.clientId,
      user: null,
      scopes,
      authTime: null,
      issuedAt: now,
      lifetimeSeconds: server.accessTokenLifetimeSeconds,
      extraClaims: customClaims(claims, 'RESOURCE', scopes, { user: undefined, client }),
    });
    const response: TokenResponse = {
      token_type: 'Bearer',
      expires_in: server.accessTokenLifetimeSeconds,
      access_token: access.token,
      scope: scopes.join(' '),
    };
    await deps.store.transaction(async (tx) => {
      await tx.accessTokens.create({
        jti: access.jti,
        serverId: server.id,
        clientId: client.clientId,
        userId: null,
        // Each token is its own grant: revoking it touches nothing else.
        grantId: randomUUID(),
        scope: response.scope,
        issuedAt: now,
        expiresAt: access.expiresAt,
        revokedAt: null,
      });
      await request.recordIssued(response);
    });
    return response;
  },
};

/** The requested scopes, every one a custom scope of the server (RFC 6749 §3.3, §4.4.2). */
async function grantedScopes(deps: Deps, serverId: string, scope: string | undefined): Promise<string[]> {
  if (scope === undefined) {
    // Okta's text; Latchkey has no default scopes, so `scope` is always needed (RFC 6749 §3.3).
    throw new OAuthError(
      'invalid_scope',
      "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
    );
  }
  const requested = parseScope(scope);
  const reserved = requested.filter((name) => RESERVED.has(name));
  if (reserved.length > 0) {
    throw new OAuthError(
      'invalid_scope',
      `Cannot request 'openid' scopes using client credentials. Refused scopes: [${reserved.join(', ')}]; there is no user, so ask for the authorization server's custom scopes only.`,
    );
  }
  const custom = new Set((await deps.store.authorizationServers.listScopes(serverId)).map((row) => row.name));
  const unknown = requested.filter((name) => !custom.has(name));
  if (unknown.length > 0) {
    throw new OAuthError(
      'invalid_scope',
      `The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner. Unknown scopes: [${unknown.join(', ')}]; add them as custom scopes of the authorization server.`,
    );
  }
  return requested;
}
