// Managing users: create, change password, deactivate. Passwords are hashed with argon2id before they
// reach the store, and checked against the policy first.

import type { Clock } from '../deps.ts';
import { generateId } from '../oauth/random.ts';
import { NotFoundError, ValidationError } from '../services/errors.ts';
import { DuplicateError, type Store, type UserRow } from '../storage/store.ts';
import { checkPasswordPolicy, hashPassword } from './passwords.ts';
import { endUserSessions } from './sign-out.ts';

export interface NewUser {
  email: string;
  /** Defaults to the email. */
  login?: string | undefined;
  name: string;
  givenName?: string | undefined;
  familyName?: string | undefined;
  password?: string | undefined;
  isAdmin?: boolean | undefined;
}

type UserDeps = { store: Store; clock: Clock };

// Deliberately simple: one @, something on each side, no spaces (RFC 5321 allows far more).
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The email as stored (trimmed), or a ValidationError naming the field. */
export function checkEmail(input: string): string {
  const email = input.trim();
  if (!EMAIL.test(email) || email.length > 254) {
    throw new ValidationError('invalid_user', 'email', `"${input}" is not an email address.`);
  }
  return email;
}

export async function createUser(deps: UserDeps, input: NewUser): Promise<UserRow> {
  const email = checkEmail(input.email);
  const login = (input.login ?? email).trim();
  if (login === '' || login.length > 254)
    throw new ValidationError('invalid_user', 'login', 'Login must be 1-254 characters.');
  const name = input.name.trim();
  if (name === '' || name.length > 200)
    throw new ValidationError('invalid_user', 'name', 'Name must be 1-200 characters.');
  const now = deps.clock.now();
  const [givenName, ...rest] = name.split(/\s+/);
  const row: UserRow = {
    id: generateId('00u'),
    login,
    email,
    name,
    givenName: input.givenName ?? givenName ?? null,
    familyName: input.familyName ?? (rest.length > 0 ? rest.join(' ') : null),
    passwordHash: null,
    status: 'ACTIVE',
    isAdmin: input.isAdmin ?? false,
    failedLogins: 0,
    lockedUntil: null,
    passwordChangedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  if (input.password !== undefined) {
    row.passwordHash = await checkedHash(input.password, row);
    row.passwordChangedAt = now;
  }
  try {
    await deps.store.users.create(row);
  } catch (error) {
    if (error instanceof DuplicateError) {
      throw new ValidationError('invalid_user', 'login', `A user with login "${login}" already exists.`);
    }
    throw error;
  }
  return row;
}

export async function setPassword(deps: UserDeps, userId: string, password: string): Promise<UserRow> {
  const user = await requireUser(deps.store, userId);
  const now = deps.clock.now();
  const passwordHash = await checkedHash(password, user);
  await deps.store.transaction(async (tx) => {
    await tx.users.update(user.id, {
      passwordHash,
      passwordChangedAt: now,
      updatedAt: now,
      failedLogins: 0,
      lockedUntil: null,
    });
    // ASVS 7.4.3: a changed password ends every session and token that the old one obtained (RT-07).
    await endUserSessions(tx, user.id, now);
  });
  return { ...user, passwordHash, passwordChangedAt: now, updatedAt: now };
}

export async function deactivateUser(deps: UserDeps, userId: string): Promise<UserRow> {
  const user = await requireUser(deps.store, userId);
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(user.id, { status: 'DEPROVISIONED', updatedAt: now });
    // A deactivated user keeps no browser session and no usable token (ASVS 7.4.2, RT-07).
    await endUserSessions(tx, user.id, now);
  });
  return { ...user, status: 'DEPROVISIONED', updatedAt: now };
}

/** Finds a user by id or by login. */
export async function requireUser(store: Store, idOrLogin: string): Promise<UserRow> {
  const user = (await store.users.get(idOrLogin)) ?? (await store.users.getByLogin(idOrLogin));
  if (user === undefined) throw new NotFoundError('User', idOrLogin);
  return user;
}

/** The argon2id hash of a password that meets the policy (checked against the user's login and email). */
export async function checkedHash(password: string, user: Pick<UserRow, 'login' | 'email'>): Promise<string> {
  const problem = checkPasswordPolicy(password, user);
  if (problem !== undefined) throw new ValidationError('invalid_password', 'password', problem);
  return hashPassword(password);
}
