// POST /consent: the user's decision on the consent page. CSRF-protected and same-origin like the sign-in
// form; bound to the browser's pending request and to the signed-in user. Allow remembers the grant and
// returns a code; Deny returns `access_denied` (RFC 6749 §4.1.2.1).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findSession } from '../../accounts/sessions.ts';
import { recordEvent } from '../../audit.ts';
import { decideAuthorization } from '../../oauth/decide-authorization.ts';
import type { OAuthError } from '../../oauth/errors.ts';
import { carryOut, completeOnce, redirectError } from '../authorization-outcome.ts';
import {
  CONSENT_PATH,
  loadTransaction,
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
  const decision = body.get('decision') === 'allow' ? 'allow' : 'deny';
  const facts = {
    request: authorization,
    client,
    session,
    remembered: undefined,
    now: deps.clock.now(),
    requestedAt: Number(requestedAt),
  };
  const outcome = decideAuthorization(facts, { step: 'consent', decision });
  const finishing = {
    authorization,
    client,
    resolved,
    transactionId: pending.row.id,
    requestedAt: Number(requestedAt),
    status: 303 as const,
  };
  try {
    if (outcome.kind === 'error') await completeOnce(ctx, pending.row.id);
    await recordEvent(deps, {
      type: 'app.oauth2.consent',
      serverId: resolved.server.id,
      clientId: client.clientId,
      userId: session.userId,
      ip: request.ip,
      ...(outcome.kind === 'error'
        ? {
            outcome: 'FAILURE',
            error: outcome.error.error,
            reason: consentFailure(client.name, outcome.error),
          }
        : {
            outcome: 'SUCCESS',
            reason: `The user allowed ${client.name}: ${authorization.scopes.join(' ')}.`,
          }),
    });
    if (outcome.kind === 'show-sign-in') throw new Error('the consent step never asks to sign in');
    return await carryOut(
      ctx,
      request,
      reply,
      outcome,
      outcome.kind === 'error' ? { ...finishing, transactionId: undefined } : finishing,
    );
  } catch (thrown) {
    if (thrown instanceof TransactionCompletedError) return sendTransactionExpired(reply);
    return redirectError(ctx, reply, authorization, resolved, toOAuthError(thrown), 303);
  }
}

function consentFailure(appName: string, error: OAuthError): string {
  return error.error === 'access_denied'
    ? `The user denied ${appName} access.`
    : `Consent for ${appName} refused: ${error.description}`;
}
