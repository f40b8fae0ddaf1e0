// Who may use the console and how its pages are sent (SECURITY-MATRIX AD-01, LG-07, LG-08). A console page
// needs a live admin session (its own `__Host-latchkey-admin` cookie, never the SSO session); every form
// post is same-origin (rejectCrossSite) and carries a CSRF token. Pages go out through sendHtml, so each
// has `frame-ancestors 'none'` and `no-store`, and script only with the response's nonce.

import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { type AdminContext, adminCookieName, findAdminSession } from '../../accounts/admin-sessions.ts';
import { authenticatePassword } from '../../accounts/authenticate.ts';
import { recordEvent } from '../../audit.ts';
import { countSignIn } from '../../metrics/record.ts';
import type { Tone } from '../../ui/console/components.tsx';
import type { ConsoleFrame } from '../../ui/console/layout.tsx';
import { renderConsoleMessagePage } from '../../ui/console/message-page.tsx';
import type { HttpContext } from '../context.ts';
import { generateNonce, sendHtml } from '../security-headers.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in admin, set by `requireAdmin` on console routes. */
    consoleAdmin?: AdminContext;
  }
}

export const CONSOLE_HOME = '/console/apps';
export const CONSOLE_SIGN_IN = '/console/sign-in';

/** Only a console path may be a `next` target (LG-10): no scheme, no `//`, no backslash. */
export function safeNext(value: string | undefined): string {
  if (value === undefined || !/^\/console(?:[/?][A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*)?$/.test(value)) {
    return CONSOLE_HOME;
  }
  const toHome = value.includes('//') || value.startsWith('/console/sign-') || /^\/console\/?$/.test(value);
  return toHome ? CONSOLE_HOME : value;
}

export function adminOf(request: FastifyRequest): AdminContext {
  const admin = request.consoleAdmin;
  if (admin === undefined) throw new Error('console route without requireAdmin');
  return admin;
}

/**
 * GET without an admin session: a redirect to the console sign-in, coming back afterwards. Anything else
 * (a form post whose session ended): 401 with a page that links to the sign-in.
 */
export function requireAdmin(ctx: HttpContext): preHandlerAsyncHookHandler {
  const cookie = adminCookieName(ctx.deps.config.secureCookies);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const admin = await findAdminSession(ctx.deps, request.cookies[cookie]);
    if (admin !== undefined) {
      request.consoleAdmin = admin;
      return;
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      const next = safeNext(request.url);
      const target =
        next === CONSOLE_HOME ? CONSOLE_SIGN_IN : `${CONSOLE_SIGN_IN}?next=${encodeURIComponent(next)}`;
      await reply.status(303).header('Location', target).header('Cache-Control', 'no-store').send();
      return;
    }
    await sendHtml(
      reply,
      401,
      renderConsoleMessagePage({
        title: 'Sign in again',
        message: 'Your console session has ended, so nothing was changed. Sign in and try again.',
        link: { href: CONSOLE_SIGN_IN, label: 'Sign in to the console' },
      }),
    );
  };
}

/** Known result messages, named in a redirect's `?done=` so that no text from the URL is ever shown. */
const FLASH = {
  welcome: {
    tone: 'success',
    message: 'Welcome! Your admin account is ready. Start by adding an application.',
  },
  'app-created': { tone: 'success', message: 'Application created. Use its Client ID in your app.' },
  'app-saved': { tone: 'success', message: 'Settings saved.' },
  'app-deactivated': {
    tone: 'warning',
    message: 'Application deactivated: it can no longer sign anyone in.',
  },
  'app-activated': { tone: 'success', message: 'Application activated.' },
  'app-deleted': { tone: 'success', message: 'Application deleted.' },
  'user-created': { tone: 'success', message: 'User created.' },
  'password-set': { tone: 'success', message: 'Password set. The user was signed out everywhere.' },
  'user-deactivated': { tone: 'warning', message: 'User deactivated and signed out everywhere.' },
  'user-activated': { tone: 'success', message: 'User activated.' },
  'user-unlocked': { tone: 'success', message: 'User unlocked. They can sign in again now.' },
  'user-signed-out': { tone: 'success', message: 'The user was signed out of every session and app.' },
  'user-deleted': { tone: 'success', message: 'User deleted.' },
  'server-saved': { tone: 'success', message: 'Authorization server saved.' },
  'scope-added': { tone: 'success', message: 'Scope added. It is published in discovery.' },
  'key-staged': {
    tone: 'success',
    message: 'Next key staged and published. It starts signing after the pre-publication window.',
  },
  'key-already-staged': { tone: 'info', message: 'A next key is already staged; nothing was created.' },
  'secret-rotated': { tone: 'warning', message: 'New client secret generated; the old one no longer works.' },
  'token-revoked': { tone: 'warning', message: 'API token revoked: every instance refuses it now.' },
} satisfies Record<string, { tone: Tone; message: string }>;

export type FlashKey = keyof typeof FLASH;

/** The frame of a signed-in console page: the admin, a CSRF token for its forms, a nonce for its script. */
export function consoleFrame(request: FastifyRequest, reply: FastifyReply): ConsoleFrame {
  const { user } = adminOf(request);
  const done = (request.query as Record<string, unknown> | undefined)?.['done'];
  return {
    admin: { name: user.name, email: user.email },
    csrfToken: reply.generateCsrf(),
    nonce: generateNonce(),
    flash: typeof done === 'string' && Object.hasOwn(FLASH, done) ? FLASH[done as FlashKey] : undefined,
  };
}

export function sendConsolePage(
  reply: FastifyReply,
  frame: ConsoleFrame,
  html: string,
  status = 200,
): FastifyReply {
  return sendHtml(reply, status, html, frame.nonce);
}

/** 303 to a console page after a successful form post (Post/Redirect/Get). */
export function redirectTo(reply: FastifyReply, path: string, done?: FlashKey): FastifyReply {
  const target = done === undefined ? path : `${path}${path.includes('?') ? '&' : '?'}done=${done}`;
  return reply.status(303).header('Location', target).header('Cache-Control', 'no-store').send();
}

/** An admin change for the system log (AD-03): who did it, from where; never a secret. */
export async function recordAdminChange(
  ctx: HttpContext,
  request: FastifyRequest,
  event: { type: string; reason: string; clientId?: string; userId?: string; serverId?: string },
): Promise<void> {
  const { user } = adminOf(request);
  await recordEvent(ctx.deps, { ...event, outcome: 'SUCCESS', actor: user.login, ip: request.ip });
}

/**
 * AD-01: before key rotation, secret reset or user deletion, the admin types their password again. It goes
 * through authenticatePassword, so wrong guesses count towards the lockout like any other.
 */
export async function reauthenticate(
  ctx: HttpContext,
  request: FastifyRequest,
  password: string,
): Promise<boolean> {
  const { user } = adminOf(request);
  const result = await authenticatePassword(ctx.deps, user.login, password);
  countSignIn(ctx.metrics, 'reauthentication', result);
  const ok = result.ok && result.user.id === user.id;
  if (!ok) {
    await recordEvent(ctx.deps, {
      type: 'user.session.access_admin_app',
      outcome: 'FAILURE',
      userId: user.id,
      actor: user.login,
      ip: request.ip,
      reason: `Re-authentication in the console failed: ${result.ok ? 'another user' : result.reason}.`,
    });
  }
  return ok;
}

export const REAUTH_FAILURE = 'That password is not correct.';
