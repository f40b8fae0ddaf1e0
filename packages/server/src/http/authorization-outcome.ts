// Carries out what oauth/decide-authorization.ts decided: the consent page (with a transaction bound to
// the session), or the code and the redirect to the app, or an error sent to the app. The one place that
// finishes an authorization request.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_TOUCH_SECONDS } from '../accounts/sessions.ts';
import { recordEvent } from '../audit.ts';
import { countAuthorization } from '../metrics/record.ts';
import { errorResponse, issueAuthorizationCode, successResponse } from '../oauth/authorization-response.ts';
import type { AuthorizationRequest } from '../oauth/authorize.ts';
import { isUrlClientId } from '../oauth/client-metadata/client-id-url.ts';
import { describeScopes, rememberedConsentMatters } from '../oauth/consent.ts';
import type { AuthorizationOutcome } from '../oauth/decide-authorization.ts';
import type { OAuthError } from '../oauth/errors.ts';
import type { ClientRow, ConsentRow, SessionRow } from '../storage/store.ts';
import { renderConsentPage } from '../ui/consent-page.tsx';
import { CONSENT_PATH, createTransaction, TransactionCompletedError } from './authorization-transaction.ts';
import type { HttpContext } from './context.ts';
import { sendAuthorizationResponse } from './endpoints/send-authorization-response.ts';
import { sendHtml } from './security-headers.ts';
import type { ResolvedServer } from './server-directory.ts';

export interface PendingAuthorization {
  authorization: AuthorizationRequest;
  client: ClientRow;
  resolved: ResolvedServer;
  /** The open transaction when coming from a form; none straight from /authorize. */
  transactionId: string | undefined;
  /** When the app's request arrived (the transaction's creation, or now at /authorize). */
  requestedAt: number;
  /** 302 from GET /authorize, 303 after a form POST (AC-07). */
  status: 302 | 303;
}

/** The user's remembered consent, read only when it can change the decision (issue 8 §1). */
export async function loadRememberedConsent(
  ctx: HttpContext,
  pending: Pick<PendingAuthorization, 'authorization' | 'client' | 'resolved'>,
  session: SessionRow | undefined,
): Promise<ConsentRow | undefined> {
  const { authorization, client, resolved } = pending;
  if (session === undefined || !rememberedConsentMatters(authorization, client)) return undefined;
  return ctx.deps.store.consents.get(session.userId, client.clientId, resolved.server.id);
}

type Finishing = Exclude<AuthorizationOutcome, { kind: 'show-sign-in' }>;

export async function carryOut(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: Finishing,
  pending: PendingAuthorization,
): Promise<FastifyReply> {
  if (outcome.kind === 'error')
    return redirectError(ctx, reply, pending.authorization, pending.resolved, outcome.error, pending.status);
  if (outcome.kind === 'show-consent') return showConsent(ctx, request, reply, outcome, pending);
  return issueAndRedirect(ctx, request, reply, outcome.session, pending, outcome.rememberConsent);
}

async function showConsent(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: Extract<Finishing, { kind: 'show-consent' }>,
  pending: PendingAuthorization,
): Promise<FastifyReply> {
  const { deps } = ctx;
  const { authorization, client, resolved } = pending;
  // The sign-in form's transaction ends here; the consent page gets its own, bound to this session, so
  // that a signed-in browser cannot take a `prompt=login` transaction to /consent (issue 9 §2).
  if (pending.transactionId !== undefined) await completeOnce(ctx, pending.transactionId);
  const transactionId = await createTransaction(ctx, request, reply, authorization, {
    sessionIdHash: outcome.session.idHash,
    requestedAt: pending.requestedAt,
  });
  const user = await deps.store.users.get(outcome.session.userId);
  const html = renderConsentPage({
    appName: client.name,
    // A metadata-document client named itself: the user sees whose host vouches for it, and nothing more.
    unverifiedHost: isUrlClientId(client.clientId) ? new URL(client.clientId).host : undefined,
    userName: user?.login ?? '',
    scopes: describeScopes(outcome.scopes, resolved.scopes),
    action: CONSENT_PATH,
    transactionId,
    csrfToken: reply.generateCsrf(),
  });
  return sendHtml(reply, 200, html);
}

/** Completes the transaction exactly once (LG-02); a second submission of its form is refused. */
export async function completeOnce(ctx: HttpContext, transactionId: string): Promise<void> {
  if (!(await ctx.deps.store.authorizationRequests.complete(transactionId, ctx.deps.clock.now()))) {
    throw new TransactionCompletedError();
  }
}

/** Issues the code and redirects to the app; one commit for the whole request (issue 8 §2). */
async function issueAndRedirect(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  session: SessionRow,
  pending: PendingAuthorization,
  rememberConsent: boolean,
): Promise<FastifyReply> {
  const { deps } = ctx;
  const { authorization, client, resolved } = pending;
  const now = deps.clock.now();
  const code = await deps.store.transaction(async (tx) => {
    if (
      pending.transactionId !== undefined &&
      !(await tx.authorizationRequests.complete(pending.transactionId, now))
    ) {
      throw new TransactionCompletedError();
    }
    if (rememberConsent) {
      const consent = { userId: session.userId, clientId: client.clientId, serverId: resolved.server.id };
      await tx.consents.put({ ...consent, scopes: authorization.scopes, createdAt: now, updatedAt: now });
    }
    const issued = await issueAuthorizationCode(
      tx,
      resolved.server,
      authorization,
      { userId: session.userId, authTime: session.authTime, amr: session.amr, sessionIdHash: session.idHash },
      now,
    );
    // The idle clock is kept to the minute: one write per session per minute, not one per request.
    if (now - session.lastActiveAt >= SESSION_TOUCH_SECONDS) await tx.sessions.touch(session.idHash, now);
    await recordEvent(
      { ...deps, store: tx },
      {
        type: 'app.oauth2.authorize',
        outcome: 'SUCCESS',
        serverId: resolved.server.id,
        clientId: client.clientId,
        userId: session.userId,
        ip: request.ip,
        reason: `Authorization code issued to ${client.name} (scopes: ${authorization.scopes.join(' ')}).`,
      },
    );
    return issued;
  });
  countAuthorization(ctx.metrics, { responseType: 'code', clientId: client.clientId });
  return sendAuthorizationResponse(
    reply,
    successResponse(authorization, resolved.issuer, code),
    pending.status,
  );
}

/** Sends an OAuth error back to the app once its redirect URI is known good. */
export function redirectError(
  ctx: HttpContext,
  reply: FastifyReply,
  authorization: AuthorizationRequest,
  resolved: ResolvedServer,
  error: OAuthError,
  status: 302 | 303,
): FastifyReply {
  countAuthorization(ctx.metrics, { responseType: 'code', clientId: authorization.clientId, error });
  return sendAuthorizationResponse(reply, errorResponse(authorization, resolved.issuer, error), status);
}
