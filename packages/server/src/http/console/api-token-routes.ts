// API tokens in the console (AD-04): the list with each token's creator, expiry and status, creating one
// (with the admin's password again, like a new client secret: a token opens the whole admin API) and
// revoking one. The new token is in the creating response only; only its hash is stored.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  apiTokenStatus,
  createApiToken,
  describeExpiry,
  expiryInDays,
  revokeApiToken,
} from '../../services/api-tokens.ts';
import { ValidationError } from '../../services/errors.ts';
import type { ApiTokenRow, Store } from '../../storage/store.ts';
import {
  type ApiTokenField,
  type ApiTokenListing,
  type ApiTokensPageProps,
  renderApiTokensPage,
} from '../../ui/console/api-tokens-page.tsx';
import type { HttpContext } from '../context.ts';
import { formBody, rawQuery } from '../parse.ts';
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

type TokenRequest = FastifyRequest<{ Params: { tokenId: string } }>;

/** The creator as the console shows it: the admin's login, the CLI user, or a dash when unrecorded. */
async function creatorLabel(
  store: Store,
  createdBy: string | null,
  logins: Map<string, string>,
): Promise<string> {
  if (createdBy === null) return '—';
  const cli = /^cli(?::(.*))?$/.exec(createdBy);
  if (cli !== null) return cli[1] === undefined ? 'latchkey CLI' : `latchkey CLI (${cli[1]})`;
  if (!logins.has(createdBy)) {
    logins.set(createdBy, (await store.users.get(createdBy))?.login ?? `${createdBy} (deleted user)`);
  }
  return logins.get(createdBy) ?? createdBy;
}

export function registerConsoleApiTokens(app: FastifyInstance, ctx: HttpContext): void {
  const { deps } = ctx;

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: Pick<ApiTokensPageProps, 'values' | 'errors' | 'created'>,
    status = 200,
  ): Promise<FastifyReply> => {
    const frame = consoleFrame(request, reply);
    const now = deps.clock.now();
    const logins = new Map<string, string>();
    const tokens: ApiTokenListing[] = [];
    // Newest first: the one just made is at the top.
    for (const token of (await deps.store.apiTokens.list()).reverse()) {
      const creator = await creatorLabel(deps.store, token.createdBy, logins);
      tokens.push({ token, status: apiTokenStatus(token, now), creator });
    }
    return sendConsolePage(reply, frame, renderApiTokensPage({ frame, tokens, ...form }), status);
  };

  app.get('/tokens', async (request, reply) => {
    // After a successful create (Post/Redirect/Get): the token, once, from the session's flash.
    const createdId = rawQuery(request).get('created');
    const row = createdId === null ? undefined : await deps.store.apiTokens.get(createdId);
    const token = row === undefined ? undefined : await takeSecretFlash(ctx, request, `token:${row.id}`);
    return page(request, reply, {
      values: { name: '', expires_in: '' },
      errors: {},
      ...(row !== undefined && token !== undefined
        ? { created: { name: row.name, token, expiresAt: row.expiresAt } }
        : {}),
    });
  });

  app.post('/tokens', async (request, reply) => {
    const body = formBody(request);
    const values = { name: body.get('name') ?? '', expires_in: (body.get('expires_in') ?? '').trim() };
    const refuse = (field: ApiTokenField, message: string) =>
      page(request, reply, { values, errors: { [field]: [message] } }, 400);
    const { user } = adminOf(request);
    let row: ApiTokenRow;
    let token: string;
    try {
      const expiresAt =
        values.expires_in === '' ? null : expiryInDays(deps.clock.now(), values.expires_in, 'expires_in');
      if (!(await reauthenticate(ctx, request, body.get('password') ?? ''))) {
        return refuse('password', REAUTH_FAILURE);
      }
      ({ row, token } = await createApiToken(deps, { name: values.name, createdBy: user.id, expiresAt }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return refuse(error.field === 'expires_in' ? 'expires_in' : 'name', error.message);
    }
    await recordAdminChange(ctx, request, {
      type: 'system.api_token.create',
      reason: `${user.login} (${user.id}) created API token "${row.name}" (${row.id}) in the console; ${describeExpiry(row)}.`,
    });
    // Shown once, on the page this redirects to (issue 12: reloading it creates nothing).
    await putSecretFlash(ctx, request, `token:${row.id}`, token);
    return redirectTo(reply, `/console/tokens?created=${encodeURIComponent(row.id)}`);
  });

  app.post('/tokens/:tokenId/revoke', async (request: TokenRequest, reply) => {
    const { token, changed } = await revokeApiToken(deps, request.params.tokenId);
    if (changed) {
      await recordAdminChange(ctx, request, {
        type: 'system.api_token.revoke',
        reason: `${adminOf(request).user.login} revoked API token "${token.name}" (${token.id}) in the console.`,
      });
    }
    return redirectTo(reply, '/console/tokens', 'token-revoked');
  });
}
