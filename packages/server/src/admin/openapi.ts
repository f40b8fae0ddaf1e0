// The OpenAPI 3 document of the admin API, at /api/v1/openapi.json. @fastify/swagger builds it from the
// route schemas that also validate requests and serialize responses, so it cannot drift from the code.
// It is served without a token: it describes the API and holds no data.

import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { routeSchema } from './route-schema.ts';

export async function describeAdminApi(
  api: FastifyInstance,
  publicUrl: string,
  version: string,
): Promise<void> {
  await api.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Latchkey admin API',
        version,
        description:
          "Okta's Management API for the subset Latchkey serves: apps, users, authorization servers (scopes, claims, keys), the system log and API tokens. Errors use Okta's body: errorCode, errorSummary, errorLink, errorId, errorCauses.",
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          SSWS: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description:
              'Okta\'s scheme: "SSWS <token>". Create tokens with `latchkey tokens create` or in the console.',
          },
          bearer: { type: 'http', scheme: 'bearer', description: 'The same API token as a bearer token.' },
        },
      },
      security: [{ SSWS: [] }, { bearer: [] }],
    },
    // Shared schemas keep their names (components.schemas.Application, …) rather than def-0, def-1, ….
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json['$id'] === 'string' ? json['$id'] : `def-${index}`,
    },
  });
}

export function registerOpenApiRoute(api: FastifyInstance): void {
  api.get(
    '/openapi.json',
    {
      config: { public: true },
      schema: routeSchema({
        tags: ['Meta'],
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        security: [],
        success: { type: 'object', additionalProperties: true },
      }),
    },
    async () => api.swagger(),
  );
}
