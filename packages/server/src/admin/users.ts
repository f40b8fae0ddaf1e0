// /api/v1/users: Okta's user resource (profile.login, profile.email, profile.firstName, profile.lastName,
// credentials.password.value, status). A password is accepted, checked against the policy and hashed,
// and never returned. DELETE follows Okta: the first call deactivates, a call on a deactivated user deletes.

import type { FastifyInstance } from 'fastify';
import { activateUser, deleteUser, unlockUser, updateUser } from '../accounts/user-lifecycle.ts';
import { createUser, deactivateUser, requireUser } from '../accounts/users.ts';
import type { UserRow } from '../storage/store.ts';
import { USER_FIELDS, type UserBody } from './bodies.ts';
import { type AdminContext, recordAdminChange, withFieldNames } from './context.ts';
import type { PageQuery } from './paging.ts';
import { limitGuard, setPageLinks } from './paging.ts';
import { listOf, paging, pathParams, ref, routeSchema } from './route-schema.ts';
import { userJson } from './shapes.ts';

const TAGS = ['User'];
type UserParams = { Params: { userId: string } };

export function registerUserRoutes(api: FastifyInstance, ctx: AdminContext): void {
  const deps = ctx.deps;
  const json = (user: UserRow) => userJson(user, ctx.base, deps.clock.now());
  const userParams = pathParams('userId');

  api.get<{ Querystring: PageQuery & { q?: string } }>(
    '/users',
    {
      preValidation: limitGuard(200),
      schema: routeSchema({
        tags: TAGS,
        operationId: 'listUsers',
        summary: 'List users by login; `q` matches login, email or name',
        querystring: { type: 'object', properties: { q: { type: 'string' }, ...paging(200, 200) } },
        success: listOf('User'),
      }),
    },
    async (request, reply) => {
      const { q, limit, after } = request.query;
      const page = await deps.store.users.list({
        limit,
        ...(after === undefined ? {} : { after }),
        ...(q === undefined ? {} : { search: q }),
      });
      setPageLinks(reply, `${ctx.base}/users`, request.query, {
        length: page.length,
        last: page.at(-1)?.login,
        limit,
      });
      return page.map(json);
    },
  );

  api.post<{ Body: UserBody }>(
    '/users',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'createUser',
        summary: 'Create an active user, with a password when credentials.password.value is sent',
        body: ref('UserCreate'),
        success: ref('User'),
      }),
    },
    async (request) => {
      const profile = request.body.profile ?? {};
      const firstName = profile.firstName ?? undefined;
      const lastName = profile.lastName ?? undefined;
      const user = await withFieldNames(USER_FIELDS, () =>
        createUser(deps, {
          email: profile.email ?? '',
          login: profile.login,
          name: profile.displayName ?? [firstName, lastName].filter(Boolean).join(' '),
          givenName: firstName,
          familyName: lastName,
          password: request.body.credentials?.password?.value,
        }),
      );
      await recordAdminChange(ctx, request, {
        type: 'user.lifecycle.create',
        userId: user.id,
        reason: `User ${user.login} created${user.passwordHash === null ? ' without a password' : ''}.`,
      });
      return json(user);
    },
  );

  api.get<UserParams>(
    '/users/:userId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'getUser',
        summary: 'Show a user, by id or login',
        params: userParams,
        success: ref('User'),
      }),
    },
    async (request) => json(await requireUser(deps.store, request.params.userId)),
  );

  api.post<UserParams & { Body: UserBody }>(
    '/users/:userId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'updateUser',
        summary: "Change a user's profile or set a password (which ends the user's sessions and tokens)",
        params: userParams,
        body: ref('UserUpdate'),
        success: ref('User'),
      }),
    },
    async (request) => {
      const profile = request.body.profile ?? {};
      const password = request.body.credentials?.password?.value;
      const user = await withFieldNames(USER_FIELDS, () =>
        updateUser(deps, request.params.userId, {
          login: profile.login,
          email: profile.email,
          name: profile.displayName,
          givenName: profile.firstName,
          familyName: profile.lastName,
          password,
        }),
      );
      if (Object.keys(profile).length > 0) {
        await recordAdminChange(ctx, request, {
          type: 'user.account.update_profile',
          userId: user.id,
          reason: `Profile of ${user.login} changed (${Object.keys(profile).join(', ')}).`,
        });
      }
      if (password !== undefined) {
        await recordAdminChange(ctx, request, {
          type: 'user.account.update_password',
          userId: user.id,
          reason: `Password of ${user.login} set; their sessions and tokens were ended.`,
        });
      }
      return json(user);
    },
  );

  api.delete<UserParams>(
    '/users/:userId',
    {
      schema: routeSchema({
        tags: TAGS,
        operationId: 'deleteUser',
        summary: 'Deactivate an active user; delete a deactivated one (call twice to delete, as at Okta)',
        params: userParams,
        success: 'none',
      }),
    },
    async (request, reply) => {
      const user = await requireUser(deps.store, request.params.userId);
      if (user.status === 'DEPROVISIONED') {
        await deleteUser(deps, user.id);
        await recordAdminChange(ctx, request, {
          type: 'user.lifecycle.delete',
          userId: user.id,
          reason: `User ${user.login} deleted, with their sessions, tokens and consents.`,
        });
      } else {
        await deactivateUser(deps, user.id);
        await recordAdminChange(ctx, request, {
          type: 'user.lifecycle.deactivate',
          userId: user.id,
          reason: `User ${user.login} deactivated by a delete request; their sessions and tokens were ended.`,
        });
      }
      return reply.status(204).send();
    },
  );

  const lifecycle = (
    action: 'activate' | 'deactivate' | 'unlock',
    operationId: string,
    summary: string,
    change: (id: string) => Promise<UserRow>,
    type: string,
    done: string,
  ): void => {
    api.post<UserParams>(
      `/users/:userId/lifecycle/${action}`,
      { schema: routeSchema({ tags: TAGS, operationId, summary, params: userParams, success: 'empty' }) },
      async (request) => {
        const user = await withFieldNames(USER_FIELDS, () => change(request.params.userId));
        await recordAdminChange(ctx, request, {
          type,
          userId: user.id,
          reason: `User ${user.login} ${done}.`,
        });
        return {};
      },
    );
  };
  lifecycle(
    'activate',
    'activateUser',
    'Activate a deactivated user',
    (id) => activateUser(deps, id),
    'user.lifecycle.activate',
    'activated',
  );
  lifecycle(
    'deactivate',
    'deactivateUser',
    "Deactivate a user and end the user's sessions and tokens",
    (id) => deactivateUser(deps, id),
    'user.lifecycle.deactivate',
    'deactivated; their sessions and tokens were ended',
  );
  lifecycle(
    'unlock',
    'unlockUser',
    'End a lockout',
    (id) => unlockUser(deps, id),
    'user.account.unlock',
    'unlocked',
  );
}
