// /api/v1/authorizationServers/{authServerId}/credentials: the signing keys in Okta's shape and key
// rotation. Unlike Okta, keyRotate stages the next key rather than signing with it at once: a key is
// published for the pre-publication window before any instance signs with it (SECURITY-MATRIX rule 7,
// RL-09). The emergency path (RL-10) stays with `latchkey keys revoke`.

import type { FastifyInstance } from 'fastify';
import { DEFAULT_ROTATION_POLICY } from '../oauth/keys/rotation.ts';
import { requireAuthorizationServer } from '../services/authorization-servers.ts';
import { type AdminContext, recordAdminChange } from './context.ts';
import { listOf, pathParams, routeSchema } from './route-schema.ts';
import { iso, keysJson } from './shapes.ts';

const TAGS = ['AuthorizationServer'];
type ServerParams = { Params: { authServerId: string } };

export function registerKeyRoutes(api: FastifyInstance, ctx: AdminContext): void {
  const deps = ctx.deps;

  api.get<ServerParams>(
    '/authorizationServers/:authServerId/credentials/keys',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'listAuthorizationServerKeys',
        summary: 'List the published signing keys (NEXT, ACTIVE, EXPIRED = retired but still published)',
        params: pathParams('authServerId'),
        success: listOf('JsonWebKey'),
      }),
    },
    async (request) => {
      const server = await requireAuthorizationServer(deps.store, request.params.authServerId);
      return keysJson(await deps.store.signingKeys.listForServer(server.id));
    },
  );

  api.post<ServerParams & { Body: { use?: string } | undefined }>(
    '/authorizationServers/:authServerId/credentials/lifecycle/keyRotate',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'rotateAuthorizationServerKeys',
        summary: 'Stage the next signing key; it signs once the pre-publication window has passed',
        params: pathParams('authServerId'),
        success: listOf('JsonWebKey'),
      }),
    },
    async (request) => {
      const server = await requireAuthorizationServer(deps.store, request.params.authServerId);
      const { key, created } = await deps.keys.stageNextKey(server.id);
      const signsFrom = iso(key.createdAt + DEFAULT_ROTATION_POLICY.prePublicationSeconds);
      if (created) {
        await recordAdminChange(ctx, request, {
          type: 'oauth2.as.key.rotate',
          serverId: server.id,
          reason: `Next signing key ${key.kid} published; it signs from ${signsFrom}.`,
        });
      }
      return keysJson(await deps.store.signingKeys.listForServer(server.id));
    },
  );
}
