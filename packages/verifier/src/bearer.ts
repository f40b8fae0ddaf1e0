// RFC 6750 for the framework adapters: read `Authorization: Bearer`, verify, and turn every outcome into
// the status, WWW-Authenticate challenge and JSON body a resource server sends (§3, §3.1).
// - no Bearer credentials: 401 `Bearer realm="…"` with no error code (§3.1);
// - a malformed Authorization header: 400 `invalid_request`;
// - with a resource metadata URL, every challenge carries `resource_metadata` (RFC 9728 §5.1);
// - an invalid token: 401 `invalid_token`; missing scopes: 403 `insufficient_scope` with `scope`;
// - keys or introspection unavailable: 503 without a challenge, so clients keep their tokens.

import type { AccessTokenClaims } from './claims.ts';
import { InsufficientScopeError, InvalidTokenError, VerifierUnavailableError } from './errors.ts';
import type { Verifier, VerifyOptions } from './verifier.ts';

export interface BearerOptions extends VerifyOptions {
  /** The `realm` of the challenge. Default "api". */
  realm?: string | undefined;
  /**
   * The URL of this API's protected resource metadata (RFC 9728 §5.1): when set, every challenge names it
   * in `resource_metadata`, and 401s name the route's required scopes in `scope` (RFC 6750 §3), so that a
   * client can find the authorization server and ask for the right token.
   */
  resourceMetadataUrl?: string | undefined;
}

export type BearerOutcome =
  | { ok: true; claims: AccessTokenClaims }
  | {
      ok: false;
      status: 400 | 401 | 403 | 503;
      headers: Record<string, string>;
      body: { error?: string; error_description: string };
      /** What went wrong, for the server log (never sent). */
      error: Error | undefined;
    };

// RFC 7235 §2.1 token68.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** Verifies the request's Bearer token; unexpected errors (bugs) are thrown, everything else answered. */
export async function authenticateBearer(
  verifier: Verifier,
  authorization: string | readonly string[] | undefined,
  options: BearerOptions = {},
): Promise<BearerOutcome> {
  const realm = options.realm ?? 'api';
  const base: [string, string][] = [['realm', realm]];
  if (options.resourceMetadataUrl !== undefined)
    base.push(['resource_metadata', options.resourceMetadataUrl]);
  const required = options.requiredScopes ?? [];
  // RFC 6750 §3: `scope` tells the client what to ask for; on a 401 only with metadata (the old answer
  // without it is kept byte for byte), on a 403 always.
  const scopeOn401: [string, string][] =
    options.resourceMetadataUrl !== undefined && required.length > 0 ? [['scope', required.join(' ')]] : [];
  const header = typeof authorization === 'string' ? authorization.trim() : authorization;
  if (
    header === undefined ||
    header === '' ||
    (typeof header === 'string' && !/^Bearer(\s|$)/i.test(header))
  ) {
    // §3.1: a request without (Bearer) authentication gets a challenge with no error code.
    return failure(
      401,
      [...base, ...scopeOn401],
      'An access token is required: send Authorization: Bearer <token>.',
    );
  }
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  if (match?.[1] === undefined) {
    const description = "The Authorization header must be exactly one 'Bearer <token>'.";
    return failure(400, challenge(base, 'invalid_request', description), description, 'invalid_request');
  }
  try {
    const claims = await verifier.verifyAccessToken(match[1], options);
    return { ok: true, claims };
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      return failure(
        401,
        [...challenge(base, 'invalid_token', error.message), ...scopeOn401],
        error.message,
        'invalid_token',
        error,
      );
    }
    if (error instanceof InsufficientScopeError) {
      const scope = error.requiredScopes.join(' ');
      return failure(
        403,
        [...challenge(base, 'insufficient_scope', error.message), ['scope', scope]],
        error.message,
        'insufficient_scope',
        error,
      );
    }
    if (error instanceof VerifierUnavailableError) {
      const description = 'The API cannot verify access tokens right now; try again later.';
      return failure(503, [], description, 'temporarily_unavailable', error);
    }
    throw error;
  }
}

function challenge(base: [string, string][], error: string, description: string): [string, string][] {
  return [...base, ['error', error], ['error_description', description]];
}

function failure(
  status: 400 | 401 | 403 | 503,
  params: [string, string][],
  description: string,
  error?: string,
  cause?: Error,
): BearerOutcome & { ok: false } {
  const rendered = params.map(([name, value]) => `${name}="${quotable(value)}"`).join(', ');
  return {
    ok: false,
    status,
    headers: {
      ...(params.length === 0 ? {} : { 'www-authenticate': `Bearer ${rendered}` }),
      'cache-control': 'no-store',
    },
    body:
      error === undefined ? { error_description: description } : { error, error_description: description },
    error: cause,
  };
}

/** RFC 6750 §3: attribute values are %x20-21 / %x23-5B / %x5D-7E (no `"`, no `\`). */
function quotable(value: string): string {
  return value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, "'");
}
