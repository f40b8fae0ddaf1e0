// `latchkey users …`: people who sign in. Passwords only ever arrive on stdin: a flag value would be kept
// in shell history and shown to every local user by `ps`. Output never includes a password hash.

import type { Command } from 'commander';
import { endUserSessions } from '../accounts/sign-out.ts';
import { createUser, deactivateUser, requireUser, setPassword } from '../accounts/users.ts';
import { ValidationError } from '../services/errors.ts';
import type { UserRow } from '../storage/store.ts';
import { withContext } from './context.ts';
import { emit, fields, isoTime, type JsonOption, notice, table, writeLines } from './output.ts';

const PASSWORD_HELP = `
Passwords are never accepted as a flag value (it would be saved in shell history and visible in ps).
Pipe the password in with --password-stdin; one trailing newline is removed, nothing else:
  printf '%s' "$PASSWORD" | latchkey users create --email alice@example.com --name "Alice Liddell" --password-stdin
  echo 'correct horse battery staple' | latchkey users set-password alice@example.com --password-stdin`;

// Okta's user resource, reduced to what Latchkey stores.
export function userJson(user: UserRow): Record<string, unknown> {
  return {
    id: user.id,
    status: user.status,
    created: isoTime(user.createdAt),
    profile: {
      login: user.login,
      email: user.email,
      name: user.name,
      firstName: user.givenName,
      lastName: user.familyName,
    },
    admin: user.isAdmin,
  };
}

function userText(user: UserRow): string[] {
  return fields([
    ['ID', user.id],
    ['Login', user.login],
    ['Email', user.email],
    ['Name', user.name],
    ['First name', user.givenName],
    ['Last name', user.familyName],
    ['Status', user.status],
    ['Admin', user.isAdmin],
    ['Password set', user.passwordHash !== null],
    ['Created', isoTime(user.createdAt)],
  ]);
}

/** The whole of stdin as the password, exactly as sent except for the one newline `echo` adds. */
export async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) notice('Type the password (it is shown as you type), then Enter and Ctrl-D:');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    // Silently replacing bytes would store a password the user cannot type at the sign-in page.
    throw new ValidationError('invalid_password', 'password', 'The password on stdin is not valid UTF-8.');
  }
  // CRLF counts as that one newline (echo on Windows); no other whitespace is touched (ASVS 6.2.4).
  return text.replace(/\r?\n$/, '');
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description('manage users');

  users
    .command('create')
    .description('create a user (without --password-stdin the user cannot sign in until a password is set)')
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--name <name>', 'full name, e.g. "Alice Liddell"')
    .option('--login <login>', 'sign-in name (default: the email)')
    .option('--password-stdin', 'read the password from stdin')
    .option('--admin', 'may use the admin console')
    .option('--json', 'print JSON')
    .addHelpText('after', PASSWORD_HELP)
    .action(
      async (options: {
        email: string;
        name: string;
        login?: string;
        passwordStdin?: boolean;
        admin?: boolean;
        json?: boolean;
      }) => {
        // Read before opening the database, so a slow typist holds no connection.
        const password = options.passwordStdin ? await readPasswordFromStdin() : undefined;
        await withContext(async ({ store, clock }) => {
          const user = await createUser(
            { store, clock },
            {
              email: options.email,
              name: options.name,
              login: options.login,
              password,
              isAdmin: options.admin,
            },
          );
          emit(options, userJson(user), () => userText(user));
        });
      },
    );

  users
    .command('list')
    .description('list users, by login')
    .option('--json', 'print JSON')
    .action((options: JsonOption) =>
      withContext(async ({ store }) => {
        const all: UserRow[] = [];
        // The store pages by login; read every page so the listing is complete.
        for (let after: string | undefined; ; ) {
          const page = await store.users.list({ limit: 500, ...(after === undefined ? {} : { after }) });
          all.push(...page);
          if (page.length < 500) break;
          after = page.at(-1)?.login;
        }
        emit(options, all.map(userJson), () =>
          table(
            ['ID', 'LOGIN', 'STATUS', 'ADMIN', 'NAME'],
            all.map((user) => [user.id, user.login, user.status, user.isAdmin, user.name]),
            'No users yet. Create one with: latchkey users create --help',
          ),
        );
      }),
    );

  users
    .command('show')
    .description('show a user')
    .argument('<idOrLogin>', 'user id (00u…) or login')
    .option('--json', 'print JSON')
    .action((idOrLogin: string, options: JsonOption) =>
      withContext(async ({ store }) => {
        const user = await requireUser(store, idOrLogin);
        emit(options, userJson(user), () => userText(user));
      }),
    );

  users
    .command('set-password')
    .description("set a user's password (also clears a lockout)")
    .argument('<idOrLogin>', 'user id (00u…) or login')
    .requiredOption('--password-stdin', 'read the password from stdin (required: see below)')
    .addHelpText('after', PASSWORD_HELP)
    .action(async (idOrLogin: string) => {
      const password = await readPasswordFromStdin();
      await withContext(async ({ store, clock }) => {
        const user = await setPassword({ store, clock }, idOrLogin, password);
        writeLines([`Password set for ${user.login} (${user.id}); their sessions and tokens were ended.`]);
      });
    });

  users
    .command('deactivate')
    .description('deactivate a user and end their sessions')
    .argument('<idOrLogin>', 'user id (00u…) or login')
    .action((idOrLogin: string) =>
      withContext(async ({ store, clock }) => {
        const user = await deactivateUser({ store, clock }, idOrLogin);
        writeLines([`Deactivated ${user.login} (${user.id}); their sessions and tokens were ended.`]);
      }),
    );

  users
    .command('sign-out')
    .description("end all of a user's sessions and revoke their refresh and access tokens")
    .argument('<idOrLogin>', 'user id (00u…) or login')
    .option('--json', 'print JSON')
    .action((idOrLogin: string, options: JsonOption) =>
      withContext(async ({ store, clock }) => {
        const user = await requireUser(store, idOrLogin);
        const ended = await endUserSessions(store, user.id, clock.now());
        emit(options, { id: user.id, login: user.login, ...ended }, () => [
          `Signed out ${user.login} (${user.id}): ${ended.sessions} session(s) ended, ${ended.refreshTokens} refresh token(s) and ${ended.accessTokens} access token(s) revoked.`,
        ]);
      }),
    );

  users
    .command('revoke-consent')
    .description('forget the consent a user gave an app, so the app asks again')
    .argument('<idOrLogin>', 'user id (00u…) or login')
    .requiredOption('--app <clientId>', 'the app whose consent is forgotten')
    .option('--server <id>', 'authorization server', 'default')
    .option('--json', 'print JSON')
    .action((idOrLogin: string, options: JsonOption & { app: string; server: string }) =>
      withContext(async ({ store }) => {
        const user = await requireUser(store, idOrLogin);
        const revoked = await store.consents.revoke(user.id, options.app, options.server);
        emit(options, { id: user.id, clientId: options.app, serverId: options.server, revoked }, () => [
          revoked
            ? `Consent of ${user.login} for ${options.app} on ${options.server} revoked; the app will ask again.`
            : `${user.login} had no remembered consent for ${options.app} on ${options.server}.`,
        ]);
      }),
    );
}
