// What a management command works with: the configuration, an open (migrated) store, the key ring and the
// clock. It reads the same environment as `latchkey serve`, so a command run next to the server talks to
// the same database with the same secret. The store is always closed, or the process would stay alive
// on the PostgreSQL pool.

import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/load.ts';
import { type Config, ConfigError } from '../config/schema.ts';
import { type Clock, systemClock } from '../deps.ts';
import { KeyRing } from '../oauth/keys/key-ring.ts';
import { ensureDefaultServer } from '../services/authorization-servers.ts';
import { openStore, parseDatabaseUrl } from '../storage/open-store.ts';
import type { Store } from '../storage/store.ts';
import { notice } from './output.ts';

export interface CliContext {
  config: Readonly<Config>;
  store: Store;
  keys: KeyRing;
  clock: Clock;
}

/** Loads and checks the configuration; start-up warnings go to stderr unless logging is quietened. */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const { config, warnings } = loadConfig(env);
  // loadConfig only checks the prefix; a URL the store cannot open is still a configuration problem (78).
  try {
    parseDatabaseUrl(config.databaseUrl);
  } catch (error) {
    throw new ConfigError('DATABASE_URL', error instanceof Error ? error.message : String(error));
  }
  if (!['silent', 'fatal', 'error'].includes(config.logLevel)) {
    for (const warning of warnings) notice(`Warning: ${warning}`);
  }
  return config;
}

export async function withContext<T>(fn: (context: CliContext) => Promise<T>): Promise<T> {
  const config = loadCliConfig();
  const store = await openStore(config.databaseUrl);
  try {
    const keys = new KeyRing({ store, clock: systemClock, secret: config.secret });
    // Commands may run before the first `serve` (e.g. provisioning a fresh install from a script), and an
    // app or key listing should describe the same installation the server will show.
    await ensureDefaultServer({ store, clock: systemClock, keys });
    return await fn({ config, store, keys, clock: systemClock });
  } finally {
    await store.close();
  }
}

// Option parsers shared by the command groups. A thrown InvalidArgumentError becomes a commander usage
// error (exit 2) naming the option.

/** For repeatable options: `--redirect-uri a --redirect-uri b` → ['a', 'b']. Undefined when never given. */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function wholeSeconds(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number of seconds.');
  return Number(value);
}
