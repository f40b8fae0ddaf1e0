// Users in the console: list and search, create, set password, unlock, sign out everywhere, deactivate,
// activate, and delete (with the admin's password, AD-01). Accounts rules live in src/accounts.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adminCookie, adminCookieName, createAdminSession } from '../../accounts/admin-sessions.ts';
import { endUserSessions } from '../../accounts/sign-out.ts';
import { activateUser, deleteUser, unlockUser } from '../../accounts/user-lifecycle.ts';
import { createUser, deactivateUser, setPassword } from '../../accounts/users.ts';
import { NotFoundError, ValidationError } from '../../services/errors.ts';
import type { UserRow } from '../../storage/store.ts';
import { renderConfirmPage } from '../../ui/console/confirm-page.tsx';
import { renderUserDetailPage } from '../../ui/console/user-detail-page.tsx';
import {
  type NewUserField,
  type NewUserPageProps,
  renderNewUserPage,
} from '../../ui/console/user-new-page.tsx';
import { userPath } from '../../ui/console/user-status.tsx';
import { renderUsersListPage } from '../../ui/console/users-list-page.tsx';
import type { HttpContext } from '../context.ts';
import { formBody, rawQuery } from '../parse.ts';
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

type UserRequest = FastifyRequest<{ Params: { userId: string } }>;

const PAGE_SIZE = 50;
const ACTIVITY_EVENTS = 20;

export function registerConsoleUsers(app: FastifyInstance, ctx: HttpContext): void {
  const { deps } = ctx;

  app.get('/users', async (request, reply) => {
    const query = rawQuery(request);
    const search = (query.get('q') ?? '').trim().slice(0, 200);
    const after = query.get('after') ?? undefined;
    const page = await deps.store.users.list({
      limit: PAGE_SIZE + 1,
      ...(search === '' ? {} : { search }),
      ...(after === undefined ? {} : { after }),
    });
    const users = page.slice(0, PAGE_SIZE);
    const frame = consoleFrame(request, reply);
    const html = renderUsersListPage({
      frame,
      users,
      query: search,
      now: deps.clock.now(),
      nextAfter: page.length > PAGE_SIZE ? users.at(-1)?.login : undefined,
    });
    return sendConsolePage(reply, frame, html);
  });

  const newUserPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    form: Omit<NewUserPageProps, 'frame'>,
    status = 200,
  ): FastifyReply => {
    const frame = consoleFrame(request, reply);
    return sendConsolePage(reply, frame, renderNewUserPage({ frame, ...form }), status);
  };

  app.get('/users/new', async (request, reply) =>
    newUserPage(request, reply, { values: { name: '', email: '', login: '', isAdmin: false }, errors: {} }),
  );

  app.post('/users', async (request, reply) => {
    const body = formBody(request);
    const values = {
      name: body.get('name') ?? '',
      email: body.get('email') ?? '',
      login: (body.get('login') ?? '').trim(),
      isAdmin: body.get('is_admin') === 'on',
    };
    const password = body.get('password') ?? '';
    let user: UserRow;
    try {
      user = await createUser(deps, {
        name: values.name,
        email: values.email,
        login: values.login === '' ? undefined : values.login,
        password: password === '' ? undefined : password,
        isAdmin: values.isAdmin,
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const field = (['name', 'email', 'login', 'password'] as const).find((name) => name === error.field);
      const errors: NewUserPageProps['errors'] =
        field === undefined ? { form: [error.message] } : { [field as NewUserField]: [error.message] };
      return newUserPage(request, reply, { values, errors }, 400);
    }
    await recordAdminChange(ctx, request, {
      type: 'user.lifecycle.create',
      userId: user.id,
      reason: `${adminOf(request).user.login} created ${user.isAdmin ? 'the admin' : 'the user'} ${user.login}.`,
    });
    return redirectTo(reply, userPath(user), 'user-created');
  });

  const detail = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: UserRow,
    passwordError?: string,
  ): Promise<FastifyReply> => {
    const events = await deps.store.events.list({ userId: user.id, limit: ACTIVITY_EVENTS });
    const frame = consoleFrame(request, reply);
    const html = renderUserDetailPage({
      frame,
      user,
      now: deps.clock.now(),
      self: user.id === adminOf(request).user.id,
      passwordError,
      events,
      names: await eventNames(deps.store, events),
    });
    return sendConsolePage(reply, frame, html, passwordError === undefined ? 200 : 400);
  };

  app.get('/users/:userId', async (request: UserRequest, reply) =>
    detail(request, reply, await requireUserById(ctx, request.params.userId)),
  );

  app.post('/users/:userId/password', async (request: UserRequest, reply) => {
    const user = await requireUserById(ctx, request.params.userId);
    try {
      await setPassword(deps, user.id, formBody(request).get('password') ?? '');
    } catch (error) {
      if (error instanceof ValidationError && error.field === 'password') {
        return detail(request, reply, user, error.message);
      }
      throw error;
    }
    // ASVS 7.4.3: console sessions end with the password too; an admin changing their own keeps working
    // with a fresh session.
    await deps.store.adminSessions.revokeForUser(user.id, deps.clock.now());
    if (user.id === adminOf(request).user.id) {
      const { sessionId } = await createAdminSession(deps, user.id);
      reply.setCookie(
        adminCookieName(deps.config.secureCookies),
        sessionId,
        adminCookie(deps.config.secureCookies),
      );
    }
    await recordAdminChange(ctx, request, {
      type: 'user.account.update_password',
      userId: user.id,
      reason: `${adminOf(request).user.login} set a new password for ${user.login}; their sessions and tokens were ended.`,
    });
    return redirectTo(reply, userPath(user), 'password-set');
  });

  app.post('/users/:userId/unlock', async (request: UserRequest, reply) => {
    const user = await unlockUser(deps, (await requireUserById(ctx, request.params.userId)).id);
    await recordAdminChange(ctx, request, {
      type: 'user.account.unlock',
      userId: user.id,
      reason: `${adminOf(request).user.login} unlocked ${user.login}.`,
    });
    return redirectTo(reply, userPath(user), 'user-unlocked');
  });

  app.post('/users/:userId/sign-out', async (request: UserRequest, reply) => {
    const user = await requireUserById(ctx, request.params.userId);
    const now = deps.clock.now();
    const ended = await endUserSessions(deps.store, user.id, now);
    const consoleSessions = await deps.store.adminSessions.revokeForUser(user.id, now);
    await recordAdminChange(ctx, request, {
      type: 'user.session.clear',
      userId: user.id,
      reason: `${adminOf(request).user.login} signed ${user.login} out everywhere: ${ended.sessions + consoleSessions} session(s), ${ended.refreshTokens} refresh token(s) and ${ended.accessTokens} access token(s) ended.`,
    });
    return redirectTo(reply, userPath(user), 'user-signed-out');
  });

  app.post('/users/:userId/deactivate', async (request: UserRequest, reply) => {
    const user = await requireOtherUser(ctx, request);
    await deactivateUser(deps, user.id);
    await deps.store.adminSessions.revokeForUser(user.id, deps.clock.now());
    await recordAdminChange(ctx, request, {
      type: 'user.lifecycle.deactivate',
      userId: user.id,
      reason: `${adminOf(request).user.login} deactivated ${user.login}; their sessions and tokens were ended.`,
    });
    return redirectTo(reply, userPath(user), 'user-deactivated');
  });

  app.post('/users/:userId/activate', async (request: UserRequest, reply) => {
    const user = await activateUser(deps, (await requireOtherUser(ctx, request)).id);
    await recordAdminChange(ctx, request, {
      type: 'user.lifecycle.activate',
      userId: user.id,
      reason: `${adminOf(request).user.login} activated ${user.login}.`,
    });
    return redirectTo(reply, userPath(user), 'user-activated');
  });

  const confirmDelete = (
    request: FastifyRequest,
    reply: FastifyReply,
    user: UserRow,
    error?: string,
  ): FastifyReply => {
    const frame = consoleFrame(request, reply);
    const html = renderConfirmPage({
      frame,
      section: 'users',
      breadcrumb: [
        { href: '/console/users', label: 'Users' },
        { href: userPath(user), label: user.name },
      ],
      title: `Delete ${user.name}?`,
      message: `${user.login} is removed for good, with their consents. Their past events stay in the system log.`,
      action: userPath(user, '/delete'),
      confirmLabel: 'Delete user',
      cancelHref: userPath(user),
      danger: true,
      requirePassword: true,
      passwordError: error,
    });
    return sendConsolePage(reply, frame, html, error === undefined ? 200 : 401);
  };
  app.get('/users/:userId/delete', async (request: UserRequest, reply) =>
    confirmDelete(request, reply, await requireOtherUser(ctx, request)),
  );
  app.post('/users/:userId/delete', async (request: UserRequest, reply) => {
    const user = await requireOtherUser(ctx, request);
    if (!(await reauthenticate(ctx, request, formBody(request).get('password') ?? ''))) {
      return confirmDelete(request, reply, user, REAUTH_FAILURE);
    }
    await deleteUser(deps, user.id);
    await deps.store.adminSessions.revokeForUser(user.id, deps.clock.now());
    await recordAdminChange(ctx, request, {
      type: 'user.lifecycle.delete',
      userId: user.id,
      reason: `${adminOf(request).user.login} deleted ${user.login} (${user.id}).`,
    });
    return redirectTo(reply, '/console/users', 'user-deleted');
  });
}

/** By id only: a path segment never resolves to another user by login. */
async function requireUserById(ctx: HttpContext, userId: string): Promise<UserRow> {
  const user = await ctx.deps.store.users.get(userId);
  if (user === undefined) throw new NotFoundError('User', userId);
  return user;
}

/** The user of the path, refusing the signed-in admin's own account (no locking yourself out). */
async function requireOtherUser(ctx: HttpContext, request: UserRequest): Promise<UserRow> {
  const user = await requireUserById(ctx, request.params.userId);
  if (user.id === adminOf(request).user.id) {
    throw new ValidationError('invalid_user', 'status', 'You cannot deactivate or delete your own account.');
  }
  return user;
}
