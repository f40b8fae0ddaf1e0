// What every admin route module receives, and how an admin change reaches the system log (AD-03): with
// the API token as actor, the caller's IP and a reason in plain words. Never a secret.

import type { FastifyRequest } from 'fastify';
import { recordEvent } from '../audit.ts';
import type { Deps } from '../deps.ts';
import { ValidationError } from '../services/errors.ts';
import type { ApiTokenRow } from '../storage/store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API token that authenticated this request (set by the authentication hook). */
    apiToken?: ApiTokenRow;
  }
  interface FastifyContextConfig {
    /** Served without an API token (only the OpenAPI document). */
    public?: boolean;
  }
}

export interface AdminContext {
  deps: Deps;
  /** `{publicUrl}/api/v1`, for `_links` and paging links. */
  base: string;
}

export interface AdminChange {
  type: string;
  reason: string;
  serverId?: string | null;
  clientId?: string | null;
  userId?: string | null;
}

export async function recordAdminChange(
  ctx: AdminContext,
  request: FastifyRequest,
  change: AdminChange,
): Promise<void> {
  const token = request.apiToken;
  await recordEvent(ctx.deps, {
    ...change,
    outcome: 'SUCCESS',
    actor: token?.id ?? null,
    ip: request.ip,
    reason: token === undefined ? change.reason : `${change.reason} By API token "${token.name}".`,
  });
}

/** Runs a service call, renaming the fields of its ValidationError to the paths of the JSON sent. */
export async function withFieldNames<T>(
  fields: Readonly<Record<string, string>>,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(error.code, fields[error.field] ?? error.field, error.message);
    }
    throw error;
  }
}
