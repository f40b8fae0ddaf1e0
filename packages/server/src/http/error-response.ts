// The one place where errors become HTTP (ARCHITECTURE "Errors"): JSON for token-style endpoints, an HTML
// page for browser endpoints. `description` is sent; `cause` is only logged.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError, SERVER_ERROR_DESCRIPTION } from '../oauth/errors.ts';
import { StoreUnavailableError, UnstorableTextError } from '../storage/store.ts';
import { type ErrorPageProps, renderErrorPage } from '../ui/error-page.tsx';
import { InvalidInputError } from './input-guard.ts';
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
  // NB-01: a NUL or text that is not UTF-8 is the request's fault, named where it can be.
  if (error instanceof InvalidInputError || error instanceof UnstorableTextError) {
    return new OAuthError('invalid_request', error.message, { cause: error.cause });
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

/**
 * RFC 6750 §3: a bearer-protected resource (userinfo) states the error in `WWW-Authenticate`, e.g. Okta's
 * `Bearer error="invalid_token", error_description="The access token is invalid"` (OKTA-COMPAT §1.4); the
 * JSON body repeats it. An outage or fault is not the token's fault: plain JSON, 503 or 500.
 */
export function sendBearerError(request: FastifyRequest, reply: FastifyReply, thrown: unknown): FastifyReply {
  const error = toOAuthError(thrown);
  if (error.status >= 500) return sendJsonError(request, reply, error);
  // RFC 6750 §3: error_description is limited to %x20-21 / %x23-5B / %x5D-7E, so no quote can break out.
  const description = error.description.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '');
  return sendJsonError(
    request,
    reply.header('WWW-Authenticate', `Bearer error="${error.error}", error_description="${description}"`),
    error,
  );
}

/** RFC 6750 §3.1: a request without any token gets a bare challenge, with no error code or description. */
export function sendBearerChallenge(reply: FastifyReply, realm: string): FastifyReply {
  return reply
    .status(401)
    .header('WWW-Authenticate', `Bearer realm="${realm.replace(/["\\]/g, '')}"`)
    .header('Cache-Control', 'no-store')
    .send();
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
