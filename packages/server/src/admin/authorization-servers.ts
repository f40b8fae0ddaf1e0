// /api/v1/authorizationServers and their scopes (OKTA-COMPAT §7.2). The server resource adds Latchkey's
// lifetimes (code, access token, ID token, refresh idle window and lifetime) as top-level fields; Okta
// keeps those on policy rules. The path parameter is `authServerId` (Okta's name; `serverId` is what
// the OAuth routes resolve as an issuer).

import type { FastifyInstance } from 'fastify';
import { rotationTimes, signingKeyRow } from '../oauth/keys/rotation.ts';
import { GRANTABLE_RESERVED_SCOPES } from '../oauth/scope.ts';
import { addCustomScope, requireAuthorizationServer } from '../services/authorization-servers.ts';
import { NotFoundError } from '../services/errors.ts';
import {
  createConfiguredServer,
  deleteCustomScope,
  type ServerChanges,
  type ServerLifetimes,
  updateAuthorizationServer,
  updateCustomScope,
} from '../services/server-settings.ts';
import type { AuthorizationServerRow, ScopeRow } from '../storage/store.ts';
import { type AdminContext, recordAdminChange, withFieldNames } from './context.ts';
import { listOf, pathParams, ref, routeSchema } from './route-schema.ts';
import { scopeJson, serverJson } from './shapes.ts';

const TAGS = ['AuthorizationServer'];
type ServerParams = { Params: { authServerId: string } };
type ScopeParams = { Params: { authServerId: string; scopeId: string } };
const SERVER_FIELDS = { audience: 'audiences' };
type ServerBody = Partial<ServerLifetimes> & {
  name?: string;
  description?: string;
  audiences?: string[];
  resources?: string[];
};
type ScopeBody = {
  name?: string;
  displayName?: string;
  description?: string;
  metadataPublish?: ScopeRow['metadataPublish'];
};

export function registerAuthorizationServerRoutes(api: FastifyInstance, ctx: AdminContext): void {
  const deps = ctx.deps;
  const json = async (server: AuthorizationServerRow) => {
    const keys = await deps.store.signingKeys.listForServer(server.id);
    const signing = { ...rotationTimes(keys), kid: signingKeyRow(keys)?.kid };
    return serverJson(server, signing, deps.config.publicUrl, ctx.base);
  };
  const serverParams = pathParams('authServerId');
  const scopeParams = pathParams('authServerId', 'scopeId');

  api.get(
    '/authorizationServers',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'listAuthorizationServers',
        summary: 'List authorization servers',
        success: listOf('AuthorizationServer'),
      }),
    },
    async () => Promise.all((await deps.store.authorizationServers.list()).map(json)),
  );

  api.post<{ Body: ServerBody }>(
    '/authorizationServers',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'createAuthorizationServer',
        summary: 'Create an authorization server with its own issuer and signing key',
        body: ref('AuthorizationServerCreate'),
        success: ref('AuthorizationServer'),
      }),
    },
    async (request) => {
      const { name, audience, ...settings } = serverChangesFrom(request.body);
      const server = await withFieldNames(SERVER_FIELDS, () =>
        createConfiguredServer(deps, { ...settings, name: name ?? '', audience: audience ?? '' }),
      );
      await recordAdminChange(ctx, request, {
        type: 'oauth2.as.created',
        serverId: server.id,
        reason: `Authorization server "${server.name}" created (audience ${server.audience}).`,
      });
      return json(server);
    },
  );

  api.get<ServerParams>(
    '/authorizationServers/:authServerId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'getAuthorizationServer',
        summary: 'Show an authorization server',
        params: serverParams,
        success: ref('AuthorizationServer'),
      }),
    },
    async (request) => json(await requireAuthorizationServer(deps.store, request.params.authServerId)),
  );

  api.put<ServerParams & { Body: ServerBody }>(
    '/authorizationServers/:authServerId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'replaceAuthorizationServer',
        summary: 'Change an authorization server; settings left out keep their values',
        params: serverParams,
        body: ref('AuthorizationServerUpdate'),
        success: ref('AuthorizationServer'),
      }),
    },
    async (request) => {
      const changes = serverChangesFrom(request.body);
      const server = await withFieldNames(SERVER_FIELDS, () =>
        updateAuthorizationServer(deps, request.params.authServerId, changes),
      );
      const changed = Object.keys(changes).filter((key) => changes[key as keyof ServerChanges] !== undefined);
      await recordAdminChange(ctx, request, {
        type: 'oauth2.as.updated',
        serverId: server.id,
        reason: `Authorization server "${server.name}" changed (${changed.join(', ')}).`,
      });
      return json(server);
    },
  );

  api.get<ServerParams>(
    '/authorizationServers/:authServerId/scopes',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'listOAuth2Scopes',
        summary: 'List the reserved (system) and custom scopes of a server',
        params: serverParams,
        success: listOf('OAuth2Scope'),
      }),
    },
    async (request) => {
      const server = await requireAuthorizationServer(deps.store, request.params.authServerId);
      const custom = await deps.store.authorizationServers.listScopes(server.id);
      return [
        ...[...GRANTABLE_RESERVED_SCOPES].map((name) => scopeJson({ serverId: server.id, name }, ctx.base)),
        ...custom.map((scope) => scopeJson(scope, ctx.base)),
      ];
    },
  );

  api.post<ServerParams & { Body: ScopeBody }>(
    '/authorizationServers/:authServerId/scopes',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'createOAuth2Scope',
        summary: 'Add a custom scope',
        params: serverParams,
        body: ref('OAuth2ScopeCreate'),
        success: ref('OAuth2Scope'),
      }),
    },
    async (request) => {
      const { authServerId } = request.params;
      const { name = '', displayName, description, metadataPublish } = request.body;
      const scope = await deps.store.transaction(async (tx) => {
        const created = await addCustomScope({ store: tx, clock: deps.clock }, authServerId, {
          name,
          displayName,
          description,
        });
        if (metadataPublish === undefined || metadataPublish === created.metadataPublish) return created;
        return updateCustomScope({ store: tx }, authServerId, created.name, { metadataPublish });
      });
      await recordAdminChange(ctx, request, {
        type: 'oauth2.scope.created',
        serverId: authServerId,
        reason: `Scope "${scope.name}" added.`,
      });
      return scopeJson(scope, ctx.base);
    },
  );

  api.get<ScopeParams>(
    '/authorizationServers/:authServerId/scopes/:scopeId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'getOAuth2Scope',
        summary: 'Show a scope (its id is its name)',
        params: scopeParams,
        success: ref('OAuth2Scope'),
      }),
    },
    async (request) => {
      const { authServerId, scopeId } = request.params;
      await requireAuthorizationServer(deps.store, authServerId);
      if (GRANTABLE_RESERVED_SCOPES.has(scopeId))
        return scopeJson({ serverId: authServerId, name: scopeId }, ctx.base);
      const scope = (await deps.store.authorizationServers.listScopes(authServerId)).find(
        (row) => row.name === scopeId,
      );
      if (scope === undefined) throw new NotFoundError('OAuth2Scope', scopeId);
      return scopeJson(scope, ctx.base);
    },
  );

  api.put<ScopeParams & { Body: ScopeBody }>(
    '/authorizationServers/:authServerId/scopes/:scopeId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'replaceOAuth2Scope',
        summary: 'Change a custom scope (display name, description, publication)',
        params: scopeParams,
        body: ref('OAuth2ScopeUpdate'),
        success: ref('OAuth2Scope'),
      }),
    },
    async (request) => {
      const { authServerId, scopeId } = request.params;
      const { displayName, description, metadataPublish } = request.body;
      const scope = await updateCustomScope(deps, authServerId, scopeId, {
        displayName,
        description,
        metadataPublish,
      });
      await recordAdminChange(ctx, request, {
        type: 'oauth2.scope.updated',
        serverId: authServerId,
        reason: `Scope "${scope.name}" changed.`,
      });
      return scopeJson(scope, ctx.base);
    },
  );

  api.delete<ScopeParams>(
    '/authorizationServers/:authServerId/scopes/:scopeId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'deleteOAuth2Scope',
        summary: 'Delete a custom scope',
        params: scopeParams,
        success: 'none',
      }),
    },
    async (request, reply) => {
      const { authServerId, scopeId } = request.params;
      await deleteCustomScope(deps, authServerId, scopeId);
      await recordAdminChange(ctx, request, {
        type: 'oauth2.scope.deleted',
        serverId: authServerId,
        reason: `Scope "${scopeId}" deleted.`,
      });
      return reply.status(204).send();
    },
  );
}

/** The settings a body sets, by name: a GET → PUT round trip also sends read-only fields (id, issuer, …). */
function serverChangesFrom(body: ServerBody): ServerChanges {
  return {
    name: body.name,
    description: body.description,
    audience: body.audiences?.[0],
    resources: body.resources,
    codeLifetimeSeconds: body.codeLifetimeSeconds,
    accessTokenLifetimeSeconds: body.accessTokenLifetimeSeconds,
    idTokenLifetimeSeconds: body.idTokenLifetimeSeconds,
    refreshTokenIdleSeconds: body.refreshTokenIdleSeconds,
    refreshTokenAbsoluteSeconds: body.refreshTokenAbsoluteSeconds,
  };
}
