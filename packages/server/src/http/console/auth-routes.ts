// The console's own sign-in (AD-01): only users with the admin role, the hosted sign-in's generic failure
// and lockout (authenticatePassword, LG-03, LG-05), a fresh session id each time, a SameSite=Strict cookie
// (LG-07). Also sign-out and the one-time setup page that creates the first admin.

import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  adminCookie,
  adminCookieName,
  createAdminSession,
  endAdminSession,
  findAdminSession,
} from '../../accounts/admin-sessions.ts';
import { authenticatePassword } from '../../accounts/authenticate.ts';
import { hasActiveAdmin, isSetupTokenUsable, setUpFirstAdmin } from '../../accounts/bootstrap-admin.ts';
import { recordEvent } from '../../audit.ts';
import { countSignIn } from '../../metrics/record.ts';
import { ValidationError } from '../../services/errors.ts';
import { renderConsoleMessagePage } from '../../ui/console/message-page.tsx';
import { renderSetupPage, type SetupField, type SetupPageProps } from '../../ui/console/setup-page.tsx';
import { renderConsoleSignInPage } from '../../ui/console/sign-in-page.tsx';
import type { HttpContext } from '../context.ts';
import { formBody, rawQuery } from '../parse.ts';
import type { RouteRateLimits } from '../rate-limits.ts';
import { rejectCrossSite } from '../same-origin.ts';
import { sendHtml } from '../security-headers.ts';
import { CONSOLE_HOME, CONSOLE_SIGN_IN, redirectTo, safeNext } from './guard.ts';

export const GENERIC_FAILURE = 'Incorrect username or password.';
const SIGN_IN_EVENT = 'user.session.access_admin_app';

export function registerConsoleAuth(
  app: FastifyInstance,
  ctx: HttpContext,
  options: { rateLimits: RouteRateLimits },
): void {
  const cookie = adminCookieName(ctx.deps.config.secureCookies);
  const formChecks = { preHandler: [rejectCrossSite(ctx.deps.config.publicUrl), app.csrfProtection] };

  app.get('/sign-in', async (request, reply) => {
    const query = rawQuery(request);
    const next = safeNext(query.get('next') ?? undefined);
    if ((await findAdminSession(ctx.deps, request.cookies[cookie])) !== undefined)
      return redirectTo(reply, next);
    return sendHtml(
      reply,
      200,
      renderConsoleSignInPage({
        csrfToken: reply.generateCsrf(),
        next,
        notice: query.get('signed_out') === '1' ? 'You have signed out of the console.' : undefined,
        noAdminYet: !(await hasActiveAdmin(ctx.deps.store)),
      }),
    );
  });

  app.post(
    '/sign-in',
    {
      preHandler: [
        ...formChecks.preHandler,
        ...options.rateLimits.signInPerLogin(app, 'console-sign-in-login'),
      ],
      config: { rateLimit: options.rateLimits.signIn },
    },
    async (request, reply) => {
      const body = formBody(request);
      const login = body.get('username') ?? '';
      const next = safeNext(body.get('next') ?? undefined);
      const result = await authenticatePassword(ctx.deps, login, body.get('password') ?? '');
      countSignIn(ctx.metrics, 'console', result);
      const event = { type: SIGN_IN_EVENT, ip: request.ip };
      if (!result.ok || !result.user.isAdmin) {
        const reason = result.ok ? 'the user does not have the admin role' : result.reason;
        await recordEvent(ctx.deps, {
          ...event,
          outcome: 'FAILURE',
          userId: result.user?.id,
          reason: `Console sign-in failed: ${reason}.`,
        });
        // LG-05: one message for every failure, the admin role included.
        const html = renderConsoleSignInPage({
          csrfToken: reply.generateCsrf(),
          next,
          login,
          error: GENERIC_FAILURE,
        });
        return sendHtml(reply, 401, html);
      }
      await endAdminSession(ctx.deps, request.cookies[cookie]);
      const { sessionId } = await createAdminSession(ctx.deps, result.user.id);
      reply.setCookie(cookie, sessionId, adminCookie(ctx.deps.config.secureCookies));
      await recordEvent(ctx.deps, {
        ...event,
        outcome: 'SUCCESS',
        userId: result.user.id,
        actor: result.user.login,
        reason: `${result.user.login} signed in to the admin console.`,
      });
      return redirectTo(reply, next);
    },
  );

  app.post('/sign-out', formChecks, async (request, reply) => {
    const admin = await findAdminSession(ctx.deps, request.cookies[cookie]);
    await endAdminSession(ctx.deps, request.cookies[cookie]);
    reply.clearCookie(cookie, adminCookie(ctx.deps.config.secureCookies));
    if (admin !== undefined) {
      await recordEvent(ctx.deps, {
        type: 'user.session.end_admin_app',
        outcome: 'SUCCESS',
        userId: admin.user.id,
        actor: admin.user.login,
        ip: request.ip,
        reason: `${admin.user.login} signed out of the admin console.`,
      });
    }
    return redirectTo(reply, `${CONSOLE_SIGN_IN}?signed_out=1`);
  });

  app.get('/setup', async (request, reply) => {
    const token = rawQuery(request).get('token') ?? '';
    if (!(await isSetupTokenUsable(ctx.deps, token))) return setupLinkUnusable(ctx, reply);
    return sendSetupPage(reply, 200, { token, values: { name: '', email: '' }, errors: {} });
  });

  app.post(
    '/setup',
    { ...formChecks, config: { rateLimit: options.rateLimits.signIn } },
    async (request, reply) => {
      const body = formBody(request);
      const token = body.get('token') ?? '';
      const values = { name: body.get('name') ?? '', email: body.get('email') ?? '' };
      const password = body.get('password') ?? '';
      if (password !== (body.get('confirm') ?? '')) {
        return sendSetupPage(reply, 400, {
          token,
          values,
          errors: { confirm: ['The passwords do not match.'] },
        });
      }
      let admin: Awaited<ReturnType<typeof setUpFirstAdmin>>;
      try {
        admin = await setUpFirstAdmin(ctx.deps, token, { ...values, password });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const field: SetupField = error.field === 'login' ? 'email' : (error.field as SetupField);
        const known = ['name', 'email', 'password'].includes(field);
        return sendSetupPage(reply, 400, {
          token,
          values,
          errors: known ? { [field]: [error.message] } : {},
          formError: known ? undefined : error.message,
        });
      }
      if (admin === undefined) return setupLinkUnusable(ctx, reply);
      await recordEvent(ctx.deps, {
        type: 'user.lifecycle.create',
        outcome: 'SUCCESS',
        userId: admin.id,
        actor: 'setup link',
        ip: request.ip,
        reason: `First admin ${admin.login} created with the one-time setup link; the link is now used up.`,
      });
      const { sessionId } = await createAdminSession(ctx.deps, admin.id);
      reply.setCookie(cookie, sessionId, adminCookie(ctx.deps.config.secureCookies));
      return redirectTo(reply, CONSOLE_HOME, 'welcome');
    },
  );
}

function sendSetupPage(
  reply: FastifyReply,
  status: number,
  props: Omit<SetupPageProps, 'csrfToken'>,
): FastifyReply {
  return sendHtml(reply, status, renderSetupPage({ ...props, csrfToken: reply.generateCsrf() }));
}

async function setupLinkUnusable(ctx: HttpContext, reply: FastifyReply): Promise<FastifyReply> {
  const adminExists = await hasActiveAdmin(ctx.deps.store);
  return sendHtml(
    reply,
    adminExists ? 410 : 400,
    renderConsoleMessagePage({
      title: adminExists ? 'Setup is complete' : 'Setup link not valid',
      message: adminExists
        ? 'An administrator already exists, so this setup link no longer works. Sign in to the console instead.'
        : 'This setup link has expired or was already used. Restart Latchkey to print a new one, or start it with LATCHKEY_BOOTSTRAP_ADMIN_EMAIL and LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD.',
      link: adminExists ? { href: CONSOLE_SIGN_IN, label: 'Sign in to the console' } : undefined,
    }),
  );
}
