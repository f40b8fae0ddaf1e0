// POST /sign-in: the hosted sign-in form. CSRF-protected (LG-01), bound to the browser and to the stored
// /authorize request (LG-02, PK-07: the code carries the stored request, hidden fields are never trusted),
// a new session id on success (SE-01), then consent when the app needs it, else a 303 to the app (AC-07).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticatePassword } from '../../accounts/authenticate.ts';
import { createSession, SESSION_ABSOLUTE_SECONDS, sessionCookie } from '../../accounts/sessions.ts';
import { recordEvent } from '../../audit.ts';
import { countSignIn } from '../../metrics/record.ts';
import { clientDisplayName } from '../../oauth/client-metadata/client-id-url.ts';
import { decideAuthorization } from '../../oauth/decide-authorization.ts';
import { sha256Hex } from '../../oauth/random.ts';
import { renderSignInPage, signInImageOrigins } from '../../ui/sign-in-page.tsx';
import { carryOut, loadRememberedConsent, redirectError } from '../authorization-outcome.ts';
import {
  loadTransaction,
  sendTransactionExpired,
  TransactionCompletedError,
} from '../authorization-transaction.ts';
import type { HttpContext } from '../context.ts';
import { toOAuthError } from '../error-response.ts';
import { formBody } from '../parse.ts';
import type { RouteRateLimits } from '../rate-limits.ts';
import { rejectCrossSite } from '../same-origin.ts';
import { generateNonce, sendHtml } from '../security-headers.ts';

export const SIGN_IN_PATH = '/sign-in';
export const GENERIC_FAILURE = 'Incorrect username or password.';

export function registerSignIn(
  app: FastifyInstance,
  ctx: HttpContext,
  options: { rateLimits: RouteRateLimits },
): void {
  app.post(
    SIGN_IN_PATH,
    {
      config: { rateLimit: options.rateLimits.signIn },
      // LG-01: a cross-site form post is refused before any credential is looked at.
      preHandler: [
        rejectCrossSite(ctx.deps.config.publicUrl),
        app.csrfProtection,
        ...options.rateLimits.signInPerLogin(app, 'sign-in-login'),
      ],
    },
    (request, reply) => signIn(ctx, request, reply),
  );
}

async function signIn(ctx: HttpContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { deps, cookies } = ctx;
  const body = formBody(request);
  const pending = await loadTransaction(ctx, request, body.get('transaction_id') ?? '');
  if (pending === undefined) return sendTransactionExpired(reply);
  const { authorization } = pending;
  const client = await deps.store.clients.get(authorization.clientId);
  const resolved = await ctx.servers.resolve(authorization.serverId);
  if (client === undefined || client.status !== 'ACTIVE' || resolved === undefined)
    return sendTransactionExpired(reply);

  const login = body.get('username') ?? '';
  const result = await authenticatePassword(deps, login, body.get('password') ?? '');
  countSignIn(ctx.metrics, 'hosted', result);
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
    const nonce = generateNonce();
    const html = renderSignInPage({
      appName: clientDisplayName(client),
      logoUri: client.logoUri,
      nonce,
      action: SIGN_IN_PATH,
      transactionId: pending.row.id,
      csrfToken: reply.generateCsrf(),
      loginHint: login,
      error: GENERIC_FAILURE,
    });
    return sendHtml(reply, 401, html, nonce, undefined, { imageOrigins: signInImageOrigins(client.logoUri) });
  }
  // SE-01: whatever session the browser had is ended; a fresh id is issued.
  const previous = request.cookies[cookies.session];
  if (previous !== undefined) await deps.store.sessions.revoke(sha256Hex(previous), deps.clock.now());
  const { sessionId, row: session } = await createSession(deps, result.user.id, ['pwd']);
  reply.setCookie(cookies.session, sessionId, sessionCookie(deps.config, SESSION_ABSOLUTE_SECONDS));
  await recordEvent(deps, {
    ...event,
    outcome: 'SUCCESS',
    userId: result.user.id,
    reason: `${result.user.login} signed in to ${client.name} with a password.`,
  });
  try {
    const remembered = await loadRememberedConsent(ctx, { authorization, client, resolved }, session);
    const now = deps.clock.now();
    const requestedAt = pending.row.createdAt;
    const facts = { request: authorization, client, session, remembered, now, requestedAt };
    const outcome = decideAuthorization(facts, { step: 'signed-in' });
    if (outcome.kind === 'show-sign-in') throw new Error('a fresh sign-in was asked to sign in again');
    return await carryOut(ctx, request, reply, outcome, {
      authorization,
      client,
      resolved,
      transactionId: pending.row.id,
      requestedAt,
      status: 303,
    });
  } catch (thrown) {
    if (thrown instanceof TransactionCompletedError) return sendTransactionExpired(reply);
    return redirectError(ctx, reply, authorization, resolved, toOAuthError(thrown), 303);
  }
}
