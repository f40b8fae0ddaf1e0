// Liveness (/healthz: the process answers), readiness (/readyz: the database answers and the instance is
// neither draining nor off the database clock, so a load balancer drains an instance that cannot serve,
// RL-05, RL-11, RL-13), the stylesheet, and a landing page at /.

import type { FastifyInstance } from 'fastify';
import { issuerFor } from '../../oauth/discovery.ts';
import { DEFAULT_SERVER_ID } from '../../services/authorization-servers.ts';
import { renderMessagePage } from '../../ui/message-page.tsx';
import { stylesheet, stylesheetPath } from '../../ui/styles.ts';
import type { HttpContext } from '../context.ts';
import { sendHtml } from '../security-headers.ts';

export function registerOperations(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/healthz', (_request, reply) => reply.header('Cache-Control', 'no-store').send({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    // Draining (RL-13) or a local clock far from the database's (RL-11): no new traffic, whatever the
    // database says.
    const reason = ctx.readiness.notReadyReason();
    if (reason !== undefined) {
      return reply.status(503).header('Cache-Control', 'no-store').send({ status: 'unavailable', reason });
    }
    try {
      await ctx.deps.store.ping();
      return reply.header('Cache-Control', 'no-store').send({ status: 'ready' });
    } catch (error) {
      request.log.warn({ err: error }, 'not ready: database unreachable');
      return reply
        .status(503)
        .header('Cache-Control', 'no-store')
        .send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
  app.get(stylesheetPath, (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .send(stylesheet),
  );
  app.get('/', (_request, reply) =>
    sendHtml(
      reply,
      200,
      renderMessagePage({
        title: 'Latchkey is running',
        message: `Issuer: ${issuerFor(ctx.deps.config.publicUrl, DEFAULT_SERVER_ID)} — discovery at ${issuerFor(ctx.deps.config.publicUrl, DEFAULT_SERVER_ID)}/.well-known/openid-configuration`,
      }),
    ),
  );
}
