// The `latchkey` program: one command group per file. Errors end here and become exit codes (see
// output.ts): commander usage errors exit 2 with commander's own message, service errors as mapped.

import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { registerApps } from './apps.ts';
import { registerBackup } from './backup.ts';
import { registerKeys } from './keys.ts';
import { registerMigrate } from './migrate.ts';
import { EXIT, reportError } from './output.ts';
import { registerServe } from './serve.ts';
import { registerServers } from './servers.ts';
import { registerTokens } from './tokens.ts';
import { registerUsers } from './users.ts';

const version = VERSION;

const program = new Command('latchkey')
  .description('Latchkey: a self-hosted, Okta-compatible OpenID Connect provider')
  .version(version)
  // Set before the subcommands are added, which inherit it: errors are thrown to us, not process.exit()ed.
  .exitOverride()
  .showHelpAfterError('(add --help for usage)');

registerServe(program);
registerMigrate(program);
registerApps(program);
registerUsers(program);
registerServers(program);
registerKeys(program);
registerTokens(program);
registerBackup(program);

// A bare `latchkey` serves. Done here rather than with commander's isDefault, which would turn a typo
// such as `latchkey user list` into "too many arguments for 'serve'" instead of "unknown command".
const argv = process.argv.length > 2 ? process.argv : [...process.argv, 'serve'];

try {
  await program.parseAsync(argv);
} catch (error) {
  // exitCode is set rather than calling process.exit(), so stdout is flushed before the process ends.
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  else process.exitCode = reportError(error);
}
