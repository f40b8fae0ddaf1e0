// Shared by /v1/introspect and /v1/revoke (RFC 7662 §2.1, RFC 7009 §2.1): a form POST from an
// authenticated client, with CORS for that client's origins (OKTA-COMPAT §1.0, as on /v1/token).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateClient } from '../../oauth/client-authentication.ts';
import { OAuthError } from '../../oauth/errors.ts';
import { collectParameters, type ParameterBag, rejectRepeated } from '../../oauth/params.ts';
import type { ClientRow } from '../../storage/store.ts';
import type { HttpContext } from '../context.ts';
import { allowOrigin, clientOrigins, PREFLIGHT_HEADERS } from '../cors.ts';
import { sendJsonError } from '../error-response.ts';
import { formBody, header, isForm, rawQuery } from '../parse.ts';

export interface AuthenticatedForm {
  client: ClientRow;
  /** How the client authenticated: `none` for a public client, else with its secret. */
  method: ClientRow['tokenEndpointAuthMethod'];
  params: ParameterBag;
}

export async function readAuthenticatedForm(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  endpoint: 'introspect' | 'revoke',
): Promise<AuthenticatedForm> {
  if (!isForm(request)) {
    throw new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded.');
  }
  const params = collectParameters(formBody(request));
  rejectRepeated(params);
  const issuer = request.resolvedServer!.issuer;
  const { client, method } = await authenticateClient(ctx.deps.store, {
    authorization: header(request, 'authorization'),
    body: params,
    query: rawQuery(request),
    // OKTA-COMPAT §1.5-1.6: a public client may also name itself as `?client_id=` (Okta's documented form).
    acceptClientIdInQuery: true,
    // OIDC Core §9 names the token endpoint as `aud`; Okta takes the endpoint called (RFC 7523 §3 item 3).
    assertion: {
      clock: ctx.deps.clock,
      keySets: ctx.clientKeys,
      audiences: [`${issuer}/v1/${endpoint}`, `${issuer}/v1/token`, issuer],
    },
  });
  const origin = header(request, 'origin');
  if (origin !== undefined && clientOrigins(client).has(origin)) allowOrigin(reply, origin);
  return { client, method, params };
}

/** The `token` parameter both endpoints require (OKTA-COMPAT §1.5, §1.6). */
export function requiredToken(params: ParameterBag): string {
  const token = params.get('token');
  if (token === undefined || token === '') {
    throw new OAuthError('invalid_request', "The 'token' parameter is required.");
  }
  return token;
}

/** POST-only routes: a preflight for browser apps, 405 for GET. */
export function registerPostOnly(
  app: FastifyInstance,
  path: string,
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>,
): void {
  app.post(path, handler);
  app.options(path, (request, reply) => {
    const origin = header(request, 'origin');
    if (origin !== undefined) allowOrigin(reply, origin);
    return reply.status(204).headers(PREFLIGHT_HEADERS).send();
  });
  app.get(path, (request, reply) =>
    sendJsonError(
      request,
      reply.header('Allow', 'POST, OPTIONS'),
      new OAuthError('invalid_request', 'This endpoint accepts only POST.', { status: 405 }),
    ),
  );
}
