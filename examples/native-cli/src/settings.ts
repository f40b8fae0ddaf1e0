// Where the example finds its issuer, client id, API and config folder: environment first, then what
// `login --client-id` saved, then the local defaults of the walk-through.

import { chmod, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writePrivateFile } from './private-file.ts';

export const DEFAULT_ISSUER = 'http://localhost:8080/oauth2/default';
export const DEFAULT_API_URL = 'http://localhost:3000';
/** `messages:read` is the example API's scope; `offline_access` brings a refresh token. */
export const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'messages:read'];

export interface Settings {
  issuer: string;
  apiUrl: string;
  configDir: string;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    issuer: env['LATCHKEY_ISSUER'] ?? DEFAULT_ISSUER,
    apiUrl: (env['EXAMPLE_API_URL'] ?? DEFAULT_API_URL).replace(/\/$/, ''),
    configDir:
      env['LATCHKEY_EXAMPLE_CONFIG_DIR'] ??
      join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'latchkey-example'),
  };
}

/** The folder, created readable only by the user (0700); a looser existing one is tightened. */
export async function ensureConfigDir(settings: Settings): Promise<void> {
  await mkdir(settings.configDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(settings.configDir, 0o700);
}

interface SavedConfig {
  client_id?: string;
}

function configFile(settings: Settings): string {
  return join(settings.configDir, 'config.json');
}

/** The client id: `--client-id`, then LATCHKEY_CLIENT_ID, then the one saved by an earlier login. */
export async function resolveClientId(settings: Settings, fromFlag?: string): Promise<string> {
  if (fromFlag !== undefined) return fromFlag;
  const fromEnv = process.env['LATCHKEY_CLIENT_ID'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const saved = await readSavedConfig(settings);
  if (saved.client_id !== undefined) return saved.client_id;
  throw new UsageError(
    'No client id. Register the app (npm run example:setup prints its id), then run: latchkey-example login --client-id <client id>',
  );
}

export async function saveClientId(settings: Settings, clientId: string): Promise<void> {
  await ensureConfigDir(settings);
  const saved = await readSavedConfig(settings);
  await writePrivateFile(
    configFile(settings),
    `${JSON.stringify({ ...saved, client_id: clientId }, null, 2)}\n`,
  );
}

async function readSavedConfig(settings: Settings): Promise<SavedConfig> {
  try {
    return JSON.parse(await readFile(configFile(settings), 'utf8')) as SavedConfig;
  } catch {
    return {};
  }
}

/** A mistake the user fixes by running something else; printed without a stack. */
export class UsageError extends Error {}
