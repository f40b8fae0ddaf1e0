// POST /consent: the user's decision on the consent page. CSRF-protected and same-origin like the sign-in
// form; bound to the browser's pending request and to the signed-in user. Allow remembers the grant and
// returns a code; Deny returns `access_denied` (RFC 6749 §4.1.2.1).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findSession } from '../../accounts/sessions.ts';
import { recordEvent } from '../../audit.ts';
import { satisfiesAuthentication } from '../../oauth/authorization-response.ts';
import { ACCESS_DENIED_DESCRIPTION } from '../../oauth/consent.ts';
import { OAuthError } from '../../oauth/errors.ts';
import {
  CONSENT_PATH,
  issueAndRedirect,
  loadTransaction,
  redirectError,
  sendTransactionExpired,
  TransactionCompletedError,
} from '../authorization-transaction.ts';
import type { HttpContext } from '../context.ts';
import { toOAuthError } from '../error-response.ts';
import { formBody } from '../parse.ts';
import { rejectCrossSite } from '../same-origin.ts';

export function registerConsent(app: FastifyInstance, ctx: HttpContext): void {
  app.post(
    CONSENT_PATH,
    { preHandler: [rejectCrossSite(ctx.deps.config.publicUrl), app.csrfProtection] },
    (request, reply) => consent(ctx, request, reply),
  );
}

async function consent(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { deps } = ctx;
  const body = formBody(request);
  const pending = await loadTransaction(ctx, request, body.get('transaction_id') ?? '');
  const session = await findSession(deps, request.cookies[ctx.cookies.session]);
  if (pending === undefined || session === undefined) return sendTransactionExpired(reply);
  // Only a consent page's transaction, and only with the session it was shown to (issue 9 §2): a sign-in
  // form's transaction (prompt=login, max_age=0) cannot be finished here without the password.
  const { session: boundTo, requested_at: requestedAt } = pending.row.params;
  if (boundTo === undefined || boundTo !== session.idHash || requestedAt === undefined)
    return sendTransactionExpired(reply);
  const { authorization } = pending;
  const client = await deps.store.clients.get(authorization.clientId);
  const resolved = await ctx.servers.resolve(authorization.serverId);
  if (client === undefined || client.status !== 'ACTIVE' || resolved === undefined)
    return sendTransactionExpired(reply);
  const event = {
    type: 'app.oauth2.consent',
    serverId: resolved.server.id,
    clientId: client.clientId,
    userId: session.userId,
    ip: request.ip,
  };
  try {
    // Authentication is decided again before a code is issued: the session must still satisfy the request.
    if (
      !satisfiesAuthentication(authorization, session, {
        now: deps.clock.now(),
        requestedAt: Number(requestedAt),
      })
    ) {
      throw new OAuthError('login_required', 'The user must sign in again for this request.');
    }
    if (body.get('decision') !== 'allow') {
      if (!(await deps.store.authorizationRequests.complete(pending.row.id, deps.clock.now()))) {
        throw new TransactionCompletedError();
      }
      await recordEvent(deps, {
        ...event,
        outcome: 'FAILURE',
        error: 'access_denied',
        reason: `The user denied ${client.name} access.`,
      });
      return redirectError(
        reply,
        authorization,
        resolved,
        new OAuthError('access_denied', ACCESS_DENIED_DESCRIPTION),
        303,
      );
    }
    const now = deps.clock.now();
    await deps.store.consents.put({
      userId: session.userId,
      clientId: client.clientId,
      serverId: resolved.server.id,
      scopes: authorization.scopes,
      createdAt: now,
      updatedAt: now,
    });
    await recordEvent(deps, {
      ...event,
      outcome: 'SUCCESS',
      reason: `The user allowed ${client.name}: ${authorization.scopes.join(' ')}.`,
    });
    return await issueAndRedirect(ctx, request, reply, {
      authorization,
      client,
      resolved,
      session,
      transactionId: pending.row.id,
      status: 303,
    });
  } catch (thrown) {
    if (thrown instanceof TransactionCompletedError) return sendTransactionExpired(reply);
    return redirectError(reply, authorization, resolved, toOAuthError(thrown), 303);
  }
}
