// `@latchkey/verifier/fastify`: a plugin that adds `app.requireScopes(...scopes)`, a preHandler that
// verifies the Bearer token, sets `request.token` to its claims, and otherwise answers per RFC 6750
// (see bearer.ts). Fastify is only a type import here: the plugin needs nothing from it at run time.
//
//   await app.register(latchkeyVerifier, { verifier: createVerifier({ issuer, audience }) });
//   app.get('/messages', { preHandler: app.requireScopes('messages:read') }, handler);
//
// With `resource: 'https://api.example.com'` it also serves the RFC 9728 protected resource metadata
// (GET /.well-known/oauth-protected-resource, path-suffixed when the resource has a path) and names it in
// every challenge.

import type { FastifyInstance, FastifyPluginAsync, FastifyReply, preHandlerAsyncHookHandler } from 'fastify';
import { authenticateBearer } from './bearer.ts';
import type { AccessTokenClaims } from './claims.ts';
import {
  METADATA_HEADERS,
  type ResourceMetadataOptions,
  ROOT_METADATA_PATH,
  resolveResourceMetadata,
} from './resource-metadata.ts';
import type { Verifier } from './verifier.ts';

export interface FastifyVerifierOptions extends ResourceMetadataOptions {
  verifier: Verifier;
  /** The challenge's realm. Default "api". */
  realm?: string | undefined;
  /** When given, only tokens issued to these clients (`cid`) are accepted. */
  clientIds?: readonly string[] | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** A preHandler: a valid access token with every one of `scopes` (none: any valid token). */
    requireScopes(...scopes: string[]): preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    /** The verified claims after a `requireScopes` preHandler ran; null on other routes. */
    token: AccessTokenClaims | null;
  }
}

async function plugin(app: FastifyInstance, options: FastifyVerifierOptions): Promise<void> {
  const { verifier, realm, clientIds } = options;
  if (typeof verifier?.verifyAccessToken !== 'function') {
    throw new TypeError(
      '@latchkey/verifier/fastify needs { verifier: createVerifier({ issuer, audience }) }.',
    );
  }
  const metadata = resolveResourceMetadata(verifier, options);
  if (metadata !== undefined) {
    const serve = (_request: unknown, reply: FastifyReply) =>
      reply.headers(METADATA_HEADERS).send(metadata.document);
    app.get(metadata.path, serve);
    // RFC 9728 §3.1 defines the path-suffixed form; some clients only try the root one. Another resource
    // of this server may already answer there.
    if (metadata.path !== ROOT_METADATA_PATH && !app.hasRoute({ method: 'GET', url: ROOT_METADATA_PATH })) {
      app.get(ROOT_METADATA_PATH, serve);
    }
  }
  const resourceMetadataUrl = metadata?.url;
  app.decorateRequest('token', null);
  app.decorate('requireScopes', (...scopes: string[]): preHandlerAsyncHookHandler => {
    return async (request, reply) => {
      const outcome = await authenticateBearer(verifier, request.headers.authorization, {
        realm,
        clientIds,
        requiredScopes: scopes,
        resourceMetadataUrl,
      });
      if (outcome.ok) {
        request.token = outcome.claims;
        return;
      }
      // An outage is ours to fix; refused tokens are routine (and attacker-controlled volume).
      if (outcome.status === 503) request.log.error({ err: outcome.error }, 'cannot verify access tokens');
      else request.log.debug({ reason: outcome.error?.message }, `access token refused (${outcome.status})`);
      return reply.code(outcome.status).headers(outcome.headers).send(outcome.body);
    };
  });
}

// What fastify-plugin does: the decorators belong to the registering scope, not an encapsulated child.
export const latchkeyVerifier: FastifyPluginAsync<FastifyVerifierOptions> = Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@latchkey/verifier',
});

export default latchkeyVerifier;
