// /api/v1/apps: OIDC apps in Okta's shape (OKTA-COMPAT §7.1). Every rule (redirect URIs, PKCE, grants,
// leeway; SECURITY-MATRIX AD-02) lives in services/apps.ts, shared with the CLI and the console; this
// module maps JSON to settings and back. A web app's secret is returned once, at creation or rotation.

import type { FastifyInstance } from 'fastify';
import { rotateClientSecret, setAppStatus } from '../services/app-lifecycle.ts';
import { createApp, deleteApp, requireApp, updateApp } from '../services/apps.ts';
import { ValidationError } from '../services/errors.ts';
import type { ClientStatus } from '../storage/store.ts';
import { APP_FIELDS, type AppBody, appSettingsFrom } from './bodies.ts';
import { type AdminContext, recordAdminChange, withFieldNames } from './context.ts';
import { forbidden } from './error-response.ts';
import { limitGuard, type PageQuery, pageOf, setPageLinks } from './paging.ts';
import { listOf, paging, pathParams, ref, routeSchema } from './route-schema.ts';
import { appJson } from './shapes.ts';

const TAGS = ['Application'];
type AppParams = { Params: { appId: string } };

export function registerAppRoutes(api: FastifyInstance, ctx: AdminContext): void {
  const deps = ctx.deps;

  api.get<{ Querystring: PageQuery & { q?: string } }>(
    '/apps',
    {
      preValidation: limitGuard(200),
      schema: routeSchema({
        tags: TAGS,
        operationId: 'listApplications',
        summary: 'List apps, by id; `q` matches the label or id',
        querystring: { type: 'object', properties: { q: { type: 'string' }, ...paging(200, 200) } },
        success: listOf('Application'),
      }),
    },
    async (request, reply) => {
      const q = request.query.q?.toLowerCase();
      const all = (await deps.store.clients.list()).filter(
        (client) =>
          q === undefined || client.name.toLowerCase().includes(q) || client.clientId.toLowerCase() === q,
      );
      const page = pageOf(all, (client) => client.clientId, request.query);
      setPageLinks(reply, `${ctx.base}/apps`, request.query, {
        length: page.length,
        last: page.at(-1)?.clientId,
        limit: request.query.limit,
      });
      return page.map((client) => appJson(client, ctx.base));
    },
  );

  api.post<{ Body: AppBody; Querystring: { activate: boolean } }>(
    '/apps',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'createApplication',
        summary:
          'Register an OIDC app; a web or service app with a secret method gets a client secret, returned only in this response',
        querystring: { type: 'object', properties: { activate: { type: 'boolean', default: true } } },
        body: ref('ApplicationCreate'),
        success: ref('Application'),
      }),
    },
    async (request) => {
      const { body } = request;
      if (body.credentials?.oauthClient?.client_id !== undefined) {
        throw new ValidationError(
          'invalid_client_metadata',
          'credentials.oauthClient.client_id',
          'Latchkey generates client ids; leave it out.',
        );
      }
      rejectClientSecret(body);
      const settings = appSettingsFrom(body);
      const created = await withFieldNames(APP_FIELDS, () =>
        deps.store.transaction(async (tx) => {
          const result = await createApp(
            { store: tx, clock: deps.clock },
            {
              ...settings,
              name: settings.name ?? '',
              applicationType: settings.applicationType ?? 'web',
              redirectUris: settings.redirectUris ?? [],
            },
          );
          if (request.query.activate) return result;
          const client = await setAppStatus(
            { store: tx, clock: deps.clock },
            result.client.clientId,
            'INACTIVE',
          );
          return { ...result, client };
        }),
      );
      const { client } = created;
      await recordAdminChange(ctx, request, {
        type: 'application.lifecycle.create',
        clientId: client.clientId,
        reason: `App "${client.name}" (${client.applicationType}) created.`,
      });
      return appJson(client, ctx.base, created.clientSecret);
    },
  );

  api.get<AppParams>(
    '/apps/:appId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'getApplication',
        summary: 'Show an app (never its client secret: only a hash is stored)',
        params: pathParams('appId'),
        success: ref('Application'),
      }),
    },
    async (request) => appJson(await requireApp(deps.store, request.params.appId), ctx.base),
  );

  api.put<AppParams & { Body: AppBody }>(
    '/apps/:appId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'replaceApplication',
        summary: 'Change an app; settings left out keep their values, lists given replace the old ones',
        params: pathParams('appId'),
        body: ref('ApplicationUpdate'),
        success: ref('Application'),
      }),
    },
    async (request) => {
      const { appId } = request.params;
      const sentId = request.body.credentials?.oauthClient?.client_id;
      if (sentId !== undefined && sentId !== appId) {
        throw new ValidationError(
          'invalid_client_metadata',
          'credentials.oauthClient.client_id',
          'The client id of an app cannot change.',
        );
      }
      rejectClientSecret(request.body);
      const client = await withFieldNames(APP_FIELDS, () =>
        updateApp(deps, appId, appSettingsFrom(request.body)),
      );
      await recordAdminChange(ctx, request, {
        type: 'application.lifecycle.update',
        clientId: appId,
        reason: `App "${client.name}" changed.`,
      });
      return appJson(client, ctx.base);
    },
  );

  api.delete<AppParams>(
    '/apps/:appId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'deleteApplication',
        summary: 'Delete an app; it must be deactivated first (as at Okta)',
        params: pathParams('appId'),
        success: 'none',
      }),
    },
    async (request, reply) => {
      const client = await requireApp(deps.store, request.params.appId);
      if (client.status === 'ACTIVE') {
        throw forbidden(
          'The app must be deactivated before it can be deleted.',
          'E0000056',
          'Delete application forbidden.',
        );
      }
      await deleteApp(deps, client.clientId);
      await recordAdminChange(ctx, request, {
        type: 'application.lifecycle.delete',
        clientId: client.clientId,
        reason: `App "${client.name}" deleted.`,
      });
      return reply.status(204).send();
    },
  );

  const lifecycle = (action: 'activate' | 'deactivate', status: ClientStatus, operationId: string): void => {
    api.post<AppParams>(
      `/apps/:appId/lifecycle/${action}`,
      {
        schema: routeSchema({
          tags: TAGS,
          operationId,
          summary:
            action === 'activate'
              ? 'Activate an app'
              : 'Deactivate an app: it can no longer sign users in or get tokens',
          params: pathParams('appId'),
          success: 'empty',
        }),
      },
      async (request) => {
        const client = await setAppStatus(deps, request.params.appId, status);
        await recordAdminChange(ctx, request, {
          type: `application.lifecycle.${action}`,
          clientId: client.clientId,
          reason: `App "${client.name}" ${action}d.`,
        });
        return {};
      },
    );
  };
  lifecycle('activate', 'ACTIVE', 'activateApplication');
  lifecycle('deactivate', 'INACTIVE', 'deactivateApplication');

  api.post<AppParams>(
    '/apps/:appId/lifecycle/newSecret',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'generateApplicationClientSecret',
        summary: 'Replace the client secret of a web app; the new one is returned only in this response',
        params: pathParams('appId'),
        success: ref('OAuthClientCredentials'),
      }),
    },
    async (request) => {
      const { client, clientSecret } = await withFieldNames(APP_FIELDS, () =>
        rotateClientSecret(deps, request.params.appId),
      );
      await recordAdminChange(ctx, request, {
        type: 'application.client_secret.rotate',
        clientId: client.clientId,
        reason: `Client secret of app "${client.name}" replaced; the old secret no longer works.`,
      });
      return {
        client_id: client.clientId,
        client_secret: clientSecret,
        token_endpoint_auth_method: client.tokenEndpointAuthMethod,
        pkce_required: client.pkceRequired,
        autoKeyRotation: true,
      };
    },
  );
}

/** Secrets are generated, never chosen (AD-02: shown once, stored hashed). */
function rejectClientSecret(body: AppBody): void {
  if (body.credentials?.oauthClient?.client_secret !== undefined) {
    throw new ValidationError(
      'invalid_client_metadata',
      'credentials.oauthClient.client_secret',
      'Latchkey generates client secrets; leave it out and use POST /api/v1/apps/{id}/lifecycle/newSecret to replace one.',
    );
  }
}
