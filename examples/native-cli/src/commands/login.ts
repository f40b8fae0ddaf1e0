// `latchkey-example login`: PKCE sign-in through the system browser and a loopback redirect (RFC 8252),
// then the tokens go to the token file.

import { OAuthResponseError } from '@latchkey/client';
import { loginWithLoopback } from '@latchkey/client/node';
import { openContext } from '../context.ts';
import { SCOPES, saveClientId } from '../settings.ts';

export interface LoginOptions {
  /** commander's `--no-browser` sets this to false. */
  browser: boolean;
  clientId?: string;
  timeout: number;
}

export async function login(options: LoginOptions): Promise<void> {
  const context = await openContext(options.clientId);
  if (options.clientId !== undefined) await saveClientId(context.settings, options.clientId);
  let result: Awaited<ReturnType<typeof loginWithLoopback>>;
  try {
    result = await loginWithLoopback({
      issuer: context.settings.issuer,
      metadata: context.metadata,
      clientId: context.clientId,
      scopes: SCOPES,
      appName: 'latchkey-example',
      openBrowser: options.browser,
      timeoutMs: options.timeout * 1000,
      onAuthorizationUrl: (url, opened) => {
        const lead = opened
          ? 'Your browser has been opened to sign in. If it did not open, visit this URL:'
          : 'Open this URL in your browser to sign in:';
        process.stdout.write(`${lead}\n\n  ${url}\n\nWaiting for the browser to come back…\n`);
      },
    });
  } catch (error) {
    if (
      error instanceof OAuthResponseError &&
      error.error === 'invalid_scope' &&
      /messages:read/.test(error.errorDescription ?? '')
    ) {
      throw new Error(
        `${error.message}\nThe example API's scope is not registered yet. Run: npx latchkey servers add-scope default --name messages:read (or npm run example:setup).`,
      );
    }
    throw error;
  }
  await context.store.save(result.tokens);
  const who = result.claims?.name ?? result.claims?.preferred_username ?? result.claims?.sub ?? 'unknown';
  process.stdout.write(
    `Signed in as ${who}. Granted scopes: ${result.tokens.scope ?? '(not reported)'}.\n` +
      `Tokens saved to ${context.store.path} (readable only by you).\n`,
  );
}
