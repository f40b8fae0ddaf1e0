// One id per request on every log line of it (pino's `reqId`), sent back as `X-Request-Id` so a user's
// report or a proxy's log leads to the lines. A proxy's or client's own X-Request-Id is kept when it is a
// short token of safe characters; anything else (long, spaces, quotes, control characters that could
// forge log lines or headers) is replaced by a fresh UUID.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Logger } from '../deps.ts';

export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function generateRequestId(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Echoes the id, and makes `deps.log` (returned) write through the current request's logger, so lines
 * that parts log through `deps.log` while serving a request (audit.ts, …) carry its `reqId` too.
 */
export function registerRequestId(app: FastifyInstance): Logger {
  const current = new AsyncLocalStorage<FastifyBaseLogger>();
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', request.id);
    // The rest of the request's hooks and its handler run inside this call, and so see its logger.
    current.run(request.log, done);
  });
  const log = (): FastifyBaseLogger => current.getStore() ?? app.log;
  return {
    info: (...args: Parameters<Logger['info']>) => log().info(...args),
    warn: (...args: Parameters<Logger['warn']>) => log().warn(...args),
    error: (...args: Parameters<Logger['error']>) => log().error(...args),
    debug: (...args: Parameters<Logger['debug']>) => log().debug(...args),
  } as Logger;
}
