// The first admin (issue 5). At start-up, when no active admin exists: LATCHKEY_BOOTSTRAP_ADMIN_EMAIL and
// LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD create one (the password policy applies; a refused value stops start-up
// naming the variable), or, with neither set, a one-time setup link is made: its token is stored only as a
// SHA-256 hash in settings, expires after 24 h and is consumed by the one setup that uses it.

import { ConfigError } from '../config/schema.ts';
import type { Deps } from '../deps.ts';
import { generateOpaqueToken, sha256Hex } from '../oauth/random.ts';
import { ValidationError } from '../services/errors.ts';
import type { Store, UserRow } from '../storage/store.ts';
import { createUser, type NewUser } from './users.ts';

export const SETUP_TOKEN_SECONDS = 24 * 3600;
export const SETUP_PATH = '/console/setup';
const EMAIL_VARIABLE = 'LATCHKEY_BOOTSTRAP_ADMIN_EMAIL';
const PASSWORD_VARIABLE = 'LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD';

type BootstrapDeps = Pick<Deps, 'store' | 'clock' | 'config'>;

export type BootstrapOutcome =
  | { kind: 'admin-exists' }
  | { kind: 'created'; user: UserRow }
  | { kind: 'setup-link'; url: string; expiresAt: number };

/** True when some user with the admin role can still sign in to the console. */
export async function hasActiveAdmin(store: Store): Promise<boolean> {
  for (let after: string | undefined; ; ) {
    const page = await store.users.list({
      limit: 100,
      admin: true,
      ...(after === undefined ? {} : { after }),
    });
    if (page.some((user) => user.status === 'ACTIVE')) return true;
    if (page.length < 100) return false;
    after = page.at(-1)?.login;
  }
}

export async function bootstrapAdmin(deps: BootstrapDeps, env: NodeJS.ProcessEnv): Promise<BootstrapOutcome> {
  const email = env[EMAIL_VARIABLE] ?? '';
  const password = env[PASSWORD_VARIABLE] ?? '';
  if ((email === '') !== (password === '')) {
    const missing = email === '' ? EMAIL_VARIABLE : PASSWORD_VARIABLE;
    throw new ConfigError(
      missing,
      `set it too, or unset ${email === '' ? PASSWORD_VARIABLE : EMAIL_VARIABLE}.`,
    );
  }
  if (await hasActiveAdmin(deps.store)) return { kind: 'admin-exists' };
  if (email === '') return createSetupLink(deps);
  try {
    const user = await createUser(deps, { email, name: 'Administrator', password, isAdmin: true });
    return { kind: 'created', user };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // Another instance starting at the same moment may have created this admin first.
    if (error.field === 'login' && (await hasActiveAdmin(deps.store))) return { kind: 'admin-exists' };
    const variable = error.field === 'password' ? PASSWORD_VARIABLE : EMAIL_VARIABLE;
    throw new ConfigError(variable, error.message);
  }
}

const tokenSetting = (hash: string): string => `admin_setup_token:${hash}`;
const usedSetting = (hash: string): string => `admin_setup_used:${hash}`;

async function createSetupLink(deps: BootstrapDeps): Promise<BootstrapOutcome> {
  const token = generateOpaqueToken();
  const expiresAt = deps.clock.now() + SETUP_TOKEN_SECONDS;
  await deps.store.settings.setIfAbsent(tokenSetting(sha256Hex(token)), String(expiresAt));
  const url = `${deps.config.publicUrl}${SETUP_PATH}?token=${encodeURIComponent(token)}`;
  return { kind: 'setup-link', url, expiresAt };
}

/** Whether a setup token may still be used: known, unexpired, unused, and no admin exists yet. */
export async function isSetupTokenUsable(
  deps: Pick<Deps, 'store' | 'clock'>,
  token: string,
): Promise<boolean> {
  if (token === '' || token.length > 200) return false;
  const hash = sha256Hex(token);
  const expiresAt = await deps.store.settings.get(tokenSetting(hash));
  if (expiresAt === undefined || Number(expiresAt) <= deps.clock.now()) return false;
  if ((await deps.store.settings.get(usedSetting(hash))) !== undefined) return false;
  return !(await hasActiveAdmin(deps.store));
}

/**
 * Creates the first admin and consumes the token, in one transaction: exactly one submission wins, and a
 * refused password (ValidationError) leaves the token usable. Undefined when the token cannot be used.
 */
export async function setUpFirstAdmin(
  deps: Pick<Deps, 'store' | 'clock'>,
  token: string,
  input: Omit<NewUser, 'isAdmin'>,
): Promise<UserRow | undefined> {
  if (!(await isSetupTokenUsable(deps, token))) return undefined;
  const hash = sha256Hex(token);
  return deps.store.transaction(async (tx) => {
    const claim = generateOpaqueToken();
    if ((await tx.settings.setIfAbsent(usedSetting(hash), claim)) !== claim) return undefined;
    if (await hasActiveAdmin(tx)) return undefined;
    return createUser({ store: tx, clock: deps.clock }, { ...input, isAdmin: true });
  });
}
