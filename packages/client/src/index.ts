// @latchkey/client: an OpenID Connect client for native and browser apps, built on web APIs only (fetch,
// WebCrypto), so it runs in Node 20+, browsers, Electron and React Native (with a WebCrypto polyfill).
// The Node-only loopback sign-in lives in '@latchkey/client/node'.

export {
  type AuthorizationRequest,
  type AuthorizationRequestOptions,
  createAuthorizationRequest,
} from './authorization-url.ts';
export { type AuthorizationResponse, parseCallback } from './callback.ts';
export { type AuthorizationServerMetadata, discover } from './discovery.ts';
export {
  type IdTokenFailureReason,
  IdTokenValidationError,
  IssuerMismatchError,
  LatchkeyClientError,
  NetworkError,
  OAuthResponseError,
  StateMismatchError,
  UnexpectedResponseError,
} from './errors.ts';
export { type FreshTokensOptions, getFreshTokens } from './fresh-tokens.ts';
export { type IdTokenClaims, type IdTokenValidationOptions, validateIdToken } from './id-token.ts';
export type { HttpOptions } from './internal/http.ts';
export { RemoteJwks, type RemoteJwksOptions } from './jwks.ts';
export { buildLogoutUrl, type LogoutUrlOptions } from './logout-url.ts';
export { computeCodeChallenge, generateCodeVerifier, generatePkce, type PkcePair } from './pkce.ts';
export { revokeToken } from './revocation.ts';
export {
  exchangeCode,
  refreshTokens,
  requestTokens,
  type TokenRequestOptions,
  type TokenSet,
} from './token-request.ts';
export { isAccessTokenExpired, MemoryTokenStore, type TokenStore } from './token-store.ts';
export { fetchUserInfo, type UserInfo } from './userinfo.ts';
