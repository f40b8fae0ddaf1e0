// /api/v1/authorizationServers/{authServerId}/claims: custom claims (OKTA-COMPAT §7.2). Values are
// expressions of a small, safe language (user.email, app.clientId, "a literal", …); anything else,
// and any registered claim name (iss, sub, aud, …), is refused with a 400 (services/claims.ts).

import type { FastifyInstance } from 'fastify';
import { requireAuthorizationServer } from '../services/authorization-servers.ts';
import {
  type ClaimChanges,
  createClaim,
  deleteClaim,
  requireClaim,
  updateClaim,
} from '../services/claims.ts';
import type { ClaimRow } from '../storage/store.ts';
import { type AdminContext, recordAdminChange, withFieldNames } from './context.ts';
import { listOf, pathParams, ref, routeSchema } from './route-schema.ts';
import { claimJson } from './shapes.ts';

const TAGS = ['AuthorizationServer'];
type ServerParams = { Params: { authServerId: string } };
type ClaimParams = { Params: { authServerId: string; claimId: string } };

interface ClaimBody {
  name?: string;
  status?: ClaimRow['status'];
  claimType?: ClaimRow['claimType'];
  valueType?: string;
  value?: string;
  alwaysIncludeInToken?: boolean;
  conditions?: { scopes?: string[] };
}

const FIELDS = { scopes: 'conditions.scopes' };

function settingsFrom(body: ClaimBody): ClaimChanges {
  return {
    name: body.name,
    status: body.status,
    claimType: body.claimType,
    valueType: body.valueType,
    value: body.value,
    alwaysIncludeInToken: body.alwaysIncludeInToken,
    scopes: body.conditions?.scopes,
  };
}

export function registerClaimRoutes(api: FastifyInstance, ctx: AdminContext): void {
  const deps = ctx.deps;
  const claimParams = pathParams('authServerId', 'claimId');

  api.get<ServerParams>(
    '/authorizationServers/:authServerId/claims',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'listOAuth2Claims',
        summary: 'List the custom claims of a server',
        params: pathParams('authServerId'),
        success: listOf('OAuth2Claim'),
      }),
    },
    async (request) => {
      const server = await requireAuthorizationServer(deps.store, request.params.authServerId);
      return (await deps.store.claims.listForServer(server.id)).map((claim) => claimJson(claim, ctx.base));
    },
  );

  api.post<ServerParams & { Body: ClaimBody }>(
    '/authorizationServers/:authServerId/claims',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'createOAuth2Claim',
        summary: 'Add a custom claim to access tokens (RESOURCE) or ID tokens (IDENTITY)',
        params: pathParams('authServerId'),
        body: ref('OAuth2ClaimCreate'),
        success: ref('OAuth2Claim'),
      }),
    },
    async (request) => {
      const { authServerId } = request.params;
      const settings = settingsFrom(request.body);
      const claim = await withFieldNames(FIELDS, () =>
        createClaim(deps, authServerId, {
          ...settings,
          name: settings.name ?? '',
          claimType: settings.claimType ?? 'RESOURCE',
          value: settings.value ?? '',
        }),
      );
      await recordAdminChange(ctx, request, {
        type: 'oauth2.claim.created',
        serverId: authServerId,
        reason: `${claim.claimType} claim "${claim.name}" added (${claim.value}).`,
      });
      return claimJson(claim, ctx.base);
    },
  );

  api.get<ClaimParams>(
    '/authorizationServers/:authServerId/claims/:claimId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'getOAuth2Claim',
        summary: 'Show a custom claim',
        params: claimParams,
        success: ref('OAuth2Claim'),
      }),
    },
    async (request) =>
      claimJson(
        await requireClaim(deps.store, request.params.authServerId, request.params.claimId),
        ctx.base,
      ),
  );

  api.put<ClaimParams & { Body: ClaimBody }>(
    '/authorizationServers/:authServerId/claims/:claimId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'replaceOAuth2Claim',
        summary: 'Change a custom claim; settings left out keep their values',
        params: claimParams,
        body: ref('OAuth2ClaimUpdate'),
        success: ref('OAuth2Claim'),
      }),
    },
    async (request) => {
      const { authServerId, claimId } = request.params;
      const claim = await withFieldNames(FIELDS, () =>
        updateClaim(deps, authServerId, claimId, settingsFrom(request.body)),
      );
      await recordAdminChange(ctx, request, {
        type: 'oauth2.claim.updated',
        serverId: authServerId,
        reason: `${claim.claimType} claim "${claim.name}" changed.`,
      });
      return claimJson(claim, ctx.base);
    },
  );

  api.delete<ClaimParams>(
    '/authorizationServers/:authServerId/claims/:claimId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'deleteOAuth2Claim',
        summary: 'Delete a custom claim',
        params: claimParams,
        success: 'none',
      }),
    },
    async (request, reply) => {
      const { authServerId, claimId } = request.params;
      const claim = await requireClaim(deps.store, authServerId, claimId);
      await deleteClaim(deps, authServerId, claimId);
      await recordAdminChange(ctx, request, {
        type: 'oauth2.claim.deleted',
        serverId: authServerId,
        reason: `${claim.claimType} claim "${claim.name}" deleted.`,
      });
      return reply.status(204).send();
    },
  );
}
