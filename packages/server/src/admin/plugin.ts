// The admin API under /api/v1 (issue 5), modelled on Okta's Management API so that Okta scripts and SDKs
// can manage Latchkey. An encapsulated plugin: its JSON parser, API-token authentication, error handler
// and not-found handler apply here only; the OAuth endpoints keep their form parser and error format.

import type { FastifyInstance } from 'fastify';
import type { HttpContext } from '../http/context.ts';
import { decodeJsonBody } from '../http/input-guard.ts';
import { VERSION } from '../version.ts';
import { registerApiTokenRoutes, requireApiTokens } from './api-tokens.ts';
import { registerAppRoutes } from './apps.ts';
import { registerAuthorizationServerRoutes } from './authorization-servers.ts';
import { registerClaimRoutes } from './claims.ts';
import type { AdminContext } from './context.ts';
import { AdminApiError, notWellFormed, sendAdminError } from './error-response.ts';
import { registerKeyRoutes } from './keys.ts';
import { registerLogRoutes } from './logs.ts';
import { describeAdminApi, registerOpenApiRoute } from './openapi.ts';
import { addAdminSchemas } from './schemas.ts';
import { registerUserRoutes } from './users.ts';

export const ADMIN_API_PREFIX = '/api/v1';

const version = VERSION;

export function registerAdminApi(app: FastifyInstance, http: HttpContext): void {
  const ctx: AdminContext = { deps: http.deps, base: `${http.deps.config.publicUrl}${ADMIN_API_PREFIX}` };
  app.register(
    async (api) => {
      await describeAdminApi(api, http.deps.config.publicUrl, version);
      acceptJson(api);
      api.setErrorHandler((error, request, reply) => sendAdminError(request, reply, error));
      api.setNotFoundHandler((request, reply) =>
        sendAdminError(
          request,
          reply,
          new AdminApiError(
            404,
            'E0000007',
            `Not found: Resource not found: ${request.method} ${request.url.split('?')[0]} (Route)`,
          ),
        ),
      );
      // Responses hold client secrets and personal data: never cached, by anyone.
      api.addHook('onSend', async (_request, reply, payload) => {
        reply.header('Cache-Control', 'no-store');
        return payload;
      });
      requireApiTokens(api, ctx);
      addAdminSchemas(api);
      registerOpenApiRoute(api);
      registerAppRoutes(api, ctx);
      registerUserRoutes(api, ctx);
      registerAuthorizationServerRoutes(api, ctx);
      registerClaimRoutes(api, ctx);
      registerKeyRoutes(api, ctx);
      registerLogRoutes(api, ctx);
      registerApiTokenRoutes(api, ctx);
    },
    { prefix: ADMIN_API_PREFIX },
  );
}

/**
 * JSON bodies only, parsed by Fastify's own parser (which refuses `__proto__` and `constructor.prototype`
 * keys). An empty body is no body: Okta's SDKs send lifecycle POSTs with a JSON content type and nothing
 * in them. Any other content type (taken as text by the app-wide parser) is refused before validation.
 */
function acceptJson(api: FastifyInstance): void {
  const parseJson = api.getDefaultJsonParser('error', 'error');
  if (api.hasContentTypeParser('application/json')) api.removeContentTypeParser('application/json');
  // Bytes, so that text that is not UTF-8 is refused and named rather than silently replaced (NB-01).
  api.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = decodeJsonBody(body as Buffer);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    if (text === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
  api.addHook('preValidation', async (request) => {
    if (request.body === undefined) return;
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw notWellFormed('Send the body as JSON with Content-Type: application/json.');
    }
  });
}
