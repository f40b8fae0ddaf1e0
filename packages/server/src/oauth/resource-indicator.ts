// RFC 8707 (resource indicators): `resource` at /authorize and /token names the protected resource a token
// is for, and becomes its `aud`. A server's audience is its default resource and always allowed; any other
// must be declared on the server. One resource per request (our decision: a token has one `aud` string,
// OKTA-COMPAT §2.3), so a grant never covers more than one resource.

import type { AuthorizationServerRow } from '../storage/store.ts';
import { OAuthError } from './errors.ts';
import type { ParameterBag } from './params.ts';

export const MAX_RESOURCE_LENGTH = 2048;
export const MAX_RESOURCES = 50;

/** Why `uri` cannot be a resource indicator (RFC 8707 §2), or undefined when it can. */
export function resourceUriProblem(uri: string): string | undefined {
  if (uri.length > MAX_RESOURCE_LENGTH) return `is longer than ${MAX_RESOURCE_LENGTH} characters`;
  // RFC 8707 §2: "MUST be an absolute URI, as specified by Section 4.3 of [RFC3986]".
  if (!URL.canParse(uri) || /\s/.test(uri)) return 'is not an absolute URI (e.g. https://api.example.com/)';
  // RFC 8707 §2: "MUST NOT include a fragment component".
  if (uri.includes('#')) return 'has a fragment (#...); a resource URI must not have one';
  return undefined;
}

function howToDeclare(server: Pick<AuthorizationServerRow, 'id'>): string {
  return `Declare it on the authorization server '${server.id}' (console: Authorization servers > ${server.id} > Settings > Resources, or 'resources' in PUT /api/v1/authorizationServers/${server.id}).`;
}

/**
 * A client's value quoted in an error_description: RFC 6749 §5.2 allows only %x20-21 / %x23-5B / %x5D-7E
 * there, so anything else shows as '?', and a long value is cut.
 */
function shown(value: string): string {
  const clipped = value.length > 200 ? `${value.slice(0, 200)}...` : value;
  return clipped.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?');
}

/**
 * The resource a request asks for, if any: declared on the server, or `invalid_target` (RFC 8707 §2:
 * "the requested resource is invalid, missing, unknown, or malformed") saying what to change.
 */
export function requestedResource(
  params: ParameterBag,
  server: Pick<AuthorizationServerRow, 'id' | 'audience' | 'resources'>,
): string | undefined {
  if (params.repeated.has('resource')) {
    throw new OAuthError(
      'invalid_target',
      "Only one 'resource' parameter is supported per request: a token is issued for one resource. Ask for each resource with its own request.",
    );
  }
  const resource = params.get('resource');
  if (resource === undefined) return undefined;
  if (resource === server.audience || server.resources.includes(resource)) return resource;
  const problem = resourceUriProblem(resource);
  if (problem !== undefined) {
    throw new OAuthError('invalid_target', `The 'resource' parameter ${problem}.`, {
      cause: `malformed resource ${JSON.stringify(resource.slice(0, 200))}`,
    });
  }
  throw new OAuthError(
    'invalid_target',
    `The resource '${shown(resource)}' is unknown to this authorization server. ${howToDeclare(server)}`,
  );
}

/**
 * The resource of a token request for an existing grant (code or refresh token): the grant's, repeated or
 * left out. Another one would widen the grant (RFC 8707 §2.2: the request may only narrow it).
 */
export function resourceWithinGrant(
  params: ParameterBag,
  server: Pick<AuthorizationServerRow, 'id' | 'audience' | 'resources'>,
  granted: string | null,
): string | null {
  const asked = requestedResource(params, server);
  if (asked === undefined || asked === (granted ?? server.audience)) return granted;
  throw new OAuthError(
    'invalid_target',
    `The resource '${shown(asked)}' was not part of the authorization grant, which is for '${shown(granted ?? server.audience)}'. Ask for it with 'resource' at /authorize.`,
  );
}

/** Checks a server's declared resources (admin API, console); returns them without repeats. */
export function checkDeclaredResources(
  resources: readonly string[],
): { resources: string[] } | { problem: string } {
  if (resources.length > MAX_RESOURCES) return { problem: `Declare at most ${MAX_RESOURCES} resources.` };
  for (const resource of resources) {
    const problem = resourceUriProblem(resource);
    if (problem !== undefined) return { problem: `Resource "${resource.slice(0, 200)}" ${problem}.` };
  }
  return { resources: [...new Set(resources)] };
}
