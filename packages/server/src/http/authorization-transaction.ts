// A pending /authorize request, held in the database while the user signs in or consents (RL-06), bound
// to the browser by a cookie (LG-02) and, for the consent page, to the session it was shown to (issue 9 §2).
// What happens next is decided by oauth/decide-authorization.ts and carried out by authorization-outcome.ts.

import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { laxCookie, SIGN_IN_TRANSACTION_SECONDS } from '../accounts/sessions.ts';
import type { AuthorizationRequest } from '../oauth/authorize.ts';
import { OAuthError } from '../oauth/errors.ts';
import { generateOpaqueToken, sha256Hex } from '../oauth/random.ts';
import type { AuthorizationRequestRow } from '../storage/store.ts';
import { renderMessagePage } from '../ui/message-page.tsx';
import type { HttpContext } from './context.ts';
import { sendHtml } from './security-headers.ts';

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
