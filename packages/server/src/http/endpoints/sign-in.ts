// POST /sign-in: the hosted sign-in form. CSRF-protected (LG-01), bound to the browser and to the stored
// /authorize request (LG-02, PK-07: the code carries the stored request, hidden fields are never trusted),
// a new session id on success (SE-01), then a 303 to the app (AC-07).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticatePassword } from '../../accounts/authenticate.ts';
import { createSession, laxCookie, SESSION_ABSOLUTE_SECONDS } from '../../accounts/sessions.ts';
import { recordEvent } from '../../audit.ts';
import {
  errorResponse,
  issueAuthorizationCode,
  successResponse,
} from '../../oauth/authorization-response.ts';
import { OAuthError } from '../../oauth/errors.ts';
import { sha256Hex } from '../../oauth/random.ts';
import type { AuthorizationRequestRow } from '../../storage/store.ts';
import { renderMessagePage } from '../../ui/message-page.tsx';
import { renderSignInPage } from '../../ui/sign-in-page.tsx';
import type { HttpContext } from '../context.ts';
import { sendErrorPage } from '../error-response.ts';
import { formBody } from '../parse.ts';
import { rejectCrossSite } from '../same-origin.ts';
import { sendHtml } from '../security-headers.ts';
import { parseStoredRequest, SIGN_IN_PATH } from './authorize.ts';
import { sendAuthorizationResponse } from './send-authorization-response.ts';

export const GENERIC_FAILURE = 'Incorrect username or password.';

export function registerSignIn(app: FastifyInstance, ctx: HttpContext, options: { rateLimit: object }): void {
  app.post(
    SIGN_IN_PATH,
    {
      config: { rateLimit: options.rateLimit },
      // LG-01: a cross-site form post is refused before any credential is looked at.
      preHandler: [rejectCrossSite(ctx.deps.config.publicUrl), app.csrfProtection],
    },
    (request, reply) => signIn(ctx, request, reply),
  );
}

async function signIn(ctx: HttpContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { deps, cookies } = ctx;
  const body = formBody(request);
  const transaction = await loadTransaction(ctx, request, body.get('transaction_id') ?? '');
  if (transaction === undefined) {
    return sendHtml(
      reply,
      400,
      renderMessagePage({
        title: 'Sign-in session expired',
        message:
          'This sign-in page has expired or was already used. Go back to the app and start signing in again.',
      }),
    );
  }
  const authorization = parseStoredRequest(transaction.params);
  const client = await deps.store.clients.get(authorization.clientId);
  const resolved = await ctx.servers.resolve(authorization.serverId);
  if (client === undefined || resolved === undefined) {
    return sendErrorPage(
      request,
      reply,
      new OAuthError('invalid_client', 'The app or authorization server no longer exists.'),
    );
  }
  const login = body.get('username') ?? '';
  const result = await authenticatePassword(deps, login, body.get('password') ?? '');
  const event = {
    type: 'user.authentication.sso',
    serverId: resolved.server.id,
    clientId: client.clientId,
    ip: request.ip,
  };
  if (!result.ok) {
    await recordEvent(deps, {
      ...event,
      outcome: 'FAILURE',
      userId: result.user?.id,
      reason: `Sign-in to ${client.name} failed: ${result.reason}.`,
    });
    return sendHtml(
      reply,
      401,
      renderSignInPage({
        appName: client.name,
        action: SIGN_IN_PATH,
        transactionId: transaction.id,
        csrfToken: reply.generateCsrf(),
        loginHint: login,
        error: GENERIC_FAILURE,
      }),
    );
  }
  const now = deps.clock.now();
  // Exactly one submission of a transaction can finish it (LG-02).
  if (!(await deps.store.authorizationRequests.complete(transaction.id, now))) {
    return sendHtml(
      reply,
      400,
      renderMessagePage({
        title: 'Sign-in session expired',
        message: 'This sign-in was already completed. Go back to the app.',
      }),
    );
  }
  // SE-01: whatever session the browser had is ended; a fresh id is issued.
  const previous = request.cookies[cookies.session];
  if (previous !== undefined) await deps.store.sessions.revoke(sha256Hex(previous), now);
  const { sessionId, row: session } = await createSession(deps, result.user.id, ['pwd']);
  reply.setCookie(cookies.session, sessionId, laxCookie(deps.config.secureCookies, SESSION_ABSOLUTE_SECONDS));
  await recordEvent(deps, {
    ...event,
    outcome: 'SUCCESS',
    userId: result.user.id,
    reason: `${result.user.login} signed in to ${client.name} with a password.`,
  });
  try {
    const code = await issueAuthorizationCode(
      deps.store,
      resolved.server,
      authorization,
      {
        userId: result.user.id,
        authTime: session.authTime,
        amr: session.amr,
        sessionIdHash: session.idHash,
      },
      now,
    );
    await recordEvent(deps, {
      type: 'app.oauth2.authorize',
      outcome: 'SUCCESS',
      serverId: resolved.server.id,
      clientId: client.clientId,
      userId: result.user.id,
      ip: request.ip,
      reason: `Authorization code issued to ${client.name} after sign-in (scopes: ${authorization.scopes.join(' ')}).`,
    });
    return sendAuthorizationResponse(reply, successResponse(authorization, resolved.issuer, code), 303);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return sendAuthorizationResponse(reply, errorResponse(authorization, resolved.issuer, error), 303);
  }
}

/** The pending request, if it exists, is unfinished, unexpired and belongs to this browser. */
async function loadTransaction(
  ctx: HttpContext,
  request: FastifyRequest,
  id: string,
): Promise<AuthorizationRequestRow | undefined> {
  const browserId = request.cookies[ctx.cookies.browser];
  if (id === '' || id.length > 100 || browserId === undefined) return undefined;
  const row = await ctx.deps.store.authorizationRequests.get(id);
  const now = ctx.deps.clock.now();
  if (row === undefined || row.completedAt !== null || row.expiresAt <= now) return undefined;
  return row.browserHash === sha256Hex(browserId) ? row : undefined;
}
