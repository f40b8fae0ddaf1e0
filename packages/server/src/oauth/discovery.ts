// OIDC Discovery 1.0 §3 and RFC 8414 §2 metadata, with the fields of OKTA-COMPAT §1.8. Endpoints live at
// `{issuer}/v1/<name>` whatever discovery says (okta-auth-js builds them itself), so both agree by construction.

import type { ScopeRow } from '../storage/store.ts';
import { ASSERTION_SIGNING_ALGS } from './client-assertion.ts';
import { GRANT_TYPES } from './grants/index.ts';
import { SUPPORTED_CHALLENGE_METHODS } from './pkce.ts';
import { GRANTABLE_RESERVED_SCOPES } from './scope.ts';

/** The one canonical issuer string for a server (OKTA-COMPAT §0.2): from configuration, no trailing slash. */
export function issuerFor(publicUrl: string, serverId: string): string {
  return `${publicUrl}/oauth2/${serverId}`;
}

/** `okta_post_message` and `web_message`: see web-message.ts (issue 12 §1). */
export const RESPONSE_MODES_SUPPORTED = ['query', 'form_post', 'okta_post_message', 'web_message'] as const;
export const TOKEN_ENDPOINT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
] as const;

const ID_TOKEN_CLAIMS = [
  'iss',
  'ver',
  'sub',
  'aud',
  'iat',
  'exp',
  'jti',
  'auth_time',
  'amr',
  'idp',
  'nonce',
  'name',
  'nickname',
  'preferred_username',
  'given_name',
  'middle_name',
  'family_name',
  'email',
  'email_verified',
  'profile',
  'zoneinfo',
  'locale',
  'address',
  'phone_number',
  'picture',
  'website',
  'gender',
  'birthdate',
  'updated_at',
  'at_hash',
];
const ACCESS_TOKEN_CLAIMS = ['ver', 'jti', 'iss', 'aud', 'iat', 'exp', 'cid', 'uid', 'scp', 'sub'];

/** Optional features an operator can turn on or off. */
export interface DiscoveryFeatures {
  /** draft-ietf-oauth-client-id-metadata-document §5: URL client ids are accepted. */
  clientIdMetadataDocuments?: boolean;
  /** RFC 7591 §3 / RFC 8414 §2: where clients register themselves. */
  registrationEndpoint?: string;
}

function commonMetadata(
  issuer: string,
  customScopes: readonly ScopeRow[],
  features: DiscoveryFeatures,
): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/v1/authorize`,
    token_endpoint: `${issuer}/v1/token`,
    jwks_uri: `${issuer}/v1/keys`,
    response_types_supported: ['code'],
    response_modes_supported: [...RESPONSE_MODES_SUPPORTED],
    grant_types_supported: [...GRANT_TYPES],
    subject_types_supported: ['public'],
    scopes_supported: [
      ...GRANTABLE_RESERVED_SCOPES,
      ...customScopes.filter((scope) => scope.metadataPublish === 'ALL_CLIENTS').map((scope) => scope.name),
    ],
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    // RFC 8414 §2: required when private_key_jwt is listed; never `none` or HMAC (RFC 7523 §3).
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_SIGNING_ALGS],
    introspection_endpoint: `${issuer}/v1/introspect`,
    introspection_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    introspection_endpoint_auth_signing_alg_values_supported: [...ASSERTION_SIGNING_ALGS],
    revocation_endpoint: `${issuer}/v1/revoke`,
    revocation_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    revocation_endpoint_auth_signing_alg_values_supported: [...ASSERTION_SIGNING_ALGS],
    end_session_endpoint: `${issuer}/v1/logout`,
    code_challenge_methods_supported: [...SUPPORTED_CHALLENGE_METHODS],
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    ...(features.registrationEndpoint === undefined
      ? {}
      : { registration_endpoint: features.registrationEndpoint }),
    ...(features.clientIdMetadataDocuments ? { client_id_metadata_document_supported: true } : {}),
  };
}

export function openIdConfiguration(
  issuer: string,
  customScopes: readonly ScopeRow[],
  features: DiscoveryFeatures = {},
): Record<string, unknown> {
  return {
    ...commonMetadata(issuer, customScopes, features),
    userinfo_endpoint: `${issuer}/v1/userinfo`,
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ID_TOKEN_CLAIMS,
  };
}

/** RFC 8414 metadata: access-token claims, no userinfo endpoint, no ID token algorithms (OKTA-COMPAT §1.8). */
export function authorizationServerMetadata(
  issuer: string,
  customScopes: readonly ScopeRow[],
  features: DiscoveryFeatures = {},
): Record<string, unknown> {
  return { ...commonMetadata(issuer, customScopes, features), claims_supported: ACCESS_TOKEN_CLAIMS };
}
