// Post/Redirect/Get in the console (issue 12): every successful form post answers 303, so reloading the
// page that follows repeats a GET, never the change.
// - A secret shown once (a new client secret, an API token) travels to that page as a flash stored
//   server-side for the admin session, sealed under a key from LATCHKEY_SECRET, and deleted as it is read.
// - Every form carries a one-time token, signed for the admin session (so issuing one writes nothing);
//   its first use is recorded and a second use of the same token is refused, so a double click or the
//   browser's "resend the form" creates nothing twice.

import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { ADMIN_ABSOLUTE_SECONDS } from '../../accounts/admin-sessions.ts';
import { generateOpaqueToken, sha256Hex } from '../../oauth/random.ts';
import { renderConsoleMessagePage } from '../../ui/console/message-page.tsx';
import type { HttpContext } from '../context.ts';
import { formBody } from '../parse.ts';
import { sendHtml } from '../security-headers.ts';

/** Where the refusal pages point (the console's home; guard.ts imports this file, so not from there). */
const CONSOLE_HOME = '/console/apps';

/** Long enough to follow the redirect, short enough that a flash left unread does not linger. */
const FLASH_SECONDS = 5 * 60;
export const FORM_TOKEN_FIELD = '_form';

function derive(secret: string, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'latchkey', purpose, 32));
}

function mac(secret: string, text: string): string {
  return createHmac('sha256', derive(secret, 'console-form-token/v1')).update(text).digest('base64url');
}

/** A token for one form of this admin session: `<issued-at>.<random>.<HMAC of session, time, random>`. */
export function issueFormToken(secret: string, sessionHash: string, now: number): string {
  const body = `${now}.${generateOpaqueToken()}`;
  return `${body}.${mac(secret, `${sessionHash}.${body}`)}`;
}

function sessionOf(request: FastifyRequest): { idHash: string } {
  const admin = request.consoleAdmin;
  if (admin === undefined) throw new Error('console route without requireAdmin');
  return admin.session;
}

type FormTokenCheck = 'ok' | 'invalid' | 'used';

async function spendFormToken(ctx: HttpContext, request: FastifyRequest): Promise<FormTokenCheck> {
  const session = sessionOf(request);
  const token = formBody(request).get(FORM_TOKEN_FIELD) ?? '';
  const [issued = '', random = '', signature = ''] = token.split('.');
  const expected = Buffer.from(mac(ctx.deps.config.secret, `${session.idHash}.${issued}.${random}`));
  const given = Buffer.from(signature);
  if (!/^\d{1,12}$/.test(issued) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'invalid';
  }
  // A form is good for as long as an admin session can last; the record of its use is kept as long.
  const expiresAt = Number(issued) + ADMIN_ABSOLUTE_SECONDS;
  if (expiresAt <= ctx.deps.clock.now()) return 'invalid';
  const first = await ctx.deps.store.consoleState.spendFormToken({
    tokenHash: sha256Hex(token),
    sessionHash: session.idHash,
    expiresAt,
  });
  return first ? 'ok' : 'used';
}

/** The pre-handler after the CSRF check: refuses a form without a valid token or sent a second time. */
export function requireFreshForm(ctx: HttpContext): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const outcome = await spendFormToken(ctx, request);
    if (outcome === 'ok') return;
    await sendHtml(
      reply,
      outcome === 'used' ? 409 : 403,
      renderConsoleMessagePage(
        outcome === 'used'
          ? {
              title: 'This form was already sent',
              message:
                'The same form arrived twice (a double click, or the browser sent it again), so it was carried out only once. Open the list to see the result.',
              link: { href: CONSOLE_HOME, label: 'Back to the console' },
            }
          : {
              title: 'This form has expired',
              message:
                'The form was open too long or did not come from this console, so nothing was changed. Go back, reload the page and try again.',
              link: { href: CONSOLE_HOME, label: 'Back to the console' },
            },
      ),
    );
  };
}

/** Keeps `secret` for the page the post redirects to; `subject` names what it belongs to. */
export async function putSecretFlash(
  ctx: HttpContext,
  request: FastifyRequest,
  subject: string,
  secret: string,
): Promise<void> {
  const sealed = await new CompactEncrypt(new TextEncoder().encode(secret))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .encrypt(derive(ctx.deps.config.secret, 'console-flash/v1'));
  await ctx.deps.store.consoleState.putFlash({
    sessionHash: sessionOf(request).idHash,
    subject,
    sealed,
    expiresAt: ctx.deps.clock.now() + FLASH_SECONDS,
  });
}

/** The secret kept for `subject` by this admin session, once; undefined afterwards. */
export async function takeSecretFlash(
  ctx: HttpContext,
  request: FastifyRequest,
  subject: string,
): Promise<string | undefined> {
  const sealed = await ctx.deps.store.consoleState.takeFlash(
    sessionOf(request).idHash,
    subject,
    ctx.deps.clock.now(),
  );
  if (sealed === undefined) return undefined;
  const { plaintext } = await compactDecrypt(sealed, derive(ctx.deps.config.secret, 'console-flash/v1'));
  return new TextDecoder().decode(plaintext);
}
