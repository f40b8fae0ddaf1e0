// POST {issuer}/v1/revoke (RFC 7009 §2): authenticate the client, revoke its own token, answer 200 with an
// empty body whether or not the token was known (§2.2: no oracle). 200 only once the revocation is stored.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordEvent } from '../../audit.ts';
import { optional } from '../../oauth/params.ts';
import { type RevocationOutcome, revokeToken } from '../../oauth/revocation.ts';
import type { ClientRow } from '../../storage/store.ts';
import type { HttpContext } from '../context.ts';
import { sendJsonError, toOAuthError } from '../error-response.ts';
import { readAuthenticatedForm, registerPostOnly, requiredToken } from './authenticated-form.ts';

const EVENT = 'app.oauth2.as.token.revoke';

export function registerRevoke(app: FastifyInstance, ctx: HttpContext): void {
  registerPostOnly(app, '/oauth2/:serverId/v1/revoke', (request, reply) => revoke(ctx, request, reply));
}

async function revoke(ctx: HttpContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { deps } = ctx;
  const serverId = request.resolvedServer!.server.id;
  let client: ClientRow | undefined;
  try {
    const form = await readAuthenticatedForm(ctx, request, reply, 'revoke');
    client = form.client;
    const token = requiredToken(form.params);
    const outcome = await revokeToken(
      deps,
      request.resolvedServer!,
      client,
      token,
      optional(form.params, 'token_type_hint'),
    );
    await recordEvent(deps, {
      ...describeOutcome(outcome),
      serverId,
      clientId: client.clientId,
      ip: request.ip,
    });
    return reply.status(200).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send();
  } catch (thrown) {
    const error = toOAuthError(thrown);
    await recordEvent(deps, {
      type: EVENT,
      outcome: 'FAILURE',
      serverId,
      clientId: client?.clientId,
      ip: request.ip,
      error: error.error,
      reason: `Revocation request refused: ${error.description}`,
    });
    return sendJsonError(request, reply, error);
  }
}

/** For the system log: what the request did, in plain words; never the token itself. */
function describeOutcome(outcome: RevocationOutcome): {
  type: string;
  outcome: 'SUCCESS' | 'FAILURE';
  reason: string;
  userId?: string | null;
  error?: string;
} {
  switch (outcome.kind) {
    case 'refresh_token':
      return {
        type: EVENT,
        outcome: 'SUCCESS',
        userId: outcome.userId,
        reason: `Refresh token revoked with its grant; ${outcome.revoked} token(s) newly revoked.`,
      };
    case 'access_token':
      return {
        type: EVENT,
        outcome: 'SUCCESS',
        userId: outcome.userId,
        reason:
          outcome.revoked > 0
            ? 'Access token revoked.'
            : 'Access token was already revoked; nothing changed.',
      };
    case 'other_client':
      return {
        type: EVENT,
        outcome: 'FAILURE',
        userId: outcome.userId,
        error: 'invalid_request',
        reason: `The token belongs to client ${outcome.ownerClientId}; a client revokes only its own tokens, so it was left active.`,
      };
    case 'unknown':
      return {
        type: EVENT,
        outcome: 'SUCCESS',
        reason:
          'No live token of this server matched; nothing to revoke (answered 200 as RFC 7009 §2.2 requires).',
      };
  }
}
