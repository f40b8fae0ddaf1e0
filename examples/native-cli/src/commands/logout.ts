// `latchkey-example logout`: revokes the refresh token (which ends the access tokens minted from it) and
// the access token (RFC 7009), deletes the token file, and ends the browser's SSO session through the
// server's logout endpoint (RP-Initiated Logout) in the system browser.

import { buildLogoutUrl, revokeToken } from '@latchkey/client';
import { openSystemBrowser } from '@latchkey/client/node';
import { openContext } from '../context.ts';

export async function logout(options: { browser: boolean }): Promise<void> {
  const context = await openContext();
  const tokens = await context.store.load();
  if (tokens === undefined) {
    process.stdout.write('Not signed in; nothing to do.\n');
    return;
  }
  const failures: string[] = [];
  for (const [token, hint] of [
    [tokens.refreshToken, 'refresh_token'],
    [tokens.accessToken, 'access_token'],
  ] as const) {
    if (token === undefined) continue;
    try {
      await revokeToken(context.metadata, { clientId: context.clientId, token, tokenTypeHint: hint });
    } catch (error) {
      failures.push(`${hint}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Deleted even when the server could not be reached: the user asked to sign out of this app.
  await context.store.clear();
  if (failures.length > 0) {
    process.exitCode = 1;
    process.stderr.write(
      `The tokens were deleted from ${context.store.path}, but revoking them failed, so they stay valid until they expire:\n  ${failures.join('\n  ')}\n`,
    );
  } else {
    process.stdout.write(`Signed out: tokens revoked and deleted from ${context.store.path}.\n`);
  }

  // The browser still has its Latchkey session; the logout URL ends it (the ID token spares a confirmation).
  const url = buildLogoutUrl(context.metadata, { idTokenHint: tokens.idToken, clientId: context.clientId });
  const opened = options.browser && (await openSystemBrowser(url));
  process.stdout.write(
    opened
      ? 'Your browser has been opened to end the Latchkey session there too.\n'
      : `To end the Latchkey session in your browser too, open:\n\n  ${url}\n`,
  );
}
