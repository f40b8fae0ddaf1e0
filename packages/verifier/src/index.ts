// @latchkey/verifier: access-token verification for resource servers of a Latchkey (or Okta)
// authorization server. Framework adapters: '@latchkey/verifier/fastify', '@latchkey/verifier/express'.

export { authenticateBearer, type BearerOptions, type BearerOutcome } from './bearer.ts';
export type { AccessTokenClaims } from './claims.ts';
export {
  InsufficientScopeError,
  IntrospectionUnavailableError,
  InvalidTokenError,
  type InvalidTokenReason,
  JwksUnavailableError,
  VerifierUnavailableError,
} from './errors.ts';
export type { IntrospectionOptions } from './introspection.ts';
export { freshnessLifetime, JwksCache, type JwksCacheOptions, type KeySetSnapshot } from './jwks-cache.ts';
export {
  metadataPath,
  type ProtectedResourceMetadata,
  type ProtectedResourceMetadataMembers,
  type ResolvedResourceMetadata,
  type ResourceMetadataOptions,
  resolveResourceMetadata,
} from './resource-metadata.ts';
export {
  createVerifier,
  defaultJwksUri,
  type Verifier,
  type VerifierOptions,
  type VerifyOptions,
  verifyAccessToken,
} from './verifier.ts';
