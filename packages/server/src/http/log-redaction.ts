// Request URLs in the log (LOG_LEVEL=debug/trace logs every request) without the secrets that clients and
// people put in query strings: codes, verifiers, tokens, client credentials, ID-token hints and the console
// setup token (accounts/bootstrap-admin.ts builds `/console/setup?token=…`). Endpoints refuse most of these
// in a query (RFC 9700 §4.3.2, RFC 6749 §2.3.1), but a refused request is logged before it is refused.
import type { FastifyRequest } from 'fastify';

export const REDACTED = '[redacted]';

/**
 * pino `redact` paths (LR-02): the headers that carry credentials, wherever a logged object holds them,
 * and the secret form fields by name in any logged object one level down (a logged body, an error's
 * context), so that a debugging line someone adds later cannot print them either.
 */
export const LOG_REDACT_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  ...[
    'password',
    'client_secret',
    'code_verifier',
    'access_token',
    'refresh_token',
    'id_token',
    'id_token_hint',
    'token',
    'sessionId',
  ].map((name) => `*.${name}`),
];

/** Query parameters whose value is a credential or lets its holder finish someone else's flow. */
const SECRET_PARAMETERS = new Set(
  [
    'code',
    'code_verifier',
    'id_token_hint',
    'id_token',
    'access_token',
    'refresh_token',
    // RFC 7009 / RFC 7662 `token`, and the one-time console setup token.
    'token',
    'client_secret',
    'client_assertion',
    'assertion',
    'subject_token',
    'actor_token',
    'device_code',
    'password',
    // Okta's one-time session token, accepted by Okta's /authorize.
    'sessiontoken',
    '_csrf',
    'transaction_id',
  ].map((name) => name.toLowerCase()),
);

/**
 * The URL with the value of every secret parameter replaced by `[redacted]`. Everything else stays byte for
 * byte as received, so the line still shows what the client sent. Names compare case-insensitively: a
 * client that sends `Code=` still leaks its code.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const pairs = url.slice(start + 1).split('&');
  const redacted = pairs.map((pair) => {
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    return SECRET_PARAMETERS.has(decodeName(rawName).toLowerCase()) ? `${rawName}=${REDACTED}` : pair;
  });
  return `${url.slice(0, start)}?${redacted.join('&')}`;
}

// `co%64e` is `code` too; URLSearchParams does the form decoding (`+`, percent escapes, bad escapes).
function decodeName(rawName: string): string {
  return new URLSearchParams(`${rawName}=`).keys().next().value ?? rawName;
}

/** Fastify's default `req` serializer (fastify/lib/logger-pino.js) with the URL redacted. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
