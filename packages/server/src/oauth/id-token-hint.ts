// OIDC Core §3.1.2.1 `id_token_hint` (and RP-Initiated Logout §2): a hint must be an ID token this server
// signed (RS256 only, JW-01/JW-02; no embedded keys, JW-03). An expired hint we issued still identifies
// its user, so `exp` is not checked here.

import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { Deps } from '../deps.ts';
import type { SessionRow } from '../storage/store.ts';
import { OAuthError } from './errors.ts';

export async function verifyIdTokenHint(
  deps: Pick<Deps, 'keys'>,
  server: { server: { id: string }; issuer: string },
  hint: string,
): Promise<JWTPayload | undefined> {
  try {
    const jwks = createLocalJWKSet(await deps.keys.jwks(server.server.id));
    const { payload } = await jwtVerify(hint, jwks, {
      issuer: server.issuer,
      algorithms: ['RS256'],
      // Accept expired hints: verify as of the epoch, so `exp` always lies in the future.
      currentDate: new Date(0),
    });
    return typeof payload.sub === 'string' ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** With a hint, the session must belong to the hint's user; otherwise the user has to sign in (ID-04). */
export async function checkIdTokenHint(
  deps: Pick<Deps, 'keys'>,
  server: { server: { id: string }; issuer: string },
  hint: string,
  session: SessionRow | undefined,
): Promise<void> {
  const payload = await verifyIdTokenHint(deps, server, hint);
  if (payload === undefined) {
    throw new OAuthError(
      'login_required',
      "The 'id_token_hint' is not a valid ID token issued by this authorization server.",
    );
  }
  if (session !== undefined && session.userId !== payload.sub) {
    throw new OAuthError(
      'login_required',
      "The 'id_token_hint' names a different user than the current session.",
    );
  }
}
