// Serving the metrics (issue 11). Request counts and durations are labelled with the route pattern
// (`/oauth2/:serverId/v1/token`), never the URL, which would carry ids, queries and anything a client
// invents. /metrics is never public: on its own listener (LATCHKEY_METRICS_ADDRESS, meant for a private
// interface), or on the main listener only for `Authorization: Bearer <LATCHKEY_METRICS_TOKEN>`.
import { createServer, type Server } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MetricsSettings } from '../config/schema.ts';
import { matchesHash, sha256Hex } from '../oauth/random.ts';
import type { Metrics } from './metrics.ts';

export const METRICS_PATH = '/metrics';

/** Counts every response under its route pattern (`unmatched` when no route took the request). */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      status_code: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
}

/** /metrics on the main listener, when LATCHKEY_METRICS_TOKEN is set; otherwise the route does not exist. */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: Metrics,
  settings: MetricsSettings,
): void {
  if (settings.token === undefined) return;
  const tokenHash = sha256Hex(settings.token);
  app.get(METRICS_PATH, async (request, reply) => {
    const match = /^Bearer ([^\s]+)$/i.exec(request.headers.authorization ?? '');
    // Compared through SHA-256 digests in constant time: the time taken says nothing about the token.
    if (match?.[1] === undefined || !matchesHash(match[1], tokenHash)) {
      return reply
        .status(401)
        .header('WWW-Authenticate', 'Bearer realm="metrics"')
        .header('Cache-Control', 'no-store')
        .send({
          error: 'invalid_token',
          error_description: 'Send Authorization: Bearer <LATCHKEY_METRICS_TOKEN> to read the metrics.',
        });
    }
    return sendMetrics(reply, metrics);
  });
}

async function sendMetrics(reply: FastifyReply, metrics: Metrics): Promise<FastifyReply> {
  const body = await metrics.registry.metrics();
  return reply.header('Cache-Control', 'no-store').type(metrics.registry.contentType).send(body);
}

export interface MetricsListener {
  /** e.g. http://127.0.0.1:9464 */
  address: string;
  close(): Promise<void>;
}

/** The separate listener of LATCHKEY_METRICS_ADDRESS: GET /metrics and nothing else, no authentication. */
export async function startMetricsListener(
  metrics: Metrics,
  address: NonNullable<MetricsSettings['address']>,
  onError: (error: unknown) => void,
): Promise<MetricsListener> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== METRICS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response
        .writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Not found: use GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (body) =>
        response
          .writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' })
          .end(request.method === 'HEAD' ? undefined : body),
      (error: unknown) => {
        onError(error);
        response
          .writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
          .end('Could not collect the metrics\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    address: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
