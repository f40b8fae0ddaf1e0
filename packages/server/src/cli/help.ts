// What `--help` adds to commander's own text (issue 12): an example for every command, "(required)" on
// each mandatory option, and for `serve` the settings it reads with their defaults (from config/settings).

import type { Command } from 'commander';
import { settingsHelp } from '../config/settings.ts';

/** Keyed by the command's path below `latchkey`. */
const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  serve: [
    'latchkey serve',
    'PORT=9000 DATABASE_URL=postgres://latchkey@db:5432/latchkey LATCHKEY_SECRET=… latchkey serve',
  ],
  migrate: ['DATABASE_URL=postgres://latchkey@db:5432/latchkey latchkey migrate'],
  config: ['latchkey config', 'latchkey config --json'],
  backup: ['latchkey backup backups/latchkey-2026-01-31.db'],
  restore: ['latchkey restore backups/latchkey-2026-01-31.db'],
  apps: ['latchkey apps list', 'latchkey apps create --help'],
  'apps create': [
    'latchkey apps create --name "My Native App" --type native --redirect-uri com.example.app:/callback',
    'latchkey apps create --name "My SPA" --type spa --redirect-uri https://app.example.com/callback',
    'latchkey apps create --name "My Web App" --type web --redirect-uri https://app.example.com/authorization-code/callback --auth-method client_secret_post',
  ],
  'apps list': ['latchkey apps list --json'],
  'apps show': ['latchkey apps show 0oa1b2c3d4e5f6g7h8i9'],
  'apps update': [
    'latchkey apps update 0oa1b2c3d4e5f6g7h8i9 --auth-method client_secret_post',
    'latchkey apps update 0oa1b2c3d4e5f6g7h8i9 --no-pkce-required --grant refresh_token',
  ],
  'apps delete': ['latchkey apps delete 0oa1b2c3d4e5f6g7h8i9'],
  users: ['latchkey users list', 'latchkey users create --help'],
  'users create': [
    `printf '%s' "$PASSWORD" | latchkey users create --email alice@example.com --name "Alice Liddell" --password-stdin`,
  ],
  'users list': ['latchkey users list --json'],
  'users show': ['latchkey users show alice@example.com'],
  'users set-password': [
    `printf '%s' "$PASSWORD" | latchkey users set-password alice@example.com --password-stdin`,
  ],
  'users deactivate': ['latchkey users deactivate alice@example.com'],
  'users sign-out': ['latchkey users sign-out alice@example.com'],
  'users revoke-consent': ['latchkey users revoke-consent alice@example.com --app 0oa1b2c3d4e5f6g7h8i9'],
  servers: ['latchkey servers list', 'latchkey servers create --help'],
  'servers create': ['latchkey servers create --name "Orders API" --audience api://orders'],
  'servers list': ['latchkey servers list --json'],
  'servers show': ['latchkey servers show default'],
  'servers add-scope': [
    'latchkey servers add-scope default --name messages:read --description "Read your messages"',
  ],
  'servers add-resource': ['latchkey servers add-resource default --resource https://mcp.example.com/mcp'],
  keys: ['latchkey keys list', 'latchkey keys rotate --server default'],
  'keys list': ['latchkey keys list --server default'],
  'keys rotate': ['latchkey keys rotate --server default'],
  'keys revoke': ['latchkey keys revoke 3kq0X9… --server default --yes'],
  tokens: ['latchkey tokens list', 'latchkey tokens create --name terraform --expires-in 90'],
  'tokens create': ['latchkey tokens create --name terraform --expires-in 90'],
  'tokens list': ['latchkey tokens list --json'],
  'tokens revoke': ['latchkey tokens revoke 00T1b2c3d4e5f6g7h8i9'],
};

function pathOf(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/** Adds examples, required markers and the settings list to every command below `program`. */
export function completeHelp(program: Command): void {
  program.addHelpText(
    'after',
    `\nExamples:\n  latchkey apps create --help\n  latchkey serve --help   (the settings)`,
  );
  const visit = (command: Command): void => {
    for (const sub of command.commands) {
      const path = pathOf(sub);
      for (const option of sub.options) {
        if (option.mandatory && !option.description.includes('(required'))
          option.description += ' (required)';
      }
      const examples = EXAMPLES[path];
      if (examples === undefined) throw new Error(`latchkey ${path} has no example in cli/help.ts`);
      const text = [
        ...(path === 'serve' ? ['', settingsHelp()] : []),
        '',
        examples.length === 1 ? 'Example:' : 'Examples:',
        ...examples.map((line) => `  ${line}`),
      ];
      sub.addHelpText('after', text.join('\n'));
      visit(sub);
    }
  };
  visit(program);
}
