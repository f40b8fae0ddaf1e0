// Applications in the console: list, the Add Application wizard (type → settings → Done), the General tab
// (Client ID, the secret once, settings), sign-in attempts, deactivate/activate, secret reset (with the
// admin's password, AD-01) and delete. Every rule is the apps service's (AD-02).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { issuerFor } from '../../oauth/discovery.ts';
import { rotateClientSecret, setAppStatus } from '../../services/app-lifecycle.ts';
import { createApp, deleteApp, requireApp, updateApp } from '../../services/apps.ts';
import { DEFAULT_SERVER_ID } from '../../services/authorization-servers.ts';
import { ValidationError } from '../../services/errors.ts';
import type { ClientRow } from '../../storage/store.ts';
import { renderAppGeneralPage, renderAppSignInsPage } from '../../ui/console/app-detail-page.tsx';
import { type AppFormErrors, type AppFormValues, defaultAppFormValues } from '../../ui/console/app-form.tsx';
import { renderAppSettingsStep, renderAppTypePage } from '../../ui/console/app-new-page.tsx';
import { renderAppsListPage } from '../../ui/console/apps-list-page.tsx';
import { renderConfirmPage } from '../../ui/console/confirm-page.tsx';
import type { HttpContext } from '../context.ts';
import { formBody, rawQuery } from '../parse.ts';
import { appFormErrors, appFormValues, checkAppForm, isApplicationType, readAppForm } from './app-form.ts';
import { eventNames } from './event-names.ts';
import {
  adminOf,
  consoleFrame,
  REAUTH_FAILURE,
  reauthenticate,
  recordAdminChange,
  redirectTo,
  sendConsolePage,
} from './guard.ts';
import { putSecretFlash, takeSecretFlash } from './post-redirect-get.ts';

type AppRequest = FastifyRequest<{ Params: { clientId: string } }>;

const SIGN_IN_EVENTS = 50;

/** The metadata-document clients listed under the registered apps, most recently seen first. */
const RECENT_METADATA_CLIENTS = 50;

export function registerConsoleApps(app: FastifyInstance, ctx: HttpContext): void {
  const { deps } = ctx;
  const issuer = issuerFor(deps.config.publicUrl, DEFAULT_SERVER_ID);
  const path = (client: Pick<ClientRow, 'clientId'>, suffix = ''): string =>
    `/console/apps/${encodeURIComponent(client.clientId)}${suffix}`;

  app.get('/apps', async (request, reply) => {
    const frame = consoleFrame(request, reply);
    const apps = (await deps.store.clients.list()).sort((a, b) => a.name.localeCompare(b.name));
    const metadataClients = await deps.store.clientMetadataDocuments.listRecent(RECENT_METADATA_CLIENTS);
    return sendConsolePage(reply, frame, renderAppsListPage({ frame, apps, metadataClients }));
  });

  app.get('/apps/new', async (request, reply) => {
    const frame = consoleFrame(request, reply);
    const type = rawQuery(request).get('type');
    const html = renderAppTypePage({ frame, selected: isApplicationType(type) ? type : 'native' });
    return sendConsolePage(reply, frame, html);
  });

  app.get('/apps/new/settings', async (request, reply) => {
    const type = rawQuery(request).get('type');
    if (!isApplicationType(type)) return redirectTo(reply, '/console/apps/new');
    const frame = consoleFrame(request, reply);
    const html = renderAppSettingsStep({ frame, type, values: defaultAppFormValues(type), errors: {} });
    return sendConsolePage(reply, frame, html);
  });

  app.post('/apps', async (request, reply) => {
    const body = formBody(request);
    const type = body.get('type');
    if (!isApplicationType(type)) return redirectTo(reply, '/console/apps/new');
    const values = readAppForm(body, type);
    const invalid = (errors: AppFormErrors): FastifyReply => {
      const frame = consoleFrame(request, reply);
      return sendConsolePage(reply, frame, renderAppSettingsStep({ frame, type, values, errors }), 400);
    };
    const checked = checkAppForm(values, type);
    if (!checked.ok) return invalid(checked.errors);
    let created: Awaited<ReturnType<typeof createApp>>;
    try {
      created = await createApp(deps, { ...checked.settings, applicationType: type });
    } catch (error) {
      if (error instanceof ValidationError) return invalid(appFormErrors(error));
      throw error;
    }
    const { client, clientSecret } = created;
    await recordAdminChange(ctx, request, {
      type: 'application.lifecycle.create',
      clientId: client.clientId,
      reason: `${adminOf(request).user.login} created the ${type} app ${client.name} (${client.clientId}).`,
    });
    // Web apps (AD-02): the secret is shown once, on the page this redirects to (issue 12: reloading that
    // page neither creates a second app nor shows the secret again).
    if (clientSecret !== undefined)
      await putSecretFlash(ctx, request, `client:${client.clientId}`, clientSecret);
    return redirectTo(reply, path(client), 'app-created');
  });

  const general = (
    request: FastifyRequest,
    reply: FastifyReply,
    client: ClientRow,
    form: { values?: AppFormValues; errors?: AppFormErrors; secret?: string } = {},
    status = 200,
  ): FastifyReply => {
    const frame = consoleFrame(request, reply);
    const html = renderAppGeneralPage({
      frame,
      client,
      issuer,
      values: form.values ?? appFormValues(client),
      errors: form.errors ?? {},
      secret: form.secret,
    });
    return sendConsolePage(reply, frame, html, status);
  };

  app.get('/apps/:clientId', async (request: AppRequest, reply) => {
    const client = await requireApp(deps.store, request.params.clientId);
    const secret = await takeSecretFlash(ctx, request, `client:${client.clientId}`);
    return general(request, reply, client, secret === undefined ? {} : { secret });
  });

  app.post('/apps/:clientId', async (request: AppRequest, reply) => {
    const client = await requireApp(deps.store, request.params.clientId);
    const values = readAppForm(formBody(request), client.applicationType);
    const checked = checkAppForm(values, client.applicationType);
    if (!checked.ok) return general(request, reply, client, { values, errors: checked.errors }, 400);
    try {
      const updated = await updateApp(deps, client.clientId, checked.settings);
      await recordAdminChange(ctx, request, {
        type: 'application.lifecycle.update',
        clientId: client.clientId,
        reason: `${adminOf(request).user.login} changed the settings of ${updated.name}.`,
      });
    } catch (error) {
      if (error instanceof ValidationError) {
        return general(request, reply, client, { values, errors: appFormErrors(error) }, 400);
      }
      throw error;
    }
    return redirectTo(reply, path(client), 'app-saved');
  });

  app.get('/apps/:clientId/sign-ins', async (request: AppRequest, reply) => {
    const client = await requireApp(deps.store, request.params.clientId);
    // Sign-in attempts only: the protocol's events, not the admin changes to the app.
    const events = (await deps.store.events.list({ clientId: client.clientId, limit: 4 * SIGN_IN_EVENTS }))
      .filter(
        (event) => event.type.startsWith('app.oauth2.') || event.type.startsWith('user.authentication.'),
      )
      .slice(0, SIGN_IN_EVENTS);
    const frame = consoleFrame(request, reply);
    const names = await eventNames(deps.store, events);
    return sendConsolePage(reply, frame, renderAppSignInsPage({ frame, client, events, names }));
  });

  for (const [action, status] of [
    ['deactivate', 'INACTIVE'],
    ['activate', 'ACTIVE'],
  ] as const) {
    app.post(`/apps/:clientId/${action}`, async (request: AppRequest, reply) => {
      const client = await setAppStatus(deps, request.params.clientId, status);
      await recordAdminChange(ctx, request, {
        type: `application.lifecycle.${action}`,
        clientId: client.clientId,
        reason: `${adminOf(request).user.login} ${action}d ${client.name}.`,
      });
      return redirectTo(reply, path(client), action === 'activate' ? 'app-activated' : 'app-deactivated');
    });
  }

  const confirmDelete = (request: FastifyRequest, reply: FastifyReply, client: ClientRow): FastifyReply => {
    const frame = consoleFrame(request, reply);
    const html = renderConfirmPage({
      frame,
      section: 'apps',
      breadcrumb: [
        { href: '/console/apps', label: 'Applications' },
        { href: path(client), label: client.name },
      ],
      title: `Delete ${client.name}?`,
      message: `Client ID ${client.clientId} stops working at once: sign-ins and token requests from this app are refused. This cannot be undone.`,
      action: path(client, '/delete'),
      confirmLabel: 'Delete application',
      cancelHref: path(client),
      danger: true,
    });
    return sendConsolePage(reply, frame, html);
  };
  app.get('/apps/:clientId/delete', async (request: AppRequest, reply) =>
    confirmDelete(request, reply, await requireApp(deps.store, request.params.clientId)),
  );
  app.post('/apps/:clientId/delete', async (request: AppRequest, reply) => {
    const client = await requireApp(deps.store, request.params.clientId);
    await deleteApp(deps, client.clientId);
    await recordAdminChange(ctx, request, {
      type: 'application.lifecycle.delete',
      clientId: client.clientId,
      reason: `${adminOf(request).user.login} deleted ${client.name} (${client.clientId}).`,
    });
    return redirectTo(reply, '/console/apps', 'app-deleted');
  });

  const confirmSecret = (
    request: FastifyRequest,
    reply: FastifyReply,
    client: ClientRow,
    passwordError?: string,
  ): FastifyReply => {
    const frame = consoleFrame(request, reply);
    const html = renderConfirmPage({
      frame,
      section: 'apps',
      breadcrumb: [
        { href: '/console/apps', label: 'Applications' },
        { href: path(client), label: client.name },
      ],
      title: 'Generate a new client secret?',
      message: `The current secret of ${client.name} stops working at once; update the app with the new one, which is shown only once.`,
      action: path(client, '/secret'),
      confirmLabel: 'Generate new secret',
      cancelHref: path(client),
      danger: true,
      requirePassword: true,
      passwordError,
    });
    return sendConsolePage(reply, frame, html, passwordError === undefined ? 200 : 401);
  };
  app.get('/apps/:clientId/secret', async (request: AppRequest, reply) =>
    confirmSecret(request, reply, await requireApp(deps.store, request.params.clientId)),
  );
  app.post('/apps/:clientId/secret', async (request: AppRequest, reply) => {
    const client = await requireApp(deps.store, request.params.clientId);
    if (!(await reauthenticate(ctx, request, formBody(request).get('password') ?? ''))) {
      return confirmSecret(request, reply, client, REAUTH_FAILURE);
    }
    const rotated = await rotateClientSecret(deps, client.clientId);
    await recordAdminChange(ctx, request, {
      type: 'application.credential.rotate',
      clientId: client.clientId,
      reason: `${adminOf(request).user.login} generated a new client secret for ${client.name}; the old one no longer works.`,
    });
    await putSecretFlash(ctx, request, `client:${client.clientId}`, rotated.clientSecret);
    return redirectTo(reply, path(client), 'secret-rotated');
  });
}
