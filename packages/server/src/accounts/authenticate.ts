// Checks a username and password (ASVS 6.3): one generic failure for unknown users, wrong passwords,
// locked and deactivated accounts (LG-05), a dummy argon2 check for unknown users so timings match, and a
// temporary lock after repeated failures, counted in the database so it holds across instances (LG-03).

import type { Deps } from '../deps.ts';
import { sha256Hex } from '../oauth/random.ts';
import type { UserRow } from '../storage/store.ts';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './passwords.ts';

export const LOCKOUT_THRESHOLD = 10;
export const LOCKOUT_SECONDS = 15 * 60;

/** Why a sign-in failed, for the metrics (a fixed set, so it can be a label). */
export type AuthenticationFailure =
  | 'unknown_user'
  | 'no_password'
  | 'locked'
  | 'wrong_password'
  | 'deactivated'
  | 'locked_meanwhile';

export type AuthenticationResult =
  | { ok: true; user: UserRow }
  /**
   * `reason` is for the system log only; the user sees one generic message. `lockedNow`: this attempt
   * is the one that locked the account.
   */
  | {
      ok: false;
      reason: string;
      failure: AuthenticationFailure;
      lockedNow: boolean;
      user: UserRow | undefined;
    };

export async function authenticatePassword(
  deps: Pick<Deps, 'store' | 'clock'>,
  login: string,
  password: string,
): Promise<AuthenticationResult> {
  const user = login === '' ? undefined : await deps.store.users.getByLogin(login.trim());
  const now = deps.clock.now();
  if (user === undefined || user.passwordHash === null) {
    await burnPasswordCheck(password);
    // Every failure path does exactly one argon2 check and one database write, so an unknown login takes
    // as long as a known one (LG-05); the count also shows guessing at logins that do not exist.
    await deps.store.rateLimits.hit(
      `sign-in-failure:${sha256Hex(login.trim().toLowerCase())}`,
      now - (now % 3600),
      now - (now % 3600) + 3600,
    );
    return {
      ok: false,
      reason: user ? 'the user has no password set' : `no user with login "${login.slice(0, 100)}"`,
      failure: user ? 'no_password' : 'unknown_user',
      lockedNow: false,
      user,
    };
  }
  // LG-03: the attempt is counted, and the lock checked, in one atomic step before the password is, so
  // concurrent guesses cannot all pass a lock check made before any of them failed. A locked account does
  // the same argon2 work (LG-05) and fails even with the right password, saying nothing different.
  const policy = { now, threshold: LOCKOUT_THRESHOLD, lockSeconds: LOCKOUT_SECONDS };
  const attempt = await deps.store.users.beginLogin(user.id, policy);
  if (attempt === undefined) {
    await burnPasswordCheck(password);
    const lockedUntil = (await deps.store.users.get(user.id))?.lockedUntil ?? now;
    return {
      ok: false,
      reason: `the account is locked until ${new Date(lockedUntil * 1000).toISOString()}`,
      failure: 'locked',
      lockedNow: false,
      user,
    };
  }
  const valid = await verifyPassword(user.passwordHash, password);
  if (!valid) {
    const locked = attempt >= LOCKOUT_THRESHOLD;
    return {
      ok: false,
      reason: locked
        ? `wrong password; the account is now locked for ${LOCKOUT_SECONDS / 60} minutes`
        : 'wrong password',
      failure: 'wrong_password',
      // beginLogin set the lock in the same statement that counted this attempt (no attempt begins while locked).
      lockedNow: locked,
      user,
    };
  }
  if (user.status !== 'ACTIVE') {
    return { ok: false, reason: 'the user is deactivated', failure: 'deactivated', lockedNow: false, user };
  }
  // A right password is refused when another attempt locked the account while it was being checked.
  if (!(await deps.store.users.completeLogin(user.id, { ...policy, attempt }))) {
    return {
      ok: false,
      reason: 'the account was locked by other attempts while this password was checked',
      failure: 'locked_meanwhile',
      lockedNow: false,
      user,
    };
  }
  if (needsRehash(user.passwordHash)) {
    await deps.store.users.update(user.id, { passwordHash: await hashPassword(password), updatedAt: now });
  }
  return { ok: true, user };
}
