// POST {issuer}/v1/token (RFC 6749 §3.2, §4.1.3, §5): parse, authenticate the client, hand the grant to its
// handler, answer JSON with `Cache-Control: no-store` (RFC 6749 §5.1). Never a `state` member.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordEvent } from '../../audit.ts';
import { countTokenRequest } from '../../metrics/record.ts';
import { authenticateClient } from '../../oauth/client-authentication.ts';
import { OAuthError } from '../../oauth/errors.ts';
import { requireGrantType, selectGrant } from '../../oauth/grants/index.ts';
import { collectParameters, rejectRepeated } from '../../oauth/params.ts';
import type { ClientRow } from '../../storage/store.ts';
import type { HttpContext } from '../context.ts';
import { allowOrigin, clientOrigins, PREFLIGHT_HEADERS } from '../cors.ts';
import { describeCause, sendJsonError, toOAuthError } from '../error-response.ts';
import { formBody, header, isForm, rawQuery } from '../parse.ts';
import type { RouteRateLimits } from '../rate-limits.ts';

export function registerToken(
  app: FastifyInstance,
  ctx: HttpContext,
  options: { rateLimits: RouteRateLimits },
): void {
  const path = '/oauth2/:serverId/v1/token';
  app.post(path, { config: { rateLimit: options.rateLimits.token } }, (request, reply) =>
    token(ctx, request, reply),
  );
  app.options(path, (request, reply) => {
    const origin = header(request, 'origin');
    if (origin !== undefined) allowOrigin(reply, origin);
    return reply.status(204).headers(PREFLIGHT_HEADERS).send();
  });
  app.get(path, (request, reply) =>
    sendJsonError(
      request,
      reply.header('Allow', 'POST, OPTIONS'),
      new OAuthError('invalid_request', 'The token endpoint accepts only POST.', { status: 405 }),
    ),
  );
}

async function token(ctx: HttpContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { deps } = ctx;
  const resolved = request.resolvedServer!;
  const origin = header(request, 'origin');
  let client: ClientRow | undefined;
  let grantType: string | undefined;
  try {
    if (!isForm(request)) {
      throw new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded.');
    }
    const query = rawQuery(request);
    const params = collectParameters(formBody(request));
    rejectRepeated(params);
    grantType = params.get('grant_type');
    const granted = requireGrantType(grantType);
    ({ client } = await authenticateClient(deps.store, {
      authorization: header(request, 'authorization'),
      body: params,
      query,
    }));
    if (origin !== undefined) {
      if (!clientOrigins(client).has(origin)) {
        throw new OAuthError(
          'invalid_request',
          'Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.',
        );
      }
      allowOrigin(reply, origin);
    }
    const handler = selectGrant(client, granted);
    const issuedTo = client;
    const response = await handler.handle(deps, {
      server: resolved.server,
      issuer: resolved.issuer,
      client,
      params,
      origin,
      ip: request.ip,
      // Called by the handler inside the transaction that issues the tokens (issue 8 §2).
      recordIssued: (issued) =>
        recordEvent(deps, {
          type: 'app.oauth2.token.grant',
          outcome: 'SUCCESS',
          serverId: resolved.server.id,
          clientId: issuedTo.clientId,
          ip: request.ip,
          reason: `Tokens issued to ${issuedTo.name} for grant ${granted} (scopes: ${issued.scope}).`,
        }),
    });
    countTokenRequest(ctx.metrics, { grantType, clientId: client.clientId });
    return reply.status(200).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(response);
  } catch (thrown) {
    const error = toOAuthError(thrown);
    // Only an authenticated client's id labels the series; a refused client_id could be anything.
    countTokenRequest(ctx.metrics, { grantType, clientId: client?.clientId, error });
    await recordEvent(deps, {
      type: 'app.oauth2.token.grant',
      outcome: 'FAILURE',
      serverId: resolved.server.id,
      clientId: client?.clientId,
      ip: request.ip,
      error: error.error,
      reason: `${grantType ?? 'token'} request refused: ${explain(error)}`,
    });
    return sendJsonError(request, reply, error);
  }
}

/** For the system log: the precise cause when there is one (never a secret), else the description. */
function explain(error: OAuthError): string {
  const cause = error.status < 500 ? describeCause(error.cause) : undefined;
  if (error.description === 'PKCE verification failed.') {
    return 'code_verifier does not match the code_challenge sent to /authorize.';
  }
  return cause === undefined ? error.description : `${error.description} (${cause})`;
}
