// The admin console at /console (issue 5): server-rendered pages over the same services as the CLI, usable
// without JavaScript. Signed-out routes: sign-in, sign-out and first-admin setup. Every other route needs an
// admin session (AD-01); every form post must be same-origin and carry the CSRF token (LG-01). All pages go
// through sendHtml: `frame-ancestors 'none'` (LG-08), `no-store`, script only with the response's nonce.

import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { NotFoundError, ValidationError } from '../../services/errors.ts';
import { StoreUnavailableError } from '../../storage/store.ts';
import { renderConsoleErrorPage, renderConsoleMessagePage } from '../../ui/console/message-page.tsx';
import { consoleStylesheet, consoleStylesheetPath } from '../../ui/console/styles.ts';
import type { HttpContext } from '../context.ts';
import type { RouteRateLimits } from '../rate-limits.ts';
import { rejectCrossSite } from '../same-origin.ts';
import { sendHtml } from '../security-headers.ts';
import { registerConsoleApiTokens } from './api-token-routes.ts';
import { registerConsoleApps } from './app-routes.ts';
import { registerConsoleAuth } from './auth-routes.ts';
import { CONSOLE_HOME, CONSOLE_SIGN_IN, consoleFrame, redirectTo, requireAdmin } from './guard.ts';
import { registerConsoleLog } from './log-routes.ts';
import { requireFreshForm } from './post-redirect-get.ts';
import { registerConsoleServers } from './server-routes.ts';
import { registerConsoleUsers } from './user-routes.ts';

const PREFIX = '/console';

export function registerConsole(
  app: FastifyInstance,
  ctx: HttpContext,
  options: { rateLimits: RouteRateLimits },
): void {
  void app.register(
    async (console) => {
      console.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) =>
        sendConsoleError(request, reply, error),
      );
      console.setNotFoundHandler((request, reply) =>
        sendConsoleError(request, reply, new NotFoundError('Page', request.url.split('?')[0] ?? '')),
      );
      console.get(consoleStylesheetPath.slice(PREFIX.length), (_request, reply) =>
        reply
          .type('text/css; charset=utf-8')
          .header('Cache-Control', 'public, max-age=31536000, immutable')
          .send(consoleStylesheet),
      );
      registerConsoleAuth(console, ctx, options);

      // Everything else: an admin session, and for form posts same-origin + CSRF (AD-01).
      await console.register(async (signedIn) => {
        const crossSite = rejectCrossSite(ctx.deps.config.publicUrl);
        const admin = requireAdmin(ctx);
        const fresh = requireFreshForm(ctx);
        signedIn.addHook('onRoute', (route: RouteOptions) => {
          const methods = Array.isArray(route.method) ? route.method : [route.method];
          const writes = methods.some((method) => method !== 'GET' && method !== 'HEAD');
          // Issue 12: a form is carried out once; a second copy of it is refused (requireFreshForm).
          route.preHandler = writes ? [crossSite, admin, app.csrfProtection, fresh] : [admin];
        });
        signedIn.get('/', async (_request, reply) => redirectTo(reply, CONSOLE_HOME));
        registerConsoleApps(signedIn, ctx);
        registerConsoleUsers(signedIn, ctx);
        registerConsoleServers(signedIn, ctx);
        registerConsoleApiTokens(signedIn, ctx);
        registerConsoleLog(signedIn, ctx);
      });
    },
    { prefix: PREFIX },
  );
}

/** Errors on console routes become console pages, never the JSON of the protocol endpoints. */
function sendConsoleError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: Error & { statusCode?: number; code?: string },
): FastifyReply {
  if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
    return sendHtml(
      reply,
      403,
      renderConsoleMessagePage({
        title: 'This form has expired',
        message:
          'The form was open too long or did not come from this console, so nothing was changed. Go back, reload the page and try again.',
        link: { href: CONSOLE_HOME, label: 'Back to the console' },
      }),
    );
  }
  const known =
    error instanceof NotFoundError
      ? {
          status: 404,
          title: 'Not found',
          message: `${error.entity} ${error.id} does not exist (or no longer does).`,
        }
      : error instanceof ValidationError
        ? { status: 400, title: 'That did not work', message: error.message }
        : error instanceof StoreUnavailableError
          ? {
              status: 503,
              title: 'Database unavailable',
              message: 'The database did not answer. Try again in a few seconds.',
            }
          : error.statusCode !== undefined && error.statusCode < 500
            ? { status: error.statusCode, title: 'Request refused', message: error.message }
            : undefined;
  if (known === undefined) request.log.error({ err: error }, 'console request failed');
  const { status, title, message } = known ?? {
    status: 500,
    title: 'Something went wrong',
    message: 'The console could not finish this request. It was logged; try again.',
  };
  if (status === 503) reply.header('Retry-After', '5');
  const section = /^\/console\/(apps|users|servers|tokens|log)\b/.exec(request.url)?.[1];
  const back = {
    href: section === undefined ? CONSOLE_HOME : `/console/${section}`,
    label: 'Back to the list',
  };
  if (request.consoleAdmin !== undefined) {
    const frame = consoleFrame(request, reply);
    return sendHtml(reply, status, renderConsoleErrorPage({ frame, title, message, back }), frame.nonce);
  }
  return sendHtml(
    reply,
    status,
    renderConsoleMessagePage({
      title,
      message,
      link: { href: CONSOLE_SIGN_IN, label: 'Sign in to the console' },
    }),
  );
}
