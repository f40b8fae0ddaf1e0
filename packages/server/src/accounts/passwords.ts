// Password storage per OWASP's Password Storage Cheat Sheet and ASVS 11.4.2: argon2id, m=19456 KiB, t=2,
// p=1, 16-byte random salt, as a PHC string. Passwords are checked exactly as received (ASVS 6.2.4:
// no trimming, case-folding or truncation).

import { createRequire } from 'node:module';
import { hash, type Options, verify } from '@node-rs/argon2';

type DumbPasswords = typeof import('dumb-passwords');
// Loaded at the first password check, not at start-up: most requests never set a password (issue 11).
let dumbPasswords: DumbPasswords | undefined;
const commonPasswords = (): DumbPasswords =>
  (dumbPasswords ??= createRequire(import.meta.url)('dumb-passwords') as DumbPasswords);

// `Algorithm` is an ambient const enum, which verbatimModuleSyntax cannot read: 2 is Argon2id.
export const ARGON2_PARAMETERS: Options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMETERS);
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

/** True when a stored hash is weaker than today's parameters, so it is rehashed at the next sign-in. */
export function needsRehash(phc: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
  if (!match) return true;
  return (
    Number(match[1]) < (ARGON2_PARAMETERS.memoryCost ?? 0) ||
    Number(match[2]) < (ARGON2_PARAMETERS.timeCost ?? 0)
  );
}

// A hash of a random password, verified against for unknown users so that their response takes as long
// as a wrong password for a known user (LG-05).
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  await verifyPassword(await dummyHash, password);
}

/** Returns why a new password is refused, or undefined (ASVS 6.2.1, 6.2.9, 6.2.12). */
export function checkPasswordPolicy(
  password: string,
  context: { login: string; email: string },
): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `Password must be at least ${MIN_PASSWORD_LENGTH} characters long (15 or more is better).`;
  }
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  const lower = password.toLowerCase();
  if (lower === context.login.toLowerCase() || lower === context.email.toLowerCase()) {
    return 'Password must not be the same as the username or email.';
  }
  // The 10,000 most frequent passwords of public breach corpora (ASVS 6.2.12).
  if (commonPasswords().check(password))
    return 'Password is too common; choose one that is not on lists of leaked passwords.';
  return undefined;
}
