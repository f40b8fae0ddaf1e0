// Builds the Fastify app: plugins, hooks and the route table. Endpoints live one per file in ./endpoints.

import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { cookieNames } from '../accounts/sessions.ts';
import { sendAdminError } from '../admin/error-response.ts';
import { ADMIN_API_PREFIX, registerAdminApi } from '../admin/plugin.ts';
import type { Deps } from '../deps.ts';
import { registerMetricsRoute, registerRequestMetrics } from '../metrics/http.ts';
import { createMetrics, type Metrics } from '../metrics/metrics.ts';
import { ClientKeySets } from '../oauth/client-key-sets.ts';
import { issuerFor } from '../oauth/discovery.ts';
import { OAuthError } from '../oauth/errors.ts';
import { DEFAULT_SERVER_ID } from '../services/authorization-servers.ts';
import { withClientMetadataDocuments } from '../services/client-metadata/directory.ts';
import { DEFAULT_FETCH_LIMITS, type FetchLimits } from '../services/client-metadata/fetch-document.ts';
import { Readiness } from '../services/readiness.ts';
import { registerConsole } from './console/index.ts';
import type { HttpContext } from './context.ts';
import { registerAuthorize } from './endpoints/authorize.ts';
import { registerClientRegistration } from './endpoints/client-registration.ts';
import { registerConsent } from './endpoints/consent.ts';
import { registerDiscovery } from './endpoints/discovery.ts';
import { registerIntrospect } from './endpoints/introspect.ts';
import { registerLogout } from './endpoints/logout.ts';
import { registerOperations } from './endpoints/operations.ts';
import { registerRevoke } from './endpoints/revoke.ts';
import { registerSignIn } from './endpoints/sign-in.ts';
import { registerToken } from './endpoints/token.ts';
import { registerUserInfo } from './endpoints/userinfo.ts';
import { sendErrorPage, sendJsonError } from './error-response.ts';
import {
  decodeFormBody,
  InvalidInputError,
  invalidPath,
  recordInputRefusal,
  registerInputGuard,
} from './input-guard.ts';
import { lazySchemaCompilers } from './lazy-schema-compilers.ts';
import { chooseLogOutput } from './log-format.ts';
import { LOG_REDACT_PATHS, REDACTED, serializeRequest } from './log-redaction.ts';
import { formBody } from './parse.ts';
import { registerRateLimiting, routeRateLimits } from './rate-limits.ts';
import { generateRequestId, registerRequestId } from './request-id.ts';
import { applyStandardHeaders } from './security-headers.ts';
import { type ResolvedServer, ServerDirectory } from './server-directory.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authorization server named by `:serverId`, resolved before the handler runs. */
    resolvedServer?: ResolvedServer;
  }
}

/** RFC 6749 leaves sizes open; 64 KB is ample for any OAuth request (TE-05). */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface AppOptions {
  /** Where log lines go (stdout by default); tests read them here. */
  logStream?: { write(line: string): void };
  /** Client ID Metadata Document fetch limits; tests shorten the timeout and trust their own CA here. */
  clientMetadataFetch?: Partial<FetchLimits>;
  /** The app's metrics (its own Registry); made here when not given. Pass it to openStore too. */
  metrics?: Metrics;
  /** Draining and clock state for /readyz (main.ts); a fresh, ready one by default. */
  readiness?: Readiness;
}

export interface BuiltApp {
  app: FastifyInstance;
  /** The dependencies, with `log` now the app's logger. */
  deps: Deps;
  metrics: Metrics;
  /** Compiles every route schema now (they compile on first use); a test runs it to catch a bad one. */
  compileSchemas(): void;
}

export async function buildApp(base: Omit<Deps, 'log'>, options: AppOptions = {}): Promise<BuiltApp> {
  const deps = base as Deps;
  const metrics = options.metrics ?? createMetrics();
  const output =
    options.logStream === undefined
      ? chooseLogOutput(deps.config.logFormat, process.stdout.isTTY === true)
      : {};
  const schemas = lazySchemaCompilers();
  const app: FastifyInstance = Fastify({
    schemaController: { compilersFactory: schemas.compilersFactory },
    logger: {
      level: deps.config.logLevel,
      // LR-01, LR-02: secrets never reach logs (credentials in headers, secrets in logged objects).
      redact: { paths: LOG_REDACT_PATHS, censor: REDACTED },
      // LR-01: request URLs without the codes, tokens and hints in their query strings.
      serializers: { req: serializeRequest },
      ...(options.logStream === undefined ? {} : { stream: options.logStream }),
      ...(output.transport === undefined ? {} : { transport: output.transport }),
    },
    trustProxy: deps.config.trustProxy.length > 0 ? deps.config.trustProxy : false,
    bodyLimit: BODY_LIMIT_BYTES,
    // RL-13: a request that reaches a closing instance on a kept-alive socket is served (with
    // `Connection: close`, below), not refused with 503; the drain bounds how long that can go on.
    return503OnClosing: false,
    genReqId: generateRequestId,
    // Per-request lines only when debugging: URLs may carry user-chosen values.
    logController: new LogController({
      disableRequestLogging: deps.config.logLevel !== 'debug' && deps.config.logLevel !== 'trace',
    }),
    // A path Fastify cannot decode never reaches a hook: name the bad segment here (NB-01).
    frameworkErrors: (error, request, reply) => {
      const refused = error.code === 'FST_ERR_BAD_URL' ? (invalidPath(app, request) ?? error) : error;
      if (request.url.startsWith(`${ADMIN_API_PREFIX}/`)) return sendAdminError(request, reply, refused);
      return sendError(refused, request, reply);
    },
  });
  deps.log = registerRequestId(app);
  if (output.warning !== undefined) app.log.warn(output.warning);
  registerRequestMetrics(app, metrics);
  metrics.watchSigningKeys({ store: deps.store, now: () => deps.clock.now() });
  // URL client ids resolve through their metadata documents wherever a client is looked up.
  deps.store = withClientMetadataDocuments(deps.store, {
    clock: deps.clock,
    log: deps.log,
    settings: deps.config.clientMetadata,
    limits: { ...DEFAULT_FETCH_LIMITS, ...options.clientMetadataFetch },
  });
  const ctx: HttpContext = {
    deps,
    metrics,
    servers: new ServerDirectory(deps),
    cookies: cookieNames(deps.config.secureCookies),
    clientKeys: new ClientKeySets(),
    readiness: options.readiness ?? new Readiness(),
  };

  // OAuth endpoints take forms only; any other body is kept as text so each endpoint can say what is wrong.
  app.removeAllContentTypeParsers();
  // Read as bytes, so that a value that is not UTF-8 is refused rather than silently replaced (NB-01).
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (_request, body, done) => {
      try {
        done(null, decodeFormBody(body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  await app.register(fastifyCookie);
  // After the cookie parser (it decodes cookies in its own onRequest hook), before any route.
  registerInputGuard(app);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: ctx.cookies.csrf,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: deps.config.secureCookies },
    getToken: (request) => formBody(request).get('_csrf') ?? '',
  });
  await registerRateLimiting(app, deps);
  const rateLimits = routeRateLimits(deps.config.rateLimits);

  app.addHook('onSend', async (_request, reply, payload) => {
    applyStandardHeaders(reply);
    // RL-13: while draining, every client is told to reconnect, which the balancer sends elsewhere.
    if (ctx.readiness.draining) reply.header('Connection', 'close');
    renameRateLimitHeaders(reply, deps.clock.now());
    return payload;
  });
  app.addHook('preHandler', async (request: FastifyRequest<{ Params: { serverId?: string } }>, reply) => {
    const serverId = request.params?.serverId;
    if (serverId === undefined) return;
    const discovery = /\/(\.well-known\/|v1\/keys)/.test(request.url);
    const resolved = await ctx.servers.resolve(serverId, { allowStale: discovery });
    if (resolved === undefined) return sendUnknownServer(reply, serverId);
    request.resolvedServer = resolved;
  });

  registerDiscovery(app, ctx);
  registerAuthorize(app, ctx, { rateLimits });
  registerSignIn(app, ctx, { rateLimits });
  registerConsent(app, ctx);
  registerToken(app, ctx, { rateLimits });
  registerClientRegistration(app, ctx, { rateLimits });
  registerUserInfo(app, ctx);
  registerIntrospect(app, ctx);
  registerRevoke(app, ctx);
  registerOperations(app, ctx);
  registerMetricsRoute(app, metrics, deps.config.metrics);
  registerLogout(app, ctx);
  registerAdminApi(app, ctx);
  registerConsole(app, ctx, { rateLimits });
  app.all('/oauth2/v1/*', (request, reply) =>
    sendJsonError(
      request,
      reply,
      new OAuthError(
        'invalid_request',
        `Latchkey has no org authorization server. Use a custom authorization server's issuer, such as ${issuerFor(deps.config.publicUrl, 'default')}.`,
        { status: 404 },
      ),
    ),
  );

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .header('Cache-Control', 'no-store')
      .send({
        error: 'not_found',
        error_description: `No route for ${request.method} ${request.url.split('?')[0]}.`,
      }),
  );
  const sendError = async (
    error: Error & { statusCode?: number; code?: string },
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> => {
    if (error instanceof InvalidInputError) await recordInputRefusal(deps, request, error);
    const status = error.statusCode ?? 500;
    const oauthError =
      status === 413
        ? new OAuthError(
            'invalid_request',
            `The request body is larger than ${BODY_LIMIT_BYTES / 1024} KB.`,
            { status: 413 },
          )
        : status === 429
          ? new OAuthError('invalid_request', 'Too many requests; wait a minute and try again.', {
              status: 429,
            })
          : error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET'
            ? new OAuthError(
                'access_denied',
                'The form expired or did not come from this site. Go back to the app and sign in again.',
                { status: 403 },
              )
            : status < 500
              ? new OAuthError('invalid_request', error.message, { status })
              : error;
    const wantsHtml =
      request.url.includes('/v1/authorize') ||
      request.url.includes('/v1/logout') ||
      request.url.startsWith('/sign-in');
    return wantsHtml ? sendErrorPage(request, reply, oauthError) : sendJsonError(request, reply, oauthError);
  };
  app.setErrorHandler(sendError);
  // Rule 4: discovery and /keys of the default server can answer from memory from the first request on.
  await ctx.servers.resolve(DEFAULT_SERVER_ID).catch(() => undefined);
  await deps.keys.jwks(DEFAULT_SERVER_ID).catch(() => undefined);
  return { app, deps, metrics, compileSchemas: schemas.compileAll };
}

/**
 * Okta's names for the rate-limit headers (OKTA-COMPAT §1.0; okta-mobile-swift reads `x-rate-limit-*`), with
 * `Reset` as epoch seconds, as Okta sends it.
 */
function renameRateLimitHeaders(reply: FastifyReply, now: number): void {
  const limit = reply.getHeader('x-ratelimit-limit');
  if (limit === undefined) return;
  const reset = Number(reply.getHeader('x-ratelimit-reset') ?? 0);
  reply.header('X-Rate-Limit-Limit', limit);
  reply.header('X-Rate-Limit-Remaining', reply.getHeader('x-ratelimit-remaining') ?? 0);
  reply.header('X-Rate-Limit-Reset', String(now + reset));
  for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'])
    reply.removeHeader(name);
}

/** OKTA-COMPAT §0.5: Okta's management-API body for an unknown authorization server. */
function sendUnknownServer(reply: FastifyReply, serverId: string): FastifyReply {
  return reply
    .status(404)
    .header('Cache-Control', 'no-store')
    .send({
      errorCode: 'E0000007',
      errorSummary: `Not found: Resource not found: ${serverId} (AuthorizationServer)`,
      errorLink: 'E0000007',
      errorId: `oae${randomUUID().replace(/-/g, '').slice(0, 22)}`,
      errorCauses: [],
    });
}
