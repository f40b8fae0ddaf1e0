// Authentication of the admin API (SECURITY-MATRIX AD-01): every route but the OpenAPI document needs an
// API token, as `Authorization: SSWS <token>` (Okta's scheme) or `Bearer <token>`. Cookies are never
// read here, so an end-user (or any browser) session opens nothing, and no CORS header is ever sent.
// Also Okta's API token routes: list, show and revoke; and, a Latchkey addition, create (AD-04): the new
// token belongs to the admin behind the token that makes it and cannot outlive that token.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  authenticateApiToken,
  createApiToken,
  describeCreator,
  describeExpiry,
  requireApiToken,
  revokeApiToken,
} from '../services/api-tokens.ts';
import { type AdminContext, recordAdminChange } from './context.ts';
import { invalidToken } from './error-response.ts';
import { listOf, pathParams, ref, routeSchema } from './route-schema.ts';
import { apiTokenJson } from './shapes.ts';

const SCHEME = /^(?:SSWS|Bearer) +([\x21-\x7e]+) *$/i;

export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header === undefined ? undefined : SCHEME.exec(header)?.[1];
}

export function requireApiTokens(api: FastifyInstance, ctx: AdminContext): void {
  api.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public === true) return;
    const presented = presentedToken(request);
    const token = presented === undefined ? undefined : await authenticateApiToken(ctx.deps, presented);
    if (token === undefined) throw invalidToken();
    request.apiToken = token;
  });
}

const TAGS = ['ApiToken'];

export function registerApiTokenRoutes(api: FastifyInstance, ctx: AdminContext): void {
  api.get(
    '/api-tokens',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'listApiTokens',
        summary: 'List API tokens (never the tokens themselves)',
        success: listOf('ApiToken'),
      }),
    },
    async () => {
      const now = ctx.deps.clock.now();
      return (await ctx.deps.store.apiTokens.list()).map((token) => apiTokenJson(token, ctx.base, now));
    },
  );

  api.post<{ Body: { name: string; expiresAt?: string | null } }>(
    '/api-tokens',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'createApiToken',
        summary: 'Create an API token (Latchkey); the token is in this response only',
        body: ref('ApiTokenCreate'),
        success: ref('ApiTokenCreated'),
      }),
    },
    async (request) => {
      const parent = request.apiToken;
      const { name, expiresAt } = request.body;
      // The schema checked the date-time format; the service checks that it is in the future.
      const expiry = expiresAt === undefined || expiresAt === null ? null : Date.parse(expiresAt) / 1000;
      const { row, token } = await createApiToken(ctx.deps, {
        name,
        createdBy: parent?.createdBy ?? null,
        expiresAt: expiry === null ? null : Math.floor(expiry),
        parent,
      });
      await recordAdminChange(ctx, request, {
        type: 'system.api_token.create',
        reason: `API token "${row.name}" (${row.id}) created through the admin API for ${await describeCreator(ctx.deps.store, row.createdBy)}; ${describeExpiry(row)}.`,
      });
      return { ...apiTokenJson(row, ctx.base, ctx.deps.clock.now()), token };
    },
  );

  api.get<{ Params: { apiTokenId: string } }>(
    '/api-tokens/:apiTokenId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'getApiToken',
        summary: 'Show an API token',
        params: pathParams('apiTokenId'),
        success: ref('ApiToken'),
      }),
    },
    async (request) =>
      apiTokenJson(
        await requireApiToken(ctx.deps.store, request.params.apiTokenId),
        ctx.base,
        ctx.deps.clock.now(),
      ),
  );

  const revoke = async (request: FastifyRequest, id: string): Promise<void> => {
    const { token, changed } = await revokeApiToken(ctx.deps, id);
    if (!changed) return;
    await recordAdminChange(ctx, request, {
      type: 'system.api_token.revoke',
      reason: `API token "${token.name}" (${token.id}) revoked.`,
    });
  };

  api.delete(
    '/api-tokens/current',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'revokeCurrentApiToken',
        summary: 'Revoke the API token of this request',
        success: 'none',
      }),
    },
    async (request, reply) => {
      await revoke(request, request.apiToken?.id ?? '');
      return reply.status(204).send();
    },
  );

  api.delete<{ Params: { apiTokenId: string } }>(
    '/api-tokens/:apiTokenId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'revokeApiToken',
        summary: 'Revoke an API token; every instance refuses it at once',
        params: pathParams('apiTokenId'),
        success: 'none',
      }),
    },
    async (request, reply) => {
      await revoke(request, request.params.apiTokenId);
      return reply.status(204).send();
    },
  );
}
