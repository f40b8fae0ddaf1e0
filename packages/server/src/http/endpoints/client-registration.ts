// POST /oauth2/v1/clients (RFC 7591 §3) and GET|PUT|DELETE /oauth2/v1/clients/{client_id} (RFC 7592 §2):
// Okta's org-level path (OKTA-COMPAT §7.1), since apps belong to the installation, not to one authorization
// server; every server's discovery names it as `registration_endpoint` when registration is on.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordEvent } from '../../audit.ts';
import {
  clientInformation,
  parseClientMetadata,
  type RegistrationPolicy,
} from '../../oauth/client-registration.ts';
import { OAuthError } from '../../oauth/errors.ts';
import {
  authorizeManagement,
  deleteRegistration,
  registerClient,
  registrationPolicy,
  updateRegistration,
} from '../../services/client-registration.ts';
import type { ClientRow } from '../../storage/store.ts';
import type { HttpContext } from '../context.ts';
import { sendBearerError, sendJsonError, toOAuthError } from '../error-response.ts';
import { header } from '../parse.ts';
import type { RouteRateLimits } from '../rate-limits.ts';

export const REGISTRATION_PATH = '/oauth2/v1/clients';

export function registrationEndpoint(publicUrl: string): string {
  return `${publicUrl}${REGISTRATION_PATH}`;
}

export function registerClientRegistration(
  app: FastifyInstance,
  ctx: HttpContext,
  options: { rateLimits: RouteRateLimits },
): void {
  const { deps } = ctx;
  const config = { rateLimit: options.rateLimits.registration };
  const clientUri = (clientId: string) =>
    `${registrationEndpoint(deps.config.publicUrl)}/${encodeURIComponent(clientId)}`;
  const mode = deps.config.clientRegistration;
  const event = (request: FastifyRequest, type: string) => ({
    type: `app.oauth2.client.${type}`,
    ip: request.ip,
  });
  const fail = (request: FastifyRequest, reply: FastifyReply, thrown: unknown) => {
    const error = toOAuthError(thrown);
    return error.error === 'invalid_token'
      ? sendBearerError(request, reply, error)
      : sendJsonError(request, reply, error);
  };
  const turnedOff = new OAuthError(
    'invalid_request',
    'Dynamic client registration is turned off on this server (LATCHKEY_CLIENT_REGISTRATION=off); ask its administrator to register the app.',
    { status: 404 },
  );

  app.post(REGISTRATION_PATH, { config }, async (request, reply) => {
    if (mode === 'off') return sendJsonError(request, reply, turnedOff);
    try {
      const access = await registrationPolicy(deps, mode, header(request, 'authorization'));
      const registration = await registerClient(deps, jsonBody(request), access, clientUri);
      await recordEvent(deps, {
        ...event(request, 'register'),
        outcome: 'SUCCESS',
        clientId: registration.client.clientId,
        actor:
          access.initialToken === undefined
            ? 'open registration'
            : `registration-token:${access.initialToken.id}`,
        reason: `App "${registration.client.name}" (${registration.client.applicationType}) registered itself (RFC 7591)${access.initialToken === undefined ? ' without an initial access token' : ` with the initial access token "${access.initialToken.name}"`}; redirect URIs: ${registration.client.redirectUris.join(', ')}.`,
      });
      return noStore(reply).status(201).send(registration.body);
    } catch (error) {
      const refused = toOAuthError(error);
      if (refused.status < 500) {
        await recordEvent(deps, {
          ...event(request, 'register'),
          outcome: 'FAILURE',
          error: refused.error,
          reason: refused.description,
        });
      }
      return fail(request, reply, refused);
    }
  });

  const managed = async (
    request: FastifyRequest<{ Params: { clientId: string } }>,
    reply: FastifyReply,
    work: (client: ClientRow) => Promise<FastifyReply>,
  ): Promise<FastifyReply> => {
    if (mode === 'off') return sendJsonError(request, reply, turnedOff);
    try {
      const client = await authorizeManagement(
        deps,
        request.params.clientId,
        header(request, 'authorization'),
      );
      return await work(client);
    } catch (error) {
      return fail(request, reply, error);
    }
  };
  const path = `${REGISTRATION_PATH}/:clientId`;
  app.get<{ Params: { clientId: string } }>(path, { config }, (request, reply) =>
    managed(request, reply, async (client) =>
      noStore(reply).send(clientInformation(client, clientUri(client.clientId))),
    ),
  );
  app.put<{ Params: { clientId: string } }>(path, { config }, (request, reply) =>
    managed(request, reply, async (client) => {
      const updated = await updateRegistration(deps, client, jsonBody(request), updatePolicy(client, mode));
      await recordEvent(deps, {
        ...event(request, 'update'),
        outcome: 'SUCCESS',
        clientId: client.clientId,
        actor: 'registration access token',
        reason: `App "${updated.name}" updated its registration (RFC 7592).`,
      });
      return noStore(reply).send(clientInformation(updated, clientUri(client.clientId)));
    }),
  );
  app.delete<{ Params: { clientId: string } }>(path, { config }, (request, reply) =>
    managed(request, reply, async (client) => {
      await deleteRegistration(deps, client.clientId);
      await recordEvent(deps, {
        ...event(request, 'delete'),
        outcome: 'SUCCESS',
        clientId: client.clientId,
        actor: 'registration access token',
        reason: `App "${client.name}" deleted its registration (RFC 7592); its tokens are revoked.`,
      });
      return noStore(reply).status(204).send();
    }),
  );
}

/**
 * A client never widens itself by updating: one that open registration could have made stays within the
 * open rules on an open server; others (made with an initial access token) keep the full rules.
 */
function updatePolicy(client: ClientRow, mode: 'off' | 'token' | 'open'): RegistrationPolicy {
  if (mode !== 'open') return 'full';
  try {
    parseClientMetadata(
      {
        application_type: client.applicationType,
        token_endpoint_auth_method: client.tokenEndpointAuthMethod,
        redirect_uris: client.redirectUris,
      },
      'open',
    );
    return 'open';
  } catch {
    return 'full';
  }
}

/** RFC 7591 §3: the metadata is a JSON document (the app keeps unknown content types as text). */
function jsonBody(request: FastifyRequest): unknown {
  const type = (header(request, 'content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new OAuthError(
      'invalid_client_metadata',
      'Send the client metadata as JSON (Content-Type: application/json).',
    );
  }
  try {
    return JSON.parse(typeof request.body === 'string' ? request.body : '');
  } catch {
    throw new OAuthError('invalid_client_metadata', 'The request body is not valid JSON.');
  }
}

/** RFC 7591 §3.2.1: the response carries credentials, so it is never cached. */
function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
}
