// Authorization servers in the console: the list (and adding one), issuer, audience, code and token
// lifetimes, and signing keys with their state and a Rotate button; scopes and claims are in
// server-scope-routes.ts. Rotation asks for the admin's password first (AD-01) and only stages the next
// key: it signs after the pre-publication window (rule 7).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_ROTATION_POLICY, rotationTimes } from '../../oauth/keys/rotation.ts';
import { ValidationError } from '../../services/errors.ts';
import { createConfiguredServer, updateAuthorizationServer } from '../../services/server-settings.ts';
import type { AuthorizationServerRow } from '../../storage/store.ts';
import { renderConfirmPage } from '../../ui/console/confirm-page.tsx';
import { renderServerKeysPage } from '../../ui/console/server-keys-page.tsx';
import { renderServerSettingsPage, type ServerField } from '../../ui/console/server-settings-page.tsx';
import { type Errors, serverPath } from '../../ui/console/server-shell.tsx';
import { type NewServerField, renderServersListPage } from '../../ui/console/servers-list-page.tsx';
import type { HttpContext } from '../context.ts';
import { formBody } from '../parse.ts';
import {
  adminOf,
  consoleFrame,
  REAUTH_FAILURE,
  reauthenticate,
  recordAdminChange,
  redirectTo,
  sendConsolePage,
} from './guard.ts';
import { fieldErrors, issuerOf, loadServer, type ServerRequest, serverPage } from './server-page.ts';
import { registerConsoleServerScopes } from './server-scope-routes.ts';

const LIFETIME_FIELDS = [
  'codeLifetimeSeconds',
  'accessTokenLifetimeSeconds',
  'idTokenLifetimeSeconds',
  'refreshTokenIdleSeconds',
  'refreshTokenAbsoluteSeconds',
] as const satisfies readonly ServerField[];
const SERVER_FIELDS: readonly ServerField[] = [
  'name',
  'audience',
  'resources',
  'description',
  ...LIFETIME_FIELDS,
];

function serverValues(server: AuthorizationServerRow): Record<ServerField, string> {
  return Object.fromEntries(
    SERVER_FIELDS.map((field) => [
      field,
      field === 'resources' ? server.resources.join('\n') : String(server[field]),
    ]),
  ) as Record<ServerField, string>;
}

export function registerConsoleServers(app: FastifyInstance, ctx: HttpContext): void {
  const { deps } = ctx;
  registerConsoleServerScopes(app, ctx);
  const load = (request: ServerRequest) => loadServer(ctx, request);
  const base = (request: FastifyRequest, reply: FastifyReply, server: AuthorizationServerRow) =>
    serverPage(ctx, request, reply, server);

  const list = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: { values: Record<NewServerField, string>; errors: Errors<NewServerField> },
    status = 200,
  ): Promise<FastifyReply> => {
    const frame = consoleFrame(request, reply);
    const servers = (await deps.store.authorizationServers.list()).map((server) => ({
      server,
      issuer: issuerOf(ctx, server),
    }));
    return sendConsolePage(reply, frame, renderServersListPage({ frame, servers, ...form }), status);
  };
  app.get('/servers', async (request, reply) =>
    list(request, reply, { values: { name: '', audience: '', description: '' }, errors: {} }),
  );
  app.post('/servers', async (request, reply) => {
    const body = formBody(request);
    const values = {
      name: body.get('name') ?? '',
      audience: body.get('audience') ?? '',
      description: body.get('description') ?? '',
    };
    try {
      const server = await createConfiguredServer(deps, values);
      await recordAdminChange(ctx, request, {
        type: 'authorization_server.update',
        serverId: server.id,
        reason: `${adminOf(request).user.login} created the authorization server ${server.name} (${server.id}).`,
      });
      return redirectTo(reply, serverPath(server), 'server-saved');
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return list(
        request,
        reply,
        { values, errors: fieldErrors(error, ['name', 'audience', 'description']) },
        400,
      );
    }
  });

  const settings = (
    request: FastifyRequest,
    reply: FastifyReply,
    server: AuthorizationServerRow,
    form: { values?: Record<ServerField, string>; errors?: Errors<ServerField> } = {},
    status = 200,
  ): FastifyReply => {
    const page = base(request, reply, server);
    const html = renderServerSettingsPage({
      ...page,
      values: form.values ?? serverValues(server),
      errors: form.errors ?? {},
    });
    return sendConsolePage(reply, page.frame, html, status);
  };
  app.get('/servers/:serverId', async (request: ServerRequest, reply) =>
    settings(request, reply, await load(request)),
  );
  app.post('/servers/:serverId', async (request: ServerRequest, reply) => {
    const server = await load(request);
    const body = formBody(request);
    const values = Object.fromEntries(
      SERVER_FIELDS.map((field) => [field, (body.get(field) ?? '').trim()]),
    ) as Record<ServerField, string>;
    const errors: Errors<ServerField> = {};
    const seconds: Partial<Record<(typeof LIFETIME_FIELDS)[number], number>> = {};
    for (const field of LIFETIME_FIELDS) {
      const value = values[field] === '' ? Number.NaN : Number(values[field]);
      if (Number.isInteger(value)) seconds[field] = value;
      else errors[field] = ['Enter a whole number of seconds.'];
    }
    if (Object.keys(errors).length > 0) return settings(request, reply, server, { values, errors }, 400);
    try {
      const updated = await updateAuthorizationServer(deps, server.id, {
        name: values.name,
        audience: values.audience,
        resources: values.resources
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter((line) => line !== ''),
        description: values.description,
        ...seconds,
      });
      await recordAdminChange(ctx, request, {
        type: 'authorization_server.update',
        serverId: server.id,
        reason: `${adminOf(request).user.login} changed the settings of the authorization server ${updated.name}.`,
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return settings(request, reply, server, { values, errors: fieldErrors(error, SERVER_FIELDS) }, 400);
    }
    return redirectTo(reply, serverPath(server), 'server-saved');
  });

  app.get('/servers/:serverId/keys', async (request: ServerRequest, reply) => {
    const server = await load(request);
    const keys = (await deps.store.signingKeys.listForServer(server.id)).sort(
      (a, b) => b.createdAt - a.createdAt,
    );
    const times = rotationTimes(keys);
    const page = base(request, reply, server);
    const html = renderServerKeysPage({
      ...page,
      keys,
      nextRotation: times.nextRotation,
      lastRotated: times.lastRotated,
      prePublicationSeconds: DEFAULT_ROTATION_POLICY.prePublicationSeconds,
    });
    return sendConsolePage(reply, page.frame, html);
  });

  const confirmRotate = (
    request: FastifyRequest,
    reply: FastifyReply,
    server: AuthorizationServerRow,
    error?: string,
  ): FastifyReply => {
    const frame = consoleFrame(request, reply);
    const html = renderConfirmPage({
      frame,
      section: 'servers',
      breadcrumb: [
        { href: '/console/servers', label: 'Authorization servers' },
        { href: serverPath(server, '/keys'), label: server.name },
      ],
      title: 'Rotate the signing key?',
      message:
        'A new key is created and published in /v1/keys now. It starts signing after the pre-publication window, so apps that cache keys already have it; the current key stays published until the tokens it signed expire.',
      action: serverPath(server, '/keys/rotate'),
      confirmLabel: 'Rotate key',
      cancelHref: serverPath(server, '/keys'),
      requirePassword: true,
      passwordError: error,
    });
    return sendConsolePage(reply, frame, html, error === undefined ? 200 : 401);
  };
  app.get('/servers/:serverId/keys/rotate', async (request: ServerRequest, reply) =>
    confirmRotate(request, reply, await load(request)),
  );
  app.post('/servers/:serverId/keys/rotate', async (request: ServerRequest, reply) => {
    const server = await load(request);
    if (!(await reauthenticate(ctx, request, formBody(request).get('password') ?? ''))) {
      return confirmRotate(request, reply, server, REAUTH_FAILURE);
    }
    const { key, created } = await deps.keys.stageNextKey(server.id);
    if (created) {
      await recordAdminChange(ctx, request, {
        type: 'authorization_server.key.rotate',
        serverId: server.id,
        reason: `${adminOf(request).user.login} staged the next signing key ${key.kid} of ${server.name}; it signs from ${new Date((key.createdAt + DEFAULT_ROTATION_POLICY.prePublicationSeconds) * 1000).toISOString()}.`,
      });
    }
    return redirectTo(reply, serverPath(server, '/keys'), created ? 'key-staged' : 'key-already-staged');
  });
}
