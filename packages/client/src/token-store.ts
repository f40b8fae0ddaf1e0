// Where an app keeps its tokens between runs. The interface is small so that each platform can use its
// secure storage (Keychain, Android Keystore, Electron safeStorage, libsecret); the in-memory store is
// for tests and short-lived processes.

import type { TokenSet } from './token-request.ts';

/**
 * Persists one signed-in user's tokens.
 *
 * @example
 * ```ts
 * class KeychainTokenStore implements TokenStore {
 *   async load() { const text = await keychain.get('tokens'); return text ? JSON.parse(text) : undefined; }
 *   async save(tokens: TokenSet) { await keychain.set('tokens', JSON.stringify(tokens)); }
 *   async clear() { await keychain.delete('tokens'); }
 * }
 * ```
 */
export interface TokenStore {
  /** The saved tokens, or undefined when nobody is signed in. */
  load(): Promise<TokenSet | undefined>;
  save(tokens: TokenSet): Promise<void>;
  clear(): Promise<void>;
}

/**
 * A {@link TokenStore} in memory: the tokens are gone when the process ends.
 *
 * @example
 * ```ts
 * import { MemoryTokenStore } from '@latchkey/client';
 *
 * const store = new MemoryTokenStore();
 * await store.save(tokens);
 * const again = await store.load();
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  private tokens: TokenSet | undefined;

  async load(): Promise<TokenSet | undefined> {
    return this.tokens === undefined ? undefined : { ...this.tokens };
  }

  async save(tokens: TokenSet): Promise<void> {
    this.tokens = { ...tokens };
  }

  async clear(): Promise<void> {
    this.tokens = undefined;
  }
}

/**
 * Whether the access token has expired or will within `leewaySeconds` (default 30), so that a request
 * sent now would arrive with a dead token. Tokens without `expiresAt` count as valid.
 *
 * @example
 * ```ts
 * import { isAccessTokenExpired } from '@latchkey/client';
 *
 * if (isAccessTokenExpired(tokens)) tokens = await refreshTokens(metadata, { clientId, refreshToken });
 * ```
 */
export function isAccessTokenExpired(
  tokens: Pick<TokenSet, 'expiresAt'>,
  options: { leewaySeconds?: number; now?: () => number } = {},
): boolean {
  if (tokens.expiresAt === undefined) return false;
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  return now + (options.leewaySeconds ?? 30) >= tokens.expiresAt;
}
