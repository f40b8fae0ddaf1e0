// latchkey-example: a native app built on @latchkey/client. Settings come from the environment
// (LATCHKEY_ISSUER, LATCHKEY_CLIENT_ID, EXAMPLE_API_URL, LATCHKEY_EXAMPLE_CONFIG_DIR); see README.md.

import { LatchkeyClientError } from '@latchkey/client';
import { Command, InvalidArgumentError } from 'commander';
import { call } from './commands/call.ts';
import { login } from './commands/login.ts';
import { logout } from './commands/logout.ts';
import { whoami } from './commands/whoami.ts';
import { UsageError } from './settings.ts';

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('a whole number of seconds');
  return parsed;
}

const program = new Command('latchkey-example')
  .description('An example native app: signs in with Latchkey (PKCE, loopback redirect) and calls an API.')
  .showHelpAfterError();

program
  .command('login')
  .description('sign in through your browser and save the tokens')
  .option('--no-browser', 'print the sign-in URL instead of opening the browser')
  .option('--client-id <id>', "the app's client id (saved for later commands)")
  .option('--timeout <seconds>', 'how long to wait for the browser', seconds, 300)
  .action((options: { browser: boolean; clientId?: string; timeout: number }) => login(options));

program
  .command('whoami')
  .description('show the ID token claims and /userinfo')
  .option('--json', 'print JSON')
  .action((options: { json?: boolean }) => whoami(options));

program
  .command('call')
  .description('call the example API with the access token (refreshed when expired)')
  .argument('[path]', 'the API path', '/messages')
  .option('--json', 'print the raw response')
  .action((path: string, options: { json?: boolean }) => call(path, options));

program
  .command('logout')
  .description('revoke and delete the tokens, and end the browser session')
  .option('--no-browser', 'print the logout URL instead of opening the browser')
  .action((options: { browser: boolean }) => logout(options));

try {
  await program.parseAsync();
} catch (error) {
  // The SDK's and this app's errors say what went wrong and what to do; others get a stack with DEBUG=1.
  process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  const expected = error instanceof LatchkeyClientError || error instanceof UsageError;
  if (!expected && error instanceof Error && process.env['DEBUG']) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
