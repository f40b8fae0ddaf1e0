// Console sessions (SECURITY-MATRIX AD-01, LG-07; ASVS 7.3, 8.2.1): their own cookie and table, never the
// SSO session. SameSite=Strict (the console is never entered from another site), HttpOnly, `__Host-` when
// Secure, 30 minutes idle and 8 hours absolute. Only users with the admin role hold one, and it ends when
// the user is deactivated, loses the role or changes their password.

import type { CookieSerializeOptions } from '@fastify/cookie';
import type { Deps } from '../deps.ts';
import { generateOpaqueToken, sha256Hex } from '../oauth/random.ts';
import type { AdminSessionRow, UserRow } from '../storage/store.ts';

export const ADMIN_IDLE_SECONDS = 30 * 60;
export const ADMIN_ABSOLUTE_SECONDS = 8 * 3600;
/** Activity is written at most this often, so browsing the console is not a write per request. */
const TOUCH_INTERVAL_SECONDS = 60;

type SessionDeps = Pick<Deps, 'store' | 'clock'>;

export interface AdminContext {
  session: AdminSessionRow;
  user: UserRow;
}

export function adminCookieName(secure: boolean): string {
  return `${secure ? '__Host-' : ''}latchkey-admin`;
}

export function adminCookie(secure: boolean): CookieSerializeOptions {
  return { path: '/', httpOnly: true, secure, sameSite: 'strict', maxAge: ADMIN_ABSOLUTE_SECONDS };
}

export async function createAdminSession(
  deps: SessionDeps,
  userId: string,
): Promise<{ sessionId: string; row: AdminSessionRow }> {
  const now = deps.clock.now();
  const sessionId = generateOpaqueToken();
  const row: AdminSessionRow = {
    idHash: sha256Hex(sessionId),
    userId,
    createdAt: now,
    lastActiveAt: now,
    expiresAt: now + ADMIN_ABSOLUTE_SECONDS,
    revokedAt: null,
  };
  await deps.store.adminSessions.create(row);
  return { sessionId, row };
}

/** The admin behind this cookie value, while the session is live and the user is still an active admin. */
export async function findAdminSession(
  deps: SessionDeps,
  sessionId: string | undefined,
): Promise<AdminContext | undefined> {
  if (sessionId === undefined || sessionId === '' || sessionId.length > 200) return undefined;
  const now = deps.clock.now();
  const session = await deps.store.adminSessions.get(sha256Hex(sessionId), now);
  if (session === undefined || now - session.lastActiveAt >= ADMIN_IDLE_SECONDS) return undefined;
  const user = await deps.store.users.get(session.userId);
  if (user === undefined || user.status !== 'ACTIVE' || !user.isAdmin) return undefined;
  // ASVS 7.4.3: a password change ends the sessions the old password opened.
  if (user.passwordChangedAt !== null && user.passwordChangedAt > session.createdAt) return undefined;
  if (now - session.lastActiveAt >= TOUCH_INTERVAL_SECONDS) {
    await deps.store.adminSessions.touch(session.idHash, now);
  }
  return { session, user };
}

export async function endAdminSession(deps: SessionDeps, sessionId: string | undefined): Promise<void> {
  if (sessionId === undefined || sessionId === '' || sessionId.length > 200) return;
  await deps.store.adminSessions.revoke(sha256Hex(sessionId), deps.clock.now());
}
