// The one place where errors become HTTP (ARCHITECTURE "Errors"): JSON for token-style endpoints, an HTML
// page for browser endpoints. `description` is sent; `cause` is only logged.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError, SERVER_ERROR_DESCRIPTION } from '../oauth/errors.ts';
import { StoreUnavailableError } from '../storage/store.ts';
import { type ErrorPageProps, renderErrorPage } from '../ui/error-page.tsx';
import { sendHtml } from './security-headers.ts';

const RETRY_AFTER_SECONDS = '5';

/** Any thrown value as an OAuthError; a database outage is 503, never invalid_grant (SECURITY-MATRIX rule 4). */
export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  if (error instanceof StoreUnavailableError) {
    return new OAuthError(
      'temporarily_unavailable',
      'The service is temporarily unavailable. Try again in a few seconds.',
      {
        cause: error,
        headers: { 'Retry-After': RETRY_AFTER_SECONDS },
      },
    );
  }
  return new OAuthError('server_error', SERVER_ERROR_DESCRIPTION, { cause: error });
}

function logError(request: FastifyRequest, error: OAuthError): void {
  if (error.status >= 500) request.log.error({ err: error.cause ?? error }, error.description);
  else request.log.info({ oauthError: error.error, cause: describeCause(error.cause) }, 'request refused');
}

export function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  return cause instanceof Error ? cause.message : String(cause);
}

/** RFC 6749 §5.2 JSON error: token, introspection and revocation endpoints. */
export function sendJsonError(request: FastifyRequest, reply: FastifyReply, thrown: unknown): FastifyReply {
  const error = toOAuthError(thrown);
  logError(request, error);
  return reply
    .status(error.status)
    .headers(error.headers)
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .send({ error: error.error, error_description: error.description });
}

/** An HTML error page: 400, or 503 during an outage; never a redirect (RFC 6749 §4.1.2.1). */
export function sendErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  thrown: unknown,
  extra: Partial<ErrorPageProps> = {},
): FastifyReply {
  const error = toOAuthError(thrown);
  logError(request, error);
  reply.headers(error.headers);
  const title = extra.title ?? (error.status >= 500 ? 'Something went wrong' : 'Request refused');
  return sendHtml(
    reply,
    error.status,
    renderErrorPage({ ...extra, title, error: error.error, description: error.description }),
  );
}
