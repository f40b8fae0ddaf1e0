// OAuth 2.0 Protected Resource Metadata (RFC 9728) for the framework adapters: the document a client reads
// to learn which authorization server issues tokens for this API, and the URL the 401/403 challenges name
// in `resource_metadata` (§5.1). Framework-free: fastify.ts and express.ts serve what this builds.

import type { Verifier } from './verifier.ts';

/** RFC 9728 §2 members a resource server may set; `resource` comes from the `resource` option. */
export interface ProtectedResourceMetadataMembers {
  /** Default: the verifier's issuer (§2: the issuers whose tokens this resource accepts). */
  authorization_servers?: readonly string[];
  /** The scopes clients may request for this API (RECOMMENDED by §2). */
  scopes_supported?: readonly string[];
  /** Human-readable name (§2). */
  resource_name?: string;
  /** A page for developers (§2). */
  resource_documentation?: string;
  resource_policy_uri?: string;
  resource_tos_uri?: string;
  /** Any other registered member (§8.2), served as given. */
  [member: string]: unknown;
}

export interface ProtectedResourceMetadata extends ProtectedResourceMetadataMembers {
  resource: string;
  authorization_servers: readonly string[];
  bearer_methods_supported: readonly string[];
}

export interface ResourceMetadataOptions {
  /** The resource identifier (RFC 9728 §1.2), e.g. https://api.example.com. Nothing is served without it. */
  resource?: string | undefined;
  /** Extra metadata members, or `false` to serve no metadata and name none in challenges. */
  resourceMetadata?: ProtectedResourceMetadataMembers | false | undefined;
}

export interface ResolvedResourceMetadata {
  /** The path this server answers at, e.g. /.well-known/oauth-protected-resource/v1. */
  path: string;
  /** The absolute URL of the document, sent in `resource_metadata`. */
  url: string;
  document: ProtectedResourceMetadata;
}

const WELL_KNOWN = '/.well-known/oauth-protected-resource';
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The metadata to serve, or undefined when the adapter has no `resource` or metadata is turned off. */
export function resolveResourceMetadata(
  verifier: Verifier,
  options: ResourceMetadataOptions,
): ResolvedResourceMetadata | undefined {
  const { resource, resourceMetadata } = options;
  if (resourceMetadata === false) return undefined;
  if (resource === undefined) {
    if (resourceMetadata !== undefined) {
      throw new TypeError(
        'resourceMetadata needs the resource identifier too: add resource: "https://api.example.com".',
      );
    }
    return undefined;
  }
  const url = resourceUrl(resource);
  const path = metadataPath(url);
  // §2: `bearer_methods_supported` lists how tokens may be sent; the adapters read only the header.
  const document: ProtectedResourceMetadata = {
    authorization_servers: [verifier.issuer],
    ...resourceMetadata,
    resource,
    bearer_methods_supported: ['header'],
  };
  return { path, url: `${url.origin}${path}`, document };
}

/**
 * §1.2: the resource identifier is an https URL with no fragment (MUST) and no query (SHOULD; and a query
 * could not be routed); http is accepted on loopback hosts, for development. §3.3: clients compare
 * `resource` with the identifier they used, so it is served exactly as given.
 */
function resourceUrl(resource: string): URL {
  const url = URL.canParse(resource) ? new URL(resource) : undefined;
  const secure = url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (url === undefined || !secure || resource.includes('#') || resource.includes('?')) {
    throw new TypeError(
      `resource must be an https URL without a query or fragment (e.g. https://api.example.com), got ${JSON.stringify(resource)}.`,
    );
  }
  return url;
}

/**
 * §3.1: `/.well-known/oauth-protected-resource` goes between the host and the resource's path, a
 * terminating slash after the host removed: https://api.example.com/v1 → /.well-known/…/v1.
 */
export function metadataPath(resource: URL): string {
  return resource.pathname === '/' ? WELL_KNOWN : `${WELL_KNOWN}${resource.pathname}`;
}

/** The root form, also answered when the resource has a path (for clients that only try that one). */
export const ROOT_METADATA_PATH = WELL_KNOWN;

/** The response headers of the document: public, cacheable, readable from browser-based clients. */
export const METADATA_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'max-age=300',
  'access-control-allow-origin': '*',
};
