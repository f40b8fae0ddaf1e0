// GET|POST {issuer}/v1/authorize (RFC 6749 §4.1.1, OIDC Core §3.1.2): validate, then answer from the SSO
// session or show the sign-in page. The pending request is kept in the database, so any instance can
// finish it (RL-06).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findSession } from '../../accounts/sessions.ts';
import { recordEvent } from '../../audit.ts';
import { countAuthorization } from '../../metrics/record.ts';
import { errorResponse } from '../../oauth/authorization-response.ts';
import { type AuthorizationRequest, validateAuthorizationRequest } from '../../oauth/authorize.ts';
import { clientDisplayName } from '../../oauth/client-metadata/client-id-url.ts';
import { decideAuthorization } from '../../oauth/decide-authorization.ts';
import { checkIdTokenHint } from '../../oauth/id-token-hint.ts';
import { optional } from '../../oauth/params.ts';
import type { ClientRow } from '../../storage/store.ts';
import { renderSignInPage, signInImageOrigins } from '../../ui/sign-in-page.tsx';
import { carryOut, loadRememberedConsent } from '../authorization-outcome.ts';
import { createTransaction } from '../authorization-transaction.ts';
import type { HttpContext } from '../context.ts';
import { mayShowAppConfiguration, supportReference, withRequestId } from '../error-reference.ts';
import { sendErrorPage, toOAuthError } from '../error-response.ts';
import { allParameters } from '../parse.ts';
import type { RouteRateLimits } from '../rate-limits.ts';
import { generateNonce, sendHtml } from '../security-headers.ts';
import type { ResolvedServer } from '../server-directory.ts';
import { sendAuthorizationResponse } from './send-authorization-response.ts';
import { SIGN_IN_PATH } from './sign-in.ts';

export function registerAuthorize(
  app: FastifyInstance,
  ctx: HttpContext,
  options: { rateLimits: RouteRateLimits },
): void {
  const handler = async (request: FastifyRequest<{ Params: { serverId: string } }>, reply: FastifyReply) =>
    authorize(ctx, request, reply, request.resolvedServer!);
  const config = { rateLimit: options.rateLimits.authorize };
  app.get('/oauth2/:serverId/v1/authorize', { config }, handler);
  app.post('/oauth2/:serverId/v1/authorize', { config }, handler);
}

async function authorize(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  resolved: ResolvedServer,
): Promise<FastifyReply> {
  const { deps } = ctx;
  const { server, issuer } = resolved;
  const params = allParameters(request);
  const validation = await validateAuthorizationRequest(deps.store, server, resolved.scopes, params);
  const event = { type: 'app.oauth2.authorize', serverId: server.id, ip: request.ip };
  const responseType = optional(params, 'response_type');
  if (validation.kind === 'error-page') {
    const { error, client, mismatch } = validation;
    countAuthorization(ctx.metrics, { responseType, clientId: client?.clientId, error });
    await recordEvent(deps, {
      ...event,
      outcome: 'FAILURE',
      clientId: client?.clientId ?? optional(params, 'client_id')?.slice(0, 255),
      error: error.error,
      reason: mismatch
        ? withRequestId(
            `redirect_uri ${mismatch.received} is not registered for ${client?.name}; registered: ${mismatch.registered.join(', ')}`,
            request,
          )
        : error.description,
    });
    if (mismatch === undefined) return sendErrorPage(request, reply, error);
    // RU-15: the registered URIs only in development or for a console admin; others get a reference.
    const detailed = await mayShowAppConfiguration(ctx, request);
    const { received } = mismatch;
    return sendErrorPage(request, reply, error, {
      title: 'Invalid redirect URI',
      redirectUri: detailed ? { ...mismatch, appName: client?.name } : { received },
      hint: detailed
        ? 'Redirect URIs must match exactly. Add the URI to the app (console or `latchkey apps update`), or fix the app to send a registered one.'
        : "Redirect URIs must match exactly. A console admin sees the app's registered redirect URIs here when signed in to the console (open this address again from the address bar: the console cookie is not sent from other sites), or finds this request in the system log.",
      ...(detailed ? {} : { reference: supportReference(ctx, request) }),
    });
  }
  if (validation.kind === 'error-redirect') {
    const { error, client, target } = validation;
    countAuthorization(ctx.metrics, { responseType, clientId: client.clientId, error });
    await recordEvent(deps, {
      ...event,
      outcome: 'FAILURE',
      clientId: client.clientId,
      error: error.error,
      reason: error.description,
    });
    return sendAuthorizationResponse(reply, errorResponse(target, issuer, error), 302);
  }
  const { request: authorization, client } = validation;
  const target = authorization;
  try {
    const session = await findSession(deps, request.cookies[ctx.cookies.session]);
    const hint = optional(params, 'id_token_hint');
    if (hint !== undefined) await checkIdTokenHint(deps, resolved, hint, session);
    const now = deps.clock.now();
    const remembered = await loadRememberedConsent(ctx, { authorization, client, resolved }, session);
    const facts = { request: authorization, client, session, remembered, now, requestedAt: now };
    const outcome = decideAuthorization(facts, { step: 'request' });
    if (outcome.kind === 'show-sign-in') return await showSignIn(ctx, request, reply, authorization, client);
    // Errors are logged and sent to the app below, as any other failure of a verified request.
    if (outcome.kind === 'error') throw outcome.error;
    return await carryOut(ctx, request, reply, outcome, {
      authorization,
      client,
      resolved,
      transactionId: undefined,
      requestedAt: now,
      status: 302,
    });
  } catch (thrown) {
    const error = toOAuthError(thrown);
    countAuthorization(ctx.metrics, { responseType, clientId: client.clientId, error });
    await recordEvent(deps, {
      ...event,
      outcome: 'FAILURE',
      clientId: client.clientId,
      error: error.error,
      reason: error.description,
    });
    // With the redirect URI verified, even an outage is reported to the app (RL-04).
    return sendAuthorizationResponse(reply, errorResponse(target, issuer, error), 302);
  }
}

async function showSignIn(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  authorization: AuthorizationRequest,
  client: ClientRow,
): Promise<FastifyReply> {
  const nonce = generateNonce();
  const html = renderSignInPage({
    appName: clientDisplayName(client),
    logoUri: client.logoUri,
    nonce,
    action: SIGN_IN_PATH,
    transactionId: await createTransaction(ctx, request, reply, authorization),
    csrfToken: reply.generateCsrf(),
    loginHint: authorization.loginHint,
  });
  return sendHtml(reply, 200, html, nonce, undefined, { imageOrigins: signInImageOrigins(client.logoUri) });
}
