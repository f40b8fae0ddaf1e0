// The one place where admin API errors become HTTP: Okta's management-API body (OKTA-COMPAT §6, §7),
// `{errorCode, errorSummary, errorLink, errorId, errorCauses}`, which okta-auth-js and the Okta SDKs parse.
// Bad input is 400 E0000001 naming each field and the reason; an unknown id 404 E0000007; a missing,
// unknown or revoked token 401 E0000011. Causes of 5xx errors are logged, never sent.

import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type InputLocation, InvalidInputError, PROBLEMS } from '../http/input-guard.ts';
import { NotFoundError, ValidationError } from '../services/errors.ts';
import { DuplicateError, StoreUnavailableError, UnstorableTextError } from '../storage/store.ts';

export interface ErrorCause {
  errorSummary: string;
  /** The RFC 7591 code or validation keyword behind it, e.g. `invalid_redirect_uri`. */
  reason?: string;
  locationType?: 'body' | 'query' | 'path';
  location?: string;
}

export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly errorSummary: string,
    readonly errorCauses: ErrorCause[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(errorSummary);
    this.name = 'AdminApiError';
  }
}

export const invalidToken = (): AdminApiError =>
  new AdminApiError(401, 'E0000011', 'Invalid token provided', [], {
    'WWW-Authenticate': 'SSWS realm="Latchkey admin API"',
  });

export const notWellFormed = (detail: string): AdminApiError =>
  new AdminApiError(400, 'E0000003', 'The request body was not well-formed.', [{ errorSummary: detail }]);

export function forbidden(detail: string, errorCode = 'E0000006', summary?: string): AdminApiError {
  return new AdminApiError(
    403,
    errorCode,
    summary ?? 'You do not have permission to perform the requested action',
    [{ errorSummary: detail }],
  );
}

/** Okta's E0000001 for one field; `location` is where the field was sent. */
export function validationFailed(
  causes: readonly {
    field: string;
    message: string;
    reason?: string;
    locationType?: ErrorCause['locationType'];
  }[],
): AdminApiError {
  return new AdminApiError(
    400,
    'E0000001',
    `Api validation failed: ${causes.map((cause) => cause.field).join(', ')}`,
    causes.map(({ field, message, reason, locationType }) => ({
      errorSummary: `${field}: ${message}`,
      ...(reason === undefined ? {} : { reason }),
      ...(locationType === undefined ? {} : { locationType }),
      location: field,
    })),
  );
}

interface FastifyValidationIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type ThrownByFastify = Error & {
  statusCode?: number;
  code?: string;
  validation?: FastifyValidationIssue[];
  validationContext?: string;
};

const LOCATION: Record<string, ErrorCause['locationType']> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
};

const INPUT_LOCATION: Partial<Record<InputLocation, ErrorCause['locationType']>> = {
  query: 'query',
  form: 'body',
  json: 'body',
  path: 'path',
};

/** Any thrown value as an AdminApiError. */
export function toAdminApiError(thrown: unknown): AdminApiError {
  if (thrown instanceof AdminApiError) return thrown;
  if (thrown instanceof ValidationError) {
    return validationFailed([{ field: thrown.field, message: thrown.message, reason: thrown.code }]);
  }
  if (thrown instanceof NotFoundError) {
    return new AdminApiError(
      404,
      'E0000007',
      `Not found: Resource not found: ${thrown.id} (${thrown.entity})`,
    );
  }
  if (thrown instanceof DuplicateError) {
    return validationFailed([{ field: thrown.entity, message: `${thrown.message}.`, reason: 'duplicate' }]);
  }
  if (thrown instanceof InvalidInputError) {
    const locationType = INPUT_LOCATION[thrown.location];
    return validationFailed([
      {
        field: thrown.field,
        message: `The value ${PROBLEMS[thrown.problem]}.`,
        reason: `invalid_text_${thrown.problem}`,
        ...(locationType === undefined ? {} : { locationType }),
      },
    ]);
  }
  if (thrown instanceof UnstorableTextError) {
    return validationFailed([{ field: 'body', message: thrown.message, reason: 'invalid_text' }]);
  }
  if (thrown instanceof StoreUnavailableError) {
    return new AdminApiError(
      503,
      'E0000009',
      'The service is temporarily unavailable. Try again in a few seconds.',
      [],
      { 'Retry-After': '5' },
    );
  }
  const error = thrown as ThrownByFastify;
  if (Array.isArray(error.validation)) {
    const context = error.validationContext ?? 'body';
    return validationFailed(
      error.validation.map((issue) => ({
        field: fieldOf(issue, context),
        message: messageOf(issue),
        reason: issue.keyword,
        ...(LOCATION[context] === undefined ? {} : { locationType: LOCATION[context] }),
      })),
    );
  }
  if (error instanceof SyntaxError || error.code?.startsWith('FST_ERR_CTP_') === true) {
    if (error.statusCode === 413) {
      return new AdminApiError(413, 'E0000003', 'The request body was not well-formed.', [
        { errorSummary: 'The request body is too large.' },
      ]);
    }
    return notWellFormed('Send a JSON object with Content-Type: application/json.');
  }
  if (error.statusCode === 429) {
    return new AdminApiError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new AdminApiError(error.statusCode, 'E0000003', error.message);
  }
  return new AdminApiError(500, 'E0000009', 'Internal Server Error');
}

/** `/settings/oauthClient/redirect_uris/0` → `settings.oauthClient.redirect_uris[0]`. */
function fieldOf(issue: FastifyValidationIssue, context: string): string {
  const parts = issue.instancePath.split('/').filter(Boolean);
  const missing = issue.params['missingProperty'];
  if (issue.keyword === 'required' && typeof missing === 'string') parts.push(missing);
  const path = parts.reduce(
    (text, part) => (/^\d+$/.test(part) ? `${text}[${part}]` : text === '' ? part : `${text}.${part}`),
    '',
  );
  return path === '' ? context : path;
}

function messageOf(issue: FastifyValidationIssue): string {
  if (issue.keyword === 'required') return 'The field is required.';
  const allowed = issue.params['allowedValues'];
  if (issue.keyword === 'enum' && Array.isArray(allowed)) return `Use one of: ${allowed.join(', ')}.`;
  return `The value ${issue.message ?? 'is invalid'}.`;
}

export function sendAdminError(request: FastifyRequest, reply: FastifyReply, thrown: unknown): FastifyReply {
  const error = toAdminApiError(thrown);
  // Okta's errorId: a random id to quote to support, and to find this log line by.
  const errorId = `oae${randomBytes(16).toString('base64url').replace(/[-_]/g, '').slice(0, 22)}`;
  if (error.status >= 500) request.log.error({ err: thrown, errorId }, 'admin API request failed');
  else
    request.log.info(
      { errorId, errorCode: error.errorCode, summary: error.errorSummary },
      'admin API request refused',
    );
  return reply.status(error.status).headers(error.headers).header('Cache-Control', 'no-store').send({
    errorCode: error.errorCode,
    errorSummary: error.errorSummary,
    errorLink: error.errorCode,
    errorId,
    errorCauses: error.errorCauses,
  });
}
