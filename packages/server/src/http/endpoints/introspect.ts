// POST {issuer}/v1/introspect (RFC 7662 §2): authenticate the client, then answer the token's state.
// Everything we cannot vouch for is exactly `{"active":false}` (§2.2); an outage is 503, never a guess.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { introspectToken } from '../../oauth/introspection.ts';
import { optional } from '../../oauth/params.ts';
import type { HttpContext } from '../context.ts';
import { sendJsonError } from '../error-response.ts';
import { readAuthenticatedForm, registerPostOnly, requiredToken } from './authenticated-form.ts';

export function registerIntrospect(app: FastifyInstance, ctx: HttpContext): void {
  registerPostOnly(app, '/oauth2/:serverId/v1/introspect', (request, reply) =>
    introspect(ctx, request, reply),
  );
}

async function introspect(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  try {
    const { client, method, params } = await readAuthenticatedForm(ctx, request, reply, 'introspect');
    const token = requiredToken(params);
    const response = await introspectToken(
      ctx.deps,
      request.resolvedServer!,
      { clientId: client.clientId, confidential: method !== 'none' },
      token,
      optional(params, 'token_type_hint'),
    );
    return reply.status(200).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(response);
  } catch (thrown) {
    return sendJsonError(request, reply, thrown);
  }
}
