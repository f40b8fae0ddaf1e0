// A pending /authorize request, held in the database while the user signs in or consents (RL-06), bound
// to the browser by a cookie (LG-02), and the one place that finishes it: consent page, or code + redirect.

import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { laxCookie, SESSION_TOUCH_SECONDS, SIGN_IN_TRANSACTION_SECONDS } from '../accounts/sessions.ts';
import { recordEvent } from '../audit.ts';
import { errorResponse, issueAuthorizationCode, successResponse } from '../oauth/authorization-response.ts';
import type { AuthorizationRequest } from '../oauth/authorize.ts';
import {
  consentRequiredError,
  describeScopes,
  rememberedConsentMatters,
  scopesNeedingConsent,
} from '../oauth/consent.ts';
import { OAuthError } from '../oauth/errors.ts';
import { generateOpaqueToken, sha256Hex } from '../oauth/random.ts';
import type { AuthorizationRequestRow, ClientRow, SessionRow } from '../storage/store.ts';
import { renderConsentPage } from '../ui/consent-page.tsx';
import { renderMessagePage } from '../ui/message-page.tsx';
import type { HttpContext } from './context.ts';
import { sendAuthorizationResponse } from './endpoints/send-authorization-response.ts';
import { sendHtml } from './security-headers.ts';
import type { ResolvedServer } from './server-directory.ts';

export const CONSENT_PATH = '/consent';

/** The form of a pending request was submitted again after it finished (LG-02). */
export class TransactionCompletedError extends Error {
  constructor() {
    super('This sign-in was already completed. Go back to the app.');
    this.name = 'TransactionCompletedError';
  }
}
const BROWSER_COOKIE_SECONDS = 400 * 24 * 3600;
const MAX_PENDING_REQUEST_LENGTH = 8 * 1024;

/** A consent transaction's session: only the session that signed in (or was used) may finish it. */
export interface SessionBinding {
  sessionIdHash: string;
  /** When the app's request arrived: `prompt=login` needs a sign-in after it. */
  requestedAt: number;
}

/**
 * Stores the validated request and returns its id, setting the browser-binding cookie when needed. A
 * transaction for the consent page is bound to the session that was shown it (issue 9 §2).
 */
export async function createTransaction(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  authorization: AuthorizationRequest,
  binding?: SessionBinding,
): Promise<string> {
  const { deps, cookies } = ctx;
  const now = deps.clock.now();
  let browserId = request.cookies[cookies.browser];
  if (browserId === undefined || !/^[A-Za-z0-9_-]{43}$/.test(browserId)) {
    browserId = generateOpaqueToken();
    reply.setCookie(cookies.browser, browserId, laxCookie(deps.config.secureCookies, BROWSER_COOKIE_SECONDS));
  }
  const id = randomBytes(24).toString('base64url');
  const kept = JSON.stringify(authorization);
  // Every parameter has its own bound (state, nonce, login_hint...); this bounds their sum, so that
  // anonymous requests cannot fill the database faster than the rate limit allows (issue 9 §3).
  if (kept.length > MAX_PENDING_REQUEST_LENGTH) {
    throw new OAuthError(
      'invalid_request',
      `The authorization request is too large (${kept.length} characters of parameters, at most ${MAX_PENDING_REQUEST_LENGTH}); send a shorter state or nonce.`,
    );
  }
  await deps.store.authorizationRequests.create({
    id,
    serverId: authorization.serverId,
    clientId: authorization.clientId,
    browserHash: sha256Hex(browserId),
    params: {
      request: kept,
      ...(binding === undefined
        ? {}
        : { session: binding.sessionIdHash, requested_at: String(binding.requestedAt) }),
    },
    createdAt: now,
    expiresAt: now + SIGN_IN_TRANSACTION_SECONDS,
    completedAt: null,
  });
  return id;
}

/** The pending request, if it exists, is unfinished, unexpired and belongs to this browser. */
export async function loadTransaction(
  ctx: HttpContext,
  request: FastifyRequest,
  id: string,
): Promise<{ row: AuthorizationRequestRow; authorization: AuthorizationRequest } | undefined> {
  const browserId = request.cookies[ctx.cookies.browser];
  if (id === '' || id.length > 100 || browserId === undefined) return undefined;
  const row = await ctx.deps.store.authorizationRequests.get(id);
  const now = ctx.deps.clock.now();
  if (row === undefined || row.completedAt !== null || row.expiresAt <= now) return undefined;
  if (row.browserHash !== sha256Hex(browserId) || row.params['request'] === undefined) return undefined;
  return { row, authorization: JSON.parse(row.params['request']) as AuthorizationRequest };
}

export interface Finish {
  authorization: AuthorizationRequest;
  client: ClientRow;
  resolved: ResolvedServer;
  session: SessionRow;
  /** The open transaction when coming from a form; created on demand otherwise. */
  transactionId: string | undefined;
  /** When the app's request arrived (the sign-in transaction's creation); now when from /authorize. */
  requestedAt?: number;
  /** 302 from GET /authorize, 303 after a form POST (AC-07). */
  status: 302 | 303;
}

/** With an authenticated user: ask for consent when needed, else issue the code and return to the app. */
export async function finishAuthorization(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  finish: Finish,
): Promise<FastifyReply> {
  const { deps } = ctx;
  const { authorization, client, resolved, session } = finish;
  const remembered = rememberedConsentMatters(authorization, client)
    ? await deps.store.consents.get(session.userId, client.clientId, resolved.server.id)
    : undefined;
  const pending = scopesNeedingConsent(authorization, client, remembered);
  if (pending.length > 0) {
    if (authorization.prompt.includes('none')) throw consentRequiredError(pending);
    // The sign-in form's transaction ends here; the consent page gets its own, bound to this session,
    // so that a signed-in browser cannot take a `prompt=login` transaction to /consent (issue 9 §2).
    const now = deps.clock.now();
    if (
      finish.transactionId !== undefined &&
      !(await deps.store.authorizationRequests.complete(finish.transactionId, now))
    ) {
      throw new TransactionCompletedError();
    }
    const transactionId = await createTransaction(ctx, request, reply, authorization, {
      sessionIdHash: session.idHash,
      requestedAt: finish.requestedAt ?? now,
    });
    const user = await deps.store.users.get(session.userId);
    const html = renderConsentPage({
      appName: client.name,
      userName: user?.login ?? '',
      scopes: describeScopes(pending, resolved.scopes),
      action: CONSENT_PATH,
      transactionId,
      csrfToken: reply.generateCsrf(),
    });
    return sendHtml(reply, 200, html);
  }
  return issueAndRedirect(ctx, request, reply, finish);
}

/** Completes the transaction (exactly once, LG-02), issues the code and redirects to the app. */
export async function issueAndRedirect(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  finish: Finish,
): Promise<FastifyReply> {
  const { deps } = ctx;
  const { authorization, client, resolved, session } = finish;
  const now = deps.clock.now();
  // One commit for the request (issue 8 §2): the transaction's end, the code, the session's activity and
  // the event describing them.
  const code = await deps.store.transaction(async (tx) => {
    if (
      finish.transactionId !== undefined &&
      !(await tx.authorizationRequests.complete(finish.transactionId, now))
    ) {
      throw new TransactionCompletedError();
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
  return sendAuthorizationResponse(
    reply,
    successResponse(authorization, resolved.issuer, code),
    finish.status,
  );
}

/** The answer to a form of a pending request that expired, finished or belongs to another browser (LG-02). */
export function sendTransactionExpired(reply: FastifyReply): FastifyReply {
  return sendHtml(
    reply,
    400,
    renderMessagePage({
      title: 'Sign-in session expired',
      message: 'This page has expired or was already used. Go back to the app and start signing in again.',
    }),
  );
}

/** Sends an OAuth error back to the app once its redirect URI is known good. */
export function redirectError(
  reply: FastifyReply,
  authorization: AuthorizationRequest,
  resolved: ResolvedServer,
  error: OAuthError,
  status: 302 | 303,
): FastifyReply {
  return sendAuthorizationResponse(reply, errorResponse(authorization, resolved.issuer, error), status);
}
