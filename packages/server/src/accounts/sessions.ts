// The SSO session (ASVS 7.x): a random id in an HttpOnly cookie, only its SHA-256 stored; a new id at
// every sign-in (no fixation, SE-01); idle and absolute lifetimes checked against the injected clock.
// Cookie names take the `__Host-` prefix whenever they can be Secure (LG-07).

import type { CookieSerializeOptions } from '@fastify/cookie';
import type { Config } from '../config/schema.ts';
import type { Deps } from '../deps.ts';
import { generateOpaqueToken, sha256Hex } from '../oauth/random.ts';
import type { SessionRow } from '../storage/store.ts';

export const SESSION_IDLE_SECONDS = 2 * 3600;
export const SESSION_ABSOLUTE_SECONDS = 24 * 3600;
/** Activity is recorded at most once a minute; the idle timeout is that precise. */
export const SESSION_TOUCH_SECONDS = 60;
/** How long a sign-in page may sit before its form is refused (LG-02). */
export const SIGN_IN_TRANSACTION_SECONDS = 15 * 60;

export interface CookieNames {
  session: string;
  browser: string;
  csrf: string;
}

export function cookieNames(secure: boolean): CookieNames {
  const prefix = secure ? '__Host-' : '';
  return {
    session: `${prefix}latchkey-sid`,
    browser: `${prefix}latchkey-browser`,
    csrf: `${prefix}latchkey-csrf`,
  };
}

/**
 * The SSO session cookie: SameSite from LATCHKEY_SESSION_COOKIE_SAMESITE (`None` under https by default, so
 * an app's hidden iframe on another site renews tokens with prompt=none, issue 12 §1). `None` is safe here
 * because nothing changes state on this cookie alone: every form also needs the CSRF token, whose cookie
 * is SameSite=Strict, and a same-origin post (LG-01, LO-04).
 */
export function sessionCookie(
  config: Pick<Config, 'secureCookies' | 'sessionCookieSameSite'>,
  maxAge: number,
): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    secure: config.secureCookies,
    sameSite: config.sessionCookieSameSite,
    maxAge,
  };
}

/** SameSite=Lax: apps start sign-in with a top-level cross-site navigation that must carry the session. */
export function laxCookie(secure: boolean, maxAge: number): CookieSerializeOptions {
  return { path: '/', httpOnly: true, secure, sameSite: 'lax', maxAge };
}

export async function createSession(
  deps: Pick<Deps, 'store' | 'clock'>,
  userId: string,
  amr: string[],
): Promise<{ sessionId: string; row: SessionRow }> {
  const now = deps.clock.now();
  const sessionId = generateOpaqueToken();
  const row: SessionRow = {
    idHash: sha256Hex(sessionId),
    userId,
    authTime: now,
    amr,
    createdAt: now,
    lastActiveAt: now,
    expiresAt: now + SESSION_ABSOLUTE_SECONDS,
    revokedAt: null,
  };
  await deps.store.sessions.create(row);
  return { sessionId, row };
}

/** A live session for this cookie value, whose user may still sign in; undefined otherwise. */
export async function findSession(
  deps: Pick<Deps, 'store' | 'clock'>,
  sessionId: string | undefined,
): Promise<SessionRow | undefined> {
  if (sessionId === undefined || sessionId === '') return undefined;
  const now = deps.clock.now();
  const session = await deps.store.sessions.get(sha256Hex(sessionId), now);
  if (session === undefined || now - session.lastActiveAt > SESSION_IDLE_SECONDS) return undefined;
  const user = await deps.store.users.get(session.userId);
  if (user === undefined || user.status !== 'ACTIVE') return undefined;
  return session;
}
