// draft-ietf-oauth-client-id-metadata-document §4 (the document: RFC 7591 §2 client metadata) and §6
// (security: no shared secrets). Turns a fetched document into the same ClientRow a registered app has.

import type { ClientRow, TokenEndpointAuthMethod } from '../../storage/store.ts';
import { jwksProblem } from '../client-key-sets.ts';
import { checkRedirectUriRegistration } from '../redirect-uri.ts';

/** The document's fields Latchkey keeps (the rest is ignored, as RFC 7591 §2 allows). */
export interface ClientMetadataDocument {
  client_id: string;
  redirect_uris: string[];
  token_endpoint_auth_method: 'none' | 'private_key_jwt';
  grant_types: string[];
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  /** private_key_jwt: the client's public JWK Set as JSON text (RFC 7591 §2 `jwks`). */
  jwks?: string;
}

const MAX_NAME_LENGTH = 100;
const ALLOWED_GRANTS = new Set(['authorization_code', 'refresh_token']);

/** Returns the document's validated fields, or the first reason it is refused (in words to act on). */
export function validateClientMetadataDocument(
  clientId: string,
  body: unknown,
): { document: ClientMetadataDocument } | { problem: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problem: 'the document is not a JSON object.' };
  }
  const doc = body as Record<string, unknown>;
  // §4.1: the authorization server MUST check that the document's client_id is the URL, exactly.
  if (doc['client_id'] !== clientId) {
    return { problem: `the document's client_id must be exactly ${clientId}.` };
  }
  // §4.1 and §6: a document is public; it MUST NOT carry a shared secret or use a secret-based method.
  if ('client_secret' in doc || 'client_secret_expires_at' in doc) {
    return { problem: 'the document must not contain a client_secret (it is public).' };
  }
  const method = doc['token_endpoint_auth_method'] ?? 'none';
  if (typeof method !== 'string' || !isDocumentAuthMethod(method)) {
    return {
      problem: `token_endpoint_auth_method ${JSON.stringify(method)} is not allowed; use none or private_key_jwt (shared secrets cannot be published).`,
    };
  }
  const redirectUris = doc['redirect_uris'];
  if (
    !Array.isArray(redirectUris) ||
    redirectUris.length === 0 ||
    redirectUris.some((u) => typeof u !== 'string')
  ) {
    return { problem: 'redirect_uris must be a non-empty array of strings.' };
  }
  for (const uri of redirectUris as string[]) {
    // The same rules as a registered native app (RFC 8252 §7, RFC 9700 §2.6).
    const problem = checkRedirectUriRegistration(uri, 'native');
    if (problem !== undefined) return { problem: `redirect URI "${uri.slice(0, 200)}" ${problem}` };
  }
  const grantTypes = doc['grant_types'] ?? ['authorization_code'];
  if (!Array.isArray(grantTypes) || grantTypes.some((g) => typeof g !== 'string' || !ALLOWED_GRANTS.has(g))) {
    return { problem: 'grant_types may only contain authorization_code and refresh_token.' };
  }
  const responseTypes = doc['response_types'];
  if (
    responseTypes !== undefined &&
    (!Array.isArray(responseTypes) || responseTypes.some((t) => t !== 'code'))
  ) {
    return { problem: 'response_types may only contain code.' };
  }
  const document: ClientMetadataDocument = {
    client_id: clientId,
    redirect_uris: [...new Set(redirectUris as string[])],
    token_endpoint_auth_method: method,
    grant_types: [...new Set(grantTypes as string[])],
  };
  if (method === 'private_key_jwt') {
    // The keys come inline: a `jwks_uri` would be a second outbound fetch that a stranger chooses, outside
    // the one hardened fetch of the document itself.
    if (doc['jwks_uri'] !== undefined) {
      return {
        problem: 'jwks_uri is not fetched for metadata-document clients; put the public keys inline as jwks.',
      };
    }
    const problem = doc['jwks'] === undefined ? 'is missing' : jwksProblem(JSON.stringify(doc['jwks']));
    if (problem !== undefined)
      return { problem: `private_key_jwt needs the public keys as jwks: the JWK Set ${problem}.` };
    document.jwks = JSON.stringify(doc['jwks']);
  }
  const name = doc['client_name'];
  if (name !== undefined) {
    if (typeof name !== 'string' || name.trim() === '' || name.trim().length > MAX_NAME_LENGTH) {
      return { problem: `client_name must be a string of 1-${MAX_NAME_LENGTH} characters.` };
    }
    document.client_name = name.trim();
  }
  for (const field of ['client_uri', 'logo_uri'] as const) {
    const value = doc[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !value.startsWith('https://') || !URL.canParse(value)) {
      return { problem: `${field} must be an https URL.` };
    }
    document[field] = value;
  }
  return { document };
}

function isDocumentAuthMethod(
  method: string,
): method is ClientMetadataDocument['token_endpoint_auth_method'] {
  return method === 'none' || method === 'private_key_jwt';
}

/**
 * The one place that decides how a metadata-document client authenticates at the token endpoint: `none`
 * (a public client, PKCE) or `private_key_jwt` (RFC 7523, with the document's inline `jwks`).
 */
export function documentAuthMethod(document: ClientMetadataDocument): TokenEndpointAuthMethod {
  return document.token_endpoint_auth_method;
}

/** The app a document describes: a native public client, asked for consent every time (never trusted). */
export function clientFromDocument(document: ClientMetadataDocument, fetchedAt: number): ClientRow {
  const host = new URL(document.client_id).host;
  return {
    clientId: document.client_id,
    name: document.client_name ?? host,
    applicationType: 'native',
    tokenEndpointAuthMethod: documentAuthMethod(document),
    clientSecretHash: null,
    jwks: document.jwks ?? null,
    jwksUri: null,
    // Not the document's logo: an unverified app must not borrow a trusted brand on the sign-in page.
    logoUri: null,
    redirectUris: document.redirect_uris,
    postLogoutRedirectUris: [],
    // authorization_code is implied, as for registered apps.
    grantTypes: [...new Set(['authorization_code', ...document.grant_types])],
    // SECURITY-MATRIX rule 2: PKCE on every public client.
    pkceRequired: true,
    // RFC 8252 §7.3: native clients listen on a loopback port chosen at run time.
    loopbackAnyPort: true,
    // An unverified app is never trusted: the user is asked (and, as a native app, asked every time, LG-12).
    consentMethod: 'REQUIRED',
    // SECURITY-MATRIX rule 3: public clients' refresh tokens rotate.
    refreshRotation: 'ROTATE',
    refreshLeewaySeconds: 30,
    status: 'ACTIVE',
    createdAt: fetchedAt,
    updatedAt: fetchedAt,
  };
}
