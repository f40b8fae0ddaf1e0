// GET|POST {issuer}/v1/userinfo (OIDC Core §5.3; RFC 6750 §2.1 bearer header, §3 errors). The token comes
// only in the Authorization header: RFC 9700 §4.3.2 rules out the query string, and we pin the form body
// as refused too (UI-01, our decision: one way in, never logged by proxies or kept in histories).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../oauth/errors.ts';
import { INVALID_ACCESS_TOKEN, readUserInfo } from '../../oauth/userinfo.ts';
import type { HttpContext } from '../context.ts';
import { allowOrigin, clientOrigins, PREFLIGHT_HEADERS } from '../cors.ts';
import { sendBearerChallenge, sendBearerError } from '../error-response.ts';
import { formBody, header, rawQuery } from '../parse.ts';

const B64TOKEN = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function registerUserInfo(app: FastifyInstance, ctx: HttpContext): void {
  const path = '/oauth2/:serverId/v1/userinfo';
  const handler = (request: FastifyRequest, reply: FastifyReply) => userInfo(ctx, request, reply);
  app.get(path, handler);
  app.post(path, handler);
  app.options(path, (request, reply) => {
    const origin = header(request, 'origin');
    if (origin !== undefined) allowOrigin(reply, origin);
    return reply.status(204).headers(PREFLIGHT_HEADERS).send();
  });
}

async function userInfo(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const resolved = request.resolvedServer!;
  const origin = header(request, 'origin');
  try {
    const accessToken = readBearerToken(request);
    if (accessToken === undefined) {
      if (origin !== undefined) allowOrigin(reply, origin);
      return sendBearerChallenge(reply, resolved.issuer);
    }
    const { claims, clientId } = await readUserInfo(ctx.deps, resolved, accessToken);
    // The claims go only to the origins of the app the token was issued to (OKTA-COMPAT §1.0).
    if (origin !== undefined) {
      const client = await ctx.deps.store.clients.get(clientId);
      if (client !== undefined && clientOrigins(client).has(origin)) allowOrigin(reply, origin);
    }
    return reply.status(200).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(claims);
  } catch (thrown) {
    // An error reveals nothing the caller does not already hold, and okta-auth-js must read the
    // WWW-Authenticate challenge to react to it, so any origin may see errors (our decision).
    if (origin !== undefined) allowOrigin(reply, origin);
    return sendBearerError(request, reply, thrown);
  }
}

/** The bearer token from `Authorization`, undefined when the request carries none (RFC 6750 §3.1). */
function readBearerToken(request: FastifyRequest): string | undefined {
  if (rawQuery(request).has('access_token')) {
    throw new OAuthError('invalid_request', 'The access token cannot be presented in a query string.');
  }
  if (formBody(request).has('access_token')) {
    throw new OAuthError(
      'invalid_request',
      'The access token must be sent in the Authorization header, not in the request body.',
    );
  }
  const authorization = header(request, 'authorization');
  if (authorization === undefined || !/^Bearer(\s|$)/i.test(authorization)) return undefined;
  const token = B64TOKEN.exec(authorization)?.[1];
  if (token === undefined) {
    throw new OAuthError('invalid_token', INVALID_ACCESS_TOKEN, { cause: 'malformed Bearer header' });
  }
  return token;
}
