// Shared by the authorization-server routes of the console: the server named in the path, the frame of its
// pages, and a service refusal placed next to the field it concerns.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { issuerFor } from '../../oauth/discovery.ts';
import { requireAuthorizationServer } from '../../services/authorization-servers.ts';
import type { ValidationError } from '../../services/errors.ts';
import type { AuthorizationServerRow } from '../../storage/store.ts';
import type { Errors, ServerPageBase } from '../../ui/console/server-shell.tsx';
import type { HttpContext } from '../context.ts';
import { consoleFrame } from './guard.ts';

export type ServerRequest = FastifyRequest<{ Params: { serverId: string } }>;

export function loadServer(ctx: HttpContext, request: ServerRequest): Promise<AuthorizationServerRow> {
  return requireAuthorizationServer(ctx.deps.store, request.params.serverId);
}

export function issuerOf(ctx: HttpContext, server: Pick<AuthorizationServerRow, 'id'>): string {
  return issuerFor(ctx.deps.config.publicUrl, server.id);
}

export function serverPage(
  ctx: HttpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  server: AuthorizationServerRow,
): ServerPageBase {
  return { frame: consoleFrame(request, reply), server, issuer: issuerOf(ctx, server) };
}

/** A service refusal next to its field when the form has one, else above the form. */
export function fieldErrors<F extends string>(
  error: ValidationError,
  fields: readonly F[],
  alias: Record<string, F> = {},
): Errors<F> {
  const field = (fields as readonly string[]).includes(error.field) ? (error.field as F) : alias[error.field];
  return field === undefined
    ? ({ form: [error.message] } as Errors<F>)
    : ({ [field]: [error.message] } as Errors<F>);
}
