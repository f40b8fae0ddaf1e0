// Who may read an app's configuration on an error page (RU-15). A refused redirect URI is explained in
// full (the registered URIs, the closest one, how they differ) only in development (LATCHKEY_DEV_MODE) or
// to a signed-in console admin; anyone else knows no more than a client ID and would learn the app's
// callbacks. They get a reference instead, which the system log event carries too.

import type { FastifyRequest } from 'fastify';
import { adminCookieName, findAdminSession } from '../accounts/admin-sessions.ts';
import type { SupportReference } from '../ui/error-page.tsx';
import type { HttpContext } from './context.ts';

/** True in development mode or for a request that carries a live console admin session. */
export async function mayShowAppConfiguration(ctx: HttpContext, request: FastifyRequest): Promise<boolean> {
  if (ctx.deps.config.devMode) return true;
  const cookie = request.cookies[adminCookieName(ctx.deps.config.secureCookies)];
  if (cookie === undefined) return false;
  return (await findAdminSession(ctx.deps, cookie)) !== undefined;
}

/** The request id (also in the system log event and the server log) and the time, in UTC. */
export function supportReference(ctx: HttpContext, request: FastifyRequest): SupportReference {
  const time = new Date(ctx.deps.clock.now() * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { requestId: request.id, time };
}

/** Appended to an event's reason, so support finds the event from the reference on the page. */
export function withRequestId(reason: string, request: FastifyRequest): string {
  return `${reason} (request ${request.id})`;
}
