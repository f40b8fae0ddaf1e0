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
  | 'attempts_in_progress'
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
  // LG-03: the attempt starts, and the lock is checked, in one atomic step before the password is, so
  // concurrent guesses cannot all pass a lock check made before any of them failed. A refused attempt does
  // the same argon2 work (LG-05) and fails even with the right password, saying nothing different.
  const policy = { now, threshold: LOCKOUT_THRESHOLD, lockSeconds: LOCKOUT_SECONDS };
  if (!(await deps.store.users.beginLogin(user.id, policy))) {
    await burnPasswordCheck(password);
    const lockedUntil = (await deps.store.users.get(user.id))?.lockedUntil ?? null;
    const locked = lockedUntil !== null && lockedUntil > now;
    return {
      ok: false,
      reason: locked
        ? `the account is locked until ${new Date(lockedUntil * 1000).toISOString()}`
        : `${LOCKOUT_THRESHOLD} sign-ins to this account are already being checked; the password was not checked`,
      failure: locked ? 'locked' : 'attempts_in_progress',
      lockedNow: false,
      user,
    };
  }
  const valid = await verifyPassword(user.passwordHash, password);
  if (!valid || user.status !== 'ACTIVE') {
    const lockedNow = await deps.store.users.failLogin(user.id, policy);
    const why = valid ? 'the user is deactivated' : 'wrong password';
    return {
      ok: false,
      reason: lockedNow ? `${why}; the account is now locked for ${LOCKOUT_SECONDS / 60} minutes` : why,
      failure: valid ? 'deactivated' : 'wrong_password',
      lockedNow,
      user,
    };
  }
  // A right password is refused when failures checked beside it locked the account meanwhile.
  if (!(await deps.store.users.completeLogin(user.id, policy))) {
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
