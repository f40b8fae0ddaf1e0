// What the admin API does to users beyond creating them (Okta's Users API): profile and password changes,
// activate, unlock and delete. Every change of several rows is one transaction, and passwords are hashed
// before it starts, so a refused or failed request changes nothing.

import type { Clock } from '../deps.ts';
import { ValidationError } from '../services/errors.ts';
import { DuplicateError, type Store, type UserRow } from '../storage/store.ts';
import { endUserSessions } from './sign-out.ts';
import { checkEmail, checkedHash, requireUser } from './users.ts';

type UserDeps = { store: Store; clock: Clock };

export interface UserChanges {
  login?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
  givenName?: string | null | undefined;
  familyName?: string | null | undefined;
  password?: string | undefined;
}

/** Applies the changes given; a new password ends the user's sessions and tokens (ASVS 7.4.3). */
export async function updateUser(deps: UserDeps, userId: string, changes: UserChanges): Promise<UserRow> {
  const user = await requireUser(deps.store, userId);
  const patch: Partial<UserRow> = {};
  if (changes.email !== undefined) patch.email = checkEmail(changes.email);
  if (changes.login !== undefined) {
    patch.login = changes.login.trim();
    if (patch.login === '' || patch.login.length > 254)
      throw new ValidationError('invalid_user', 'login', 'Login must be 1-254 characters.');
  }
  if (changes.name !== undefined) {
    patch.name = changes.name.trim();
    if (patch.name === '' || patch.name.length > 200)
      throw new ValidationError('invalid_user', 'name', 'Name must be 1-200 characters.');
  }
  if (changes.givenName !== undefined) patch.givenName = optionalName(changes.givenName, 'firstName');
  if (changes.familyName !== undefined) patch.familyName = optionalName(changes.familyName, 'lastName');
  const now = deps.clock.now();
  const updated: UserRow = { ...user, ...patch };
  if (changes.password !== undefined) {
    patch.passwordHash = await checkedHash(changes.password, updated);
    patch.passwordChangedAt = now;
    patch.failedLogins = 0;
    patch.lockedUntil = null;
  }
  patch.updatedAt = now;
  try {
    await deps.store.transaction(async (tx) => {
      await tx.users.update(user.id, patch);
      if (changes.password !== undefined) await endUserSessions(tx, user.id, now);
    });
  } catch (error) {
    if (error instanceof DuplicateError) {
      throw new ValidationError(
        'invalid_user',
        'login',
        `A user with login "${patch.login}" already exists.`,
      );
    }
    throw error;
  }
  return { ...updated, ...patch };
}

/** DEPROVISIONED → ACTIVE. */
export async function activateUser(deps: UserDeps, userId: string): Promise<UserRow> {
  const user = await requireUser(deps.store, userId);
  if (user.status === 'ACTIVE')
    throw new ValidationError('invalid_user', 'status', 'The user is already active.');
  const patch = {
    status: 'ACTIVE' as const,
    failedLogins: 0,
    lockedUntil: null,
    updatedAt: deps.clock.now(),
  };
  await deps.store.users.update(user.id, patch);
  return { ...user, ...patch };
}

/** Ends a lockout (LG-03) before it expires by itself. */
export async function unlockUser(deps: UserDeps, userId: string): Promise<UserRow> {
  const user = await requireUser(deps.store, userId);
  if (user.status !== 'ACTIVE')
    throw new ValidationError(
      'invalid_user',
      'status',
      'The user is deactivated; activate the user instead.',
    );
  const patch = { failedLogins: 0, lockedUntil: null, updatedAt: deps.clock.now() };
  await deps.store.users.update(user.id, patch);
  return { ...user, ...patch };
}

/**
 * Deletes a deactivated user for good, with their consents; their sessions and tokens end in the same
 * transaction, so no instance honours them afterwards (ASVS 7.4.2).
 */
export async function deleteUser(deps: UserDeps, userId: string): Promise<UserRow> {
  const user = await requireUser(deps.store, userId);
  if (user.status !== 'DEPROVISIONED')
    throw new ValidationError('invalid_user', 'status', 'Only a deactivated user can be deleted.');
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await endUserSessions(tx, user.id, now);
    for (const consent of await tx.consents.listForUser(user.id)) {
      await tx.consents.revoke(user.id, consent.clientId, consent.serverId);
    }
    await tx.users.delete(user.id);
  });
  return user;
}

function optionalName(value: string | null, field: string): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length > 100)
    throw new ValidationError('invalid_user', field, `${field} must be at most 100 characters.`);
  return trimmed === '' ? null : trimmed;
}
