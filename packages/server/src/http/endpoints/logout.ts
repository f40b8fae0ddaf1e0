// GET|POST {issuer}/v1/logout (OpenID Connect RP-Initiated Logout 1.0 §2-§3, OKTA-COMPAT §1.7) and the
// confirmation form it shows when no valid id_token_hint proves the request came from the app (§6, LO-04).
// The session is revoked in the database, so the cookie stops working on every instance (LO-01).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findSession, sessionCookie } from '../../accounts/sessions.ts';
import { recordEvent } from '../../audit.ts';
import { type LogoutRequest, validateLogoutRequest } from '../../oauth/logout.ts';
import { collectParameters, type ParameterBag } from '../../oauth/params.ts';
import { sha256Hex } from '../../oauth/random.ts';
import type { SessionRow } from '../../storage/store.ts';
import { renderLogoutPage } from '../../ui/logout-page.tsx';
import { renderMessagePage } from '../../ui/message-page.tsx';
import type { HttpContext } from '../context.ts';
import { mayShowAppConfiguration, supportReference, withRequestId } from '../error-reference.ts';
import { sendErrorPage } from '../error-response.ts';
import { allParameters, formBody } from '../parse.ts';
import { rejectCrossSite } from '../same-origin.ts';
import { sendHtml } from '../security-headers.ts';
import type { ResolvedServer } from '../server-directory.ts';

const EVENT_TYPE = 'user.session.end';
type ServerRequest = FastifyRequest<{ Params: { serverId: string } }>;

export function registerLogout(app: FastifyInstance, ctx: HttpContext): void {
  const handler = (request: ServerRequest, reply: FastifyReply) =>
    respond(request, reply, (resolved) => logout(ctx, request, reply, resolved));
  app.get('/oauth2/:serverId/v1/logout', handler);
  app.post('/oauth2/:serverId/v1/logout', handler);
  // The user's answer on the confirmation page: same-origin, CSRF token, SameSite=Strict cookie (LO-04).
  app.post<{ Params: { serverId: string } }>(
    '/oauth2/:serverId/v1/logout/confirm',
    { preHandler: [rejectCrossSite(ctx.deps.config.publicUrl), app.csrfProtection] },
    (request: ServerRequest, reply: FastifyReply) =>
      respond(request, reply, (resolved) => confirm(ctx, request, reply, resolved)),
  );
}

/** Any failure, an outage included, ends on an error page: there is no validated URI to redirect to. */
async function respond(
  request: ServerRequest,
  reply: FastifyReply,
  fn: (resolved: ResolvedServer) => Promise<FastifyReply>,
): Promise<FastifyReply> {
  try {
    return await fn(request.resolvedServer!);
  } catch (error) {
    return sendErrorPage(request, reply, error, { title: 'Sign-out failed' });
  }
}

async function logout(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  resolved: ResolvedServer,
): Promise<FastifyReply> {
  const session = await findSession(ctx.deps, request.cookies[ctx.cookies.session]);
  const validated = await validate(ctx, request, reply, resolved, allParameters(request), session);
  if (validated === undefined) return reply;
  if (validated.needsConfirmation) {
    return sendHtml(
      reply,
      200,
      renderLogoutPage({
        action: `/oauth2/${resolved.server.id}/v1/logout/confirm`,
        csrfToken: reply.generateCsrf(),
        appName: validated.client?.name,
        clientId: validated.client?.clientId,
        // Only a URI that passed validation is carried; the POST validates it again.
        postLogoutRedirectUri: validated.postLogoutRedirectUri,
        state: validated.state,
      }),
    );
  }
  return endSession(ctx, request, reply, resolved, session, validated, 302);
}

async function confirm(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  resolved: ResolvedServer,
): Promise<FastifyReply> {
  const body = formBody(request);
  if (body.get('decision') === 'stay') {
    return sendHtml(
      reply,
      200,
      renderMessagePage({
        title: 'Still signed in',
        message: 'You are still signed in. You can close this window and return to the app.',
      }),
    );
  }
  const session = await findSession(ctx.deps, request.cookies[ctx.cookies.session]);
  const params = collectParameters(
    new URLSearchParams(
      [...body].filter(([name]) => ['client_id', 'post_logout_redirect_uri', 'state'].includes(name)),
    ),
  );
  const validated = await validate(ctx, request, reply, resolved, params, session);
  if (validated === undefined) return reply;
  // 303 after the form POST, so the browser does not re-POST to the app (OKTA-COMPAT §4).
  return endSession(ctx, request, reply, resolved, session, validated, 303);
}

/** The validated request, or undefined after the error page has been sent. */
async function validate(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  resolved: ResolvedServer,
  params: ParameterBag,
  session: SessionRow | undefined,
): Promise<LogoutRequest | undefined> {
  const validation = await validateLogoutRequest(ctx.deps, resolved, params, session);
  if (validation.kind === 'valid') return validation;
  const { error, client, mismatch } = validation;
  await recordEvent(ctx.deps, {
    type: EVENT_TYPE,
    outcome: 'FAILURE',
    serverId: resolved.server.id,
    clientId: client?.clientId,
    userId: session?.userId,
    ip: request.ip,
    error: error.error,
    reason: mismatch
      ? withRequestId(
          `Sign-out refused: post_logout_redirect_uri ${mismatch.received} is not registered for ${client?.name}; registered: ${mismatch.registered.join(', ') || '(none)'}.`,
          request,
        )
      : `Sign-out refused: ${error.description}`,
  });
  if (mismatch === undefined) {
    await sendErrorPage(request, reply, error, { title: 'Sign-out refused' });
    return undefined;
  }
  // RU-15: the registered URIs only in development or for a console admin; others get a reference.
  const detailed = await mayShowAppConfiguration(ctx, request);
  const labels = { parameter: 'post_logout_redirect_uri', listName: 'sign-out redirect URIs' };
  await sendErrorPage(request, reply, error, {
    title: 'Invalid sign-out redirect URI',
    redirectUri: detailed
      ? { ...mismatch, ...labels, appName: client?.name }
      : { received: mismatch.received, ...labels },
    hint: detailed
      ? `Sign-out redirect URIs must match exactly. Register the URI as a sign-out redirect URI of the app (latchkey apps update ${client?.clientId} --post-logout-redirect-uri …), or fix the app to send a registered one.`
      : "Sign-out redirect URIs must match exactly. A console admin sees the app's registered sign-out redirect URIs here when signed in to the console (open this address again from the address bar: the console cookie is not sent from other sites), or finds this request in the system log.",
    ...(detailed ? {} : { reference: supportReference(ctx, request) }),
  });
  return undefined;
}

/** Ends the browser's SSO session (if any), then redirects to the validated URI or shows "Signed out". */
async function endSession(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  resolved: ResolvedServer,
  session: SessionRow | undefined,
  validated: LogoutRequest,
  status: 302 | 303,
): Promise<FastifyReply> {
  const { deps, cookies } = ctx;
  const cookie = request.cookies[cookies.session];
  if (cookie !== undefined) {
    // Revoked by the cookie's hash, so an idle or expired session is ended as well.
    if (cookie !== '') await deps.store.sessions.revoke(sha256Hex(cookie), deps.clock.now());
    reply.clearCookie(cookies.session, sessionCookie(deps.config, 0));
  }
  const app = validated.client?.name ?? 'a website';
  await recordEvent(deps, {
    type: EVENT_TYPE,
    outcome: 'SUCCESS',
    serverId: resolved.server.id,
    clientId: validated.client?.clientId,
    userId: session?.userId ?? validated.hintSubject,
    ip: request.ip,
    reason: session
      ? `SSO session ended at the request of ${app}${validated.needsConfirmation ? ', confirmed by the user' : ''}.`
      : `Sign-out requested by ${app}; the browser had no SSO session.`,
  });
  if (validated.redirectTo !== undefined) {
    return reply
      .status(status)
      .header('Cache-Control', 'no-store')
      .header('Location', validated.redirectTo)
      .send();
  }
  return sendHtml(
    reply,
    200,
    renderMessagePage({
      title: 'Signed out',
      message: 'You are signed out of Latchkey. You can close this window.',
    }),
  );
}
