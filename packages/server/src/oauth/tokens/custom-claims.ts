// Custom claims of an authorization server (OKTA-COMPAT §7.2): RESOURCE claims go into access tokens,
// IDENTITY claims into ID tokens. Values use a deliberately tiny expression language, a known dotted path
// or a quoted string literal, matched by shape and never evaluated as code. A custom claim can never
// replace a claim the token already defines (RFC 7519 §4.1, RFC 9068 §2.2, OIDC Core §2).

import type { ClaimRow, ClaimType, ClientRow, UserRow } from '../../storage/store.ts';

/** Claims Latchkey sets itself (or may set) in its tokens; no custom claim may take these names. */
export const REGISTERED_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'cid',
  'uid',
  'scp',
  'ver',
  'auth_time',
  'nonce',
  'at_hash',
  'c_hash',
  'amr',
  'idp',
  'azp',
  'acr',
  'sid',
]);

export interface ClaimContext {
  /** Undefined for tokens without a user (client credentials): its claims are then left out. */
  user: Pick<UserRow, 'email' | 'login' | 'name' | 'givenName' | 'familyName'> | undefined;
  client: Pick<ClientRow, 'clientId'>;
}

const PATHS: Readonly<Record<string, (context: ClaimContext) => string | null>> = {
  'user.email': ({ user }) => user?.email ?? null,
  'user.login': ({ user }) => user?.login ?? null,
  'user.name': ({ user }) => user?.name ?? null,
  'user.firstName': ({ user }) => user?.givenName ?? null,
  'user.lastName': ({ user }) => user?.familyName ?? null,
  'app.clientId': ({ client }) => client.clientId,
};

export const CLAIM_PATHS: readonly string[] = Object.keys(PATHS);

// A literal in double or single quotes, without backslashes or its own quote inside: no escapes to interpret.
const LITERAL = /^(?:"([^"\\]{0,1024})"|'([^'\\]{0,1024})')$/;

export type ClaimExpression = { kind: 'path'; path: string } | { kind: 'literal'; value: string };

/** The expression, or undefined when it is anything but a known path or a plain string literal. */
export function parseClaimExpression(text: string): ClaimExpression | undefined {
  const trimmed = text.trim();
  if (Object.hasOwn(PATHS, trimmed)) return { kind: 'path', path: trimmed };
  const literal = LITERAL.exec(trimmed);
  if (literal !== null) return { kind: 'literal', value: literal[1] ?? literal[2] ?? '' };
  return undefined;
}

function evaluate(expression: ClaimExpression, context: ClaimContext): string | null {
  if (expression.kind === 'literal') return expression.value;
  return PATHS[expression.path]?.(context) ?? null;
}

/**
 * The custom claims of one type for a token granting `scopes`: ACTIVE claims whose scope condition is met
 * (or that have none). Latchkey always issues an access token alongside an ID token, so, as at Okta, an
 * IDENTITY claim with `alwaysIncludeInToken: false` is left out of the ID token. A value that evaluates to
 * nothing (a user without a last name) leaves the claim out.
 */
export function customClaims(
  claims: readonly ClaimRow[],
  claimType: ClaimType,
  scopes: readonly string[],
  context: ClaimContext,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const claim of claims) {
    if (claim.status !== 'ACTIVE' || claim.claimType !== claimType) continue;
    if (claimType === 'IDENTITY' && !claim.alwaysIncludeInToken) continue;
    if (claim.scopes.length > 0 && !claim.scopes.some((scope) => scopes.includes(scope))) continue;
    if (REGISTERED_CLAIMS.has(claim.name)) continue;
    const expression = parseClaimExpression(claim.value);
    const value = expression === undefined ? null : evaluate(expression, context);
    if (value !== null) out[claim.name] = value;
  }
  return out;
}
