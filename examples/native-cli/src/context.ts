// What every command needs: settings, the client id, the server's metadata and the token file.

import { type AuthorizationServerMetadata, discover, getFreshTokens, type TokenSet } from '@latchkey/client';
import { FileTokenStore } from './file-token-store.ts';
import { loadSettings, resolveClientId, type Settings, UsageError } from './settings.ts';

export interface Context {
  settings: Settings;
  clientId: string;
  metadata: AuthorizationServerMetadata;
  store: FileTokenStore;
}

export async function openContext(clientIdFlag?: string): Promise<Context> {
  const settings = loadSettings();
  const clientId = await resolveClientId(settings, clientIdFlag);
  const metadata = await discover(settings.issuer);
  return { settings, clientId, metadata, store: new FileTokenStore(settings, clientId) };
}

/**
 * The stored tokens, refreshed first when the access token has expired (saved again). `refreshed` tells
 * whether that happened.
 */
export async function currentTokens(context: Context): Promise<{ tokens: TokenSet; refreshed: boolean }> {
  const before = await context.store.load();
  if (before === undefined) throw notSignedIn();
  const tokens = await getFreshTokens({
    store: context.store,
    metadata: context.metadata,
    clientId: context.clientId,
  });
  if (tokens === undefined) throw notSignedIn();
  return { tokens, refreshed: tokens.accessToken !== before.accessToken };
}

export function notSignedIn(): UsageError {
  return new UsageError('Not signed in. Run: latchkey-example login');
}
