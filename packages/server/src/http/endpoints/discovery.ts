// OIDC Discovery §4 and RFC 8414 §3 (both URL forms, OKTA-COMPAT §0), and the JWK Set (RFC 7517 §5).
// Any origin may read them (OKTA-COMPAT §1.0); they are answered from memory during an outage (rule 4).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorizationServerMetadata, openIdConfiguration } from '../../oauth/discovery.ts';
import { JWKS_MAX_AGE_SECONDS } from '../../oauth/keys/rotation.ts';
import type { HttpContext } from '../context.ts';
import { PREFLIGHT_HEADERS } from '../cors.ts';
import { registrationEndpoint } from './client-registration.ts';

// Shorter than the 24 h a next key is published before use (SECURITY-MATRIX JW-06, rule 7); all key
// timings live in oauth/keys/rotation.ts, which checks that relation.
export { JWKS_MAX_AGE_SECONDS };

const METADATA_MAX_AGE_SECONDS = 300;

export function registerDiscovery(app: FastifyInstance, ctx: HttpContext): void {
  const features = {
    clientIdMetadataDocuments: ctx.deps.config.clientMetadata.enabled,
    ...(ctx.deps.config.clientRegistration === 'off'
      ? {}
      : { registrationEndpoint: registrationEndpoint(ctx.deps.config.publicUrl) }),
  };
  const anyOrigin = (reply: FastifyReply) => reply.header('Access-Control-Allow-Origin', '*');
  const oidc = (request: FastifyRequest, reply: FastifyReply) => {
    const { issuer, scopes } = request.resolvedServer!;
    return anyOrigin(reply)
      .header('Cache-Control', `max-age=${METADATA_MAX_AGE_SECONDS}`)
      .send(openIdConfiguration(issuer, scopes, features));
  };
  const oauth = (request: FastifyRequest, reply: FastifyReply) => {
    const { issuer, scopes } = request.resolvedServer!;
    return anyOrigin(reply)
      .header('Cache-Control', `max-age=${METADATA_MAX_AGE_SECONDS}`)
      .send(authorizationServerMetadata(issuer, scopes, features));
  };
  app.get('/oauth2/:serverId/.well-known/openid-configuration', oidc);
  app.get('/oauth2/:serverId/.well-known/oauth-authorization-server', oauth);
  app.get('/.well-known/oauth-authorization-server/oauth2/:serverId', oauth);
  app.get('/oauth2/:serverId/v1/keys', async (request, reply) => {
    const jwks = await ctx.deps.keys.jwks(request.resolvedServer!.server.id);
    return anyOrigin(reply)
      .header('Cache-Control', `max-age=${JWKS_MAX_AGE_SECONDS}, must-revalidate`)
      .send(jwks);
  });
  for (const path of [
    '/oauth2/:serverId/.well-known/openid-configuration',
    '/oauth2/:serverId/.well-known/oauth-authorization-server',
    '/oauth2/:serverId/v1/keys',
  ]) {
    app.options(path, (_request, reply) => anyOrigin(reply).status(204).headers(PREFLIGHT_HEADERS).send());
  }
}
