// RFC 6749 §3.3 (scope syntax), OIDC Core §5.4 (standard scopes), §11 (offline_access).

import type { ClientRow, ScopeRow } from '../storage/store.ts';
import { OAuthError } from './errors.ts';

export const RESERVED_SCOPES = [
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
  'groups',
  'device_sso',
] as const;

/** Scopes Latchkey can actually grant today (OKTA-COMPAT §2.5; `groups` and `device_sso` are not built). */
export const GRANTABLE_RESERVED_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
]);

export const MAX_SCOPE_LENGTH = 4096;

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export function parseScope(scope: string | undefined): string[] {
  if (scope === undefined || scope.trim() === '') {
    throw new OAuthError('invalid_scope', 'No scopes were requested.');
  }
  if (scope.length > MAX_SCOPE_LENGTH) {
    throw new OAuthError(
      'invalid_scope',
      `The 'scope' parameter is longer than ${MAX_SCOPE_LENGTH} characters.`,
    );
  }
  const tokens = scope.split(' ').filter((token) => token !== '');
  for (const token of tokens) {
    if (!SCOPE_TOKEN.test(token)) {
      throw new OAuthError(
        'invalid_scope',
        'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.',
        { cause: `malformed scope token ${JSON.stringify(token)}` },
      );
    }
  }
  return [...new Set(tokens)];
}

/**
 * Decides the granted scopes: every requested scope must be a reserved scope or one of the server's
 * custom scopes. `offline_access` is dropped unless the client may use the refresh grant (OKTA-COMPAT §2.5).
 */
export function grantScopes(
  requested: string[],
  client: ClientRow,
  customScopes: readonly ScopeRow[],
): string[] {
  const custom = new Set(customScopes.map((row) => row.name));
  const unknown = requested.filter((scope) => !GRANTABLE_RESERVED_SCOPES.has(scope) && !custom.has(scope));
  if (unknown.length > 0) {
    throw new OAuthError(
      'invalid_scope',
      `The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner. Unknown scopes: [${unknown.join(', ')}].`,
    );
  }
  return requested.filter(
    (scope) => scope !== 'offline_access' || client.grantTypes.includes('refresh_token'),
  );
}
