// Tokens that work right now: the stored ones, or refreshed ones (RFC 6749 §6) when the access token has
// expired. A refreshed ID token is validated like the first one, minus the nonce, and must describe the
// same user (OIDC Core §12.2).

import type { AuthorizationServerMetadata } from './discovery.ts';
import { IdTokenValidationError, LatchkeyClientError, OAuthResponseError } from './errors.ts';
import { validateIdToken } from './id-token.ts';
import { decodeJwt } from './internal/jwt.ts';
import type { RemoteJwks } from './jwks.ts';
import { refreshTokens, type TokenRequestOptions, type TokenSet } from './token-request.ts';
import { isAccessTokenExpired, type TokenStore } from './token-store.ts';

/**
 * What {@link getFreshTokens} works with.
 *
 * @example
 * ```ts
 * const options: FreshTokensOptions = { store, metadata, clientId };
 * ```
 */
export interface FreshTokensOptions extends TokenRequestOptions {
  store: TokenStore;
  metadata: AuthorizationServerMetadata;
  clientId: string;
  /** Refresh this many seconds before `expiresAt` (default 30). */
  leewaySeconds?: number | undefined;
  jwks?: RemoteJwks | undefined;
}

/**
 * Loads the stored tokens and refreshes them first when the access token has expired; the refreshed
 * tokens are saved. Returns undefined when nobody is signed in. When the server refuses the refresh token
 * (`invalid_grant`: revoked, expired), the store is cleared and the error is thrown: sign in again.
 *
 * @example
 * ```ts
 * import { getFreshTokens } from '@latchkey/client';
 *
 * const tokens = await getFreshTokens({ store, metadata, clientId });
 * if (tokens === undefined) throw new Error('Not signed in: run login first.');
 * await fetch(apiUrl, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
 * ```
 */
export async function getFreshTokens(options: FreshTokensOptions): Promise<TokenSet | undefined> {
  const { store, metadata, clientId } = options;
  const tokens = await store.load();
  if (tokens === undefined) return undefined;
  const leeway = { leewaySeconds: options.leewaySeconds ?? 30, ...(options.now ? { now: options.now } : {}) };
  if (!isAccessTokenExpired(tokens, leeway)) return tokens;
  if (tokens.refreshToken === undefined) {
    throw new LatchkeyClientError(
      'The access token has expired and there is no refresh token (request the offline_access scope to get one). Sign in again.',
    );
  }
  let fresh: TokenSet;
  try {
    fresh = await refreshTokens(metadata, { clientId, refreshToken: tokens.refreshToken }, options);
  } catch (error) {
    if (error instanceof OAuthResponseError && error.error === 'invalid_grant') await store.clear();
    throw error;
  }
  if (fresh.idToken !== undefined) {
    const claims = await validateIdToken(fresh.idToken, {
      ...options,
      metadata,
      clientId,
      accessToken: fresh.accessToken,
    });
    const previous = tokens.idToken === undefined ? undefined : decodeJwt(tokens.idToken).claims['sub'];
    if (previous !== undefined && claims.sub !== previous) {
      throw new IdTokenValidationError(
        'subject_mismatch',
        `the refreshed ID token is about another user (sub ${claims.sub}, before ${String(previous)}). Sign in again.`,
      );
    }
  } else if (tokens.idToken !== undefined) {
    fresh = { ...fresh, idToken: tokens.idToken };
  }
  await store.save(fresh);
  return fresh;
}
