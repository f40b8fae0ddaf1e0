// An authorization server's scopes and claims in the console: the reserved scopes and the standard claims
// they bring, custom scopes (published in discovery) and custom claims, each added with the services' checks.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GRANTABLE_RESERVED_SCOPES } from '../../oauth/scope.ts';
import { CLAIM_PATHS } from '../../oauth/tokens/custom-claims.ts';
import { addCustomScope } from '../../services/authorization-servers.ts';
import { createClaim } from '../../services/claims.ts';
import { ValidationError } from '../../services/errors.ts';
import type { AuthorizationServerRow } from '../../storage/store.ts';
import { type ClaimField, renderServerClaimsPage } from '../../ui/console/server-claims-page.tsx';
import { renderServerScopesPage, type ScopeField } from '../../ui/console/server-scopes-page.tsx';
import { type Errors, serverPath } from '../../ui/console/server-shell.tsx';
import type { HttpContext } from '../context.ts';
import { formBody } from '../parse.ts';
import { adminOf, recordAdminChange, redirectTo, sendConsolePage } from './guard.ts';
import { fieldErrors, loadServer, type ServerRequest, serverPage } from './server-page.ts';

const RESERVED_SCOPE_TEXT: Readonly<Record<string, string>> = {
  openid: 'Signs the user in and returns an ID token.',
  profile: "The user's name and username.",
  email: "The user's email address.",
  address: "The user's postal address.",
  phone: "The user's phone number.",
  offline_access: 'A refresh token, for apps with the Refresh Token grant.',
};

const STANDARD_CLAIMS = [
  { scope: 'openid', claims: 'sub' },
  { scope: 'profile', claims: 'name, given_name, family_name, preferred_username, updated_at' },
  { scope: 'email', claims: 'email, email_verified' },
];

export function registerConsoleServerScopes(app: FastifyInstance, ctx: HttpContext): void {
  const { deps } = ctx;
  const load = (request: ServerRequest) => loadServer(ctx, request);
  const base = (request: FastifyRequest, reply: FastifyReply, server: AuthorizationServerRow) =>
    serverPage(ctx, request, reply, server);

  const scopes = async (
    request: FastifyRequest,
    reply: FastifyReply,
    server: AuthorizationServerRow,
    form: { values: Record<ScopeField, string>; errors: Errors<ScopeField> },
    status = 200,
  ): Promise<FastifyReply> => {
    const page = base(request, reply, server);
    const html = renderServerScopesPage({
      ...page,
      reserved: [...GRANTABLE_RESERVED_SCOPES].map((name) => ({
        name,
        description: RESERVED_SCOPE_TEXT[name] ?? '',
      })),
      scopes: await deps.store.authorizationServers.listScopes(server.id),
      ...form,
    });
    return sendConsolePage(reply, page.frame, html, status);
  };
  app.get('/servers/:serverId/scopes', async (request: ServerRequest, reply) =>
    scopes(request, reply, await load(request), {
      values: { name: '', displayName: '', description: '' },
      errors: {},
    }),
  );
  app.post('/servers/:serverId/scopes', async (request: ServerRequest, reply) => {
    const server = await load(request);
    const body = formBody(request);
    const values = {
      name: (body.get('name') ?? '').trim(),
      displayName: body.get('displayName') ?? '',
      description: body.get('description') ?? '',
    };
    try {
      const scope = await addCustomScope(deps, server.id, {
        name: values.name,
        displayName: values.displayName.trim() === '' ? undefined : values.displayName,
        description: values.description,
      });
      await recordAdminChange(ctx, request, {
        type: 'authorization_server.scope.create',
        serverId: server.id,
        reason: `${adminOf(request).user.login} added the scope ${scope.name} to ${server.name}.`,
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = fieldErrors(error, ['name', 'displayName', 'description'] as const);
      return scopes(request, reply, server, { values, errors }, 400);
    }
    return redirectTo(reply, serverPath(server, '/scopes'), 'scope-added');
  });

  const claims = async (
    request: FastifyRequest,
    reply: FastifyReply,
    server: AuthorizationServerRow,
    form: { values: Record<ClaimField, string>; errors: Errors<ClaimField> },
    status = 200,
  ): Promise<FastifyReply> => {
    const page = base(request, reply, server);
    const html = renderServerClaimsPage({
      ...page,
      standard: STANDARD_CLAIMS,
      claims: await deps.store.claims.listForServer(server.id),
      paths: CLAIM_PATHS,
      ...form,
    });
    return sendConsolePage(reply, page.frame, html, status);
  };
  app.get('/servers/:serverId/claims', async (request: ServerRequest, reply) =>
    claims(request, reply, await load(request), {
      values: { name: '', claimType: 'RESOURCE', value: '', scopes: '' },
      errors: {},
    }),
  );
  app.post('/servers/:serverId/claims', async (request: ServerRequest, reply) => {
    const server = await load(request);
    const body = formBody(request);
    const values = {
      name: (body.get('name') ?? '').trim(),
      claimType: body.get('claimType') === 'IDENTITY' ? 'IDENTITY' : 'RESOURCE',
      value: body.get('value') ?? '',
      scopes: body.get('scopes') ?? '',
    } as const;
    try {
      const claim = await createClaim(deps, server.id, {
        name: values.name,
        claimType: values.claimType,
        value: values.value,
        scopes: values.scopes.split(/[\s,]+/).filter((scope) => scope !== ''),
      });
      await recordAdminChange(ctx, request, {
        type: 'authorization_server.update',
        serverId: server.id,
        reason: `${adminOf(request).user.login} added the claim ${claim.name} to ${server.name}.`,
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = fieldErrors(error, ['name', 'claimType', 'value'] as const, {
        'conditions.scopes': 'scopes',
      });
      return claims(request, reply, server, { values, errors }, 400);
    }
    return redirectTo(reply, serverPath(server, '/claims'), 'server-saved');
  });
}
