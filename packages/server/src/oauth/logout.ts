// OpenID Connect RP-Initiated Logout 1.0 §2 (request: id_token_hint, client_id, post_logout_redirect_uri,
// state, logout_hint), §3 (redirect only to a registered URI, state echoed), §6 (confirm with the user when
// the request may not come from the RP). Okta's behaviour: OKTA-COMPAT §1.7. No HTTP here.

import type { Deps } from '../deps.ts';
import type { ClientRow, SessionRow } from '../storage/store.ts';
import { OAuthError } from './errors.ts';
import { verifyIdTokenHint } from './id-token-hint.ts';
import { optional, type ParameterBag, REPEATED_PARAMETER_DESCRIPTION } from './params.ts';
import { describeRedirectUriMismatch, matchRedirectUri } from './redirect-uri.ts';

export const UNREGISTERED_LOGOUT_URI =
  "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.";
export const HINT_DOES_NOT_MATCH_SESSION = "The ID token subject does not match the current session's user.";

const SINGLE_VALUED = ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state'] as const;

/** A validated logout request: who asked, and where the browser goes afterwards. */
export interface LogoutRequest {
  /** The app the hint was issued to, or the one `client_id` names; undefined with neither. */
  client: ClientRow | undefined;
  /** The hint's `sub`, when a valid hint came with the request. */
  hintSubject: string | undefined;
  /** The registered URI the request named, exactly as sent. */
  postLogoutRedirectUri: string | undefined;
  /** Echoed exactly when sent (§3); okta-mobile-kotlin and -swift compare it. */
  state: string | undefined;
  /** `postLogoutRedirectUri` with `state` appended; undefined: show the signed-out page. */
  redirectTo: string | undefined;
  /**
   * §6: without a valid hint nothing proves that the RP sent the request (a cross-site link could), so
   * the user confirms before the session ends (LO-04).
   */
  needsConfirmation: boolean;
}

export interface LogoutUriMismatch {
  received: string;
  registered: string[];
  closest?: string | undefined;
  difference?: string | undefined;
}

export type LogoutValidation =
  | ({ kind: 'valid' } & LogoutRequest)
  | { kind: 'error'; error: OAuthError; client?: ClientRow; mismatch?: LogoutUriMismatch };

/**
 * Validates a logout request. Every failure is shown on an error page, never redirected: until the URI
 * is checked against the app's registration it may point anywhere (RFC 9700 §4.11.2, LO-02).
 */
export async function validateLogoutRequest(
  deps: Pick<Deps, 'store' | 'keys'>,
  server: { server: { id: string }; issuer: string },
  params: ParameterBag,
  session: SessionRow | undefined,
): Promise<LogoutValidation> {
  const repeated = SINGLE_VALUED.filter((name) => params.repeated.has(name));
  if (repeated.length > 0) {
    return {
      kind: 'error',
      error: new OAuthError('invalid_request', REPEATED_PARAMETER_DESCRIPTION, {
        cause: `repeated: ${repeated.join(', ')}`,
      }),
    };
  }
  const hint = optional(params, 'id_token_hint');
  const clientId = optional(params, 'client_id');
  const uri = optional(params, 'post_logout_redirect_uri');
  const state = optional(params, 'state');
  // `logout_hint` (sent by okta-mobile-swift) is accepted and ignored: the session cookie decides.

  let client: ClientRow | undefined;
  let hintSubject: string | undefined;
  if (hint !== undefined) {
    // Signed by this server's keys, RS256, this issuer; an expired hint we issued is accepted (§2).
    const payload = await verifyIdTokenHint(deps, server, hint);
    const audience = payload === undefined ? undefined : hintAudience(payload.aud, payload['azp']);
    if (payload === undefined || audience === undefined) {
      return {
        kind: 'error',
        error: new OAuthError(
          'invalid_request',
          "The 'id_token_hint' is not a valid ID token issued by this authorization server.",
        ),
      };
    }
    // §2: "the OP MUST verify that it was the party that issued the ID Token" for this client_id.
    if (clientId !== undefined && clientId !== audience) {
      return {
        kind: 'error',
        error: new OAuthError(
          'invalid_request',
          "The 'client_id' does not match the app the 'id_token_hint' was issued to.",
          { cause: `client_id ${clientId}, hint audience ${audience}` },
        ),
      };
    }
    client = await deps.store.clients.get(audience);
    if (client === undefined) {
      return {
        kind: 'error',
        error: new OAuthError(
          'invalid_client',
          "The app the 'id_token_hint' was issued to no longer exists.",
          {
            status: 400,
          },
        ),
      };
    }
    hintSubject = payload.sub;
    // OKTA-COMPAT §1.7: the hint must describe the signed-in user; the session is kept otherwise.
    if (session !== undefined && session.userId !== hintSubject) {
      return {
        kind: 'error',
        client,
        error: new OAuthError('id_token_does_not_match_session', HINT_DOES_NOT_MATCH_SESSION),
      };
    }
  } else if (clientId !== undefined) {
    client = await deps.store.clients.get(clientId);
    if (client === undefined) {
      return {
        kind: 'error',
        // An error page is HTTP 400 (SECURITY-MATRIX §2), not the token endpoint's 401.
        error: new OAuthError('invalid_client', "Invalid value for 'client_id' parameter.", { status: 400 }),
      };
    }
  }

  if (uri === undefined) {
    return {
      kind: 'valid',
      client,
      hintSubject,
      postLogoutRedirectUri: undefined,
      state,
      redirectTo: undefined,
      needsConfirmation: hint === undefined,
    };
  }
  if (client === undefined) {
    return {
      kind: 'error',
      error: new OAuthError(
        'invalid_request',
        "The 'post_logout_redirect_uri' cannot be checked without an 'id_token_hint' or a 'client_id' naming the app.",
      ),
    };
  }
  // Exact string comparison, no loopback port exception: sign-out URIs are registered exactly (rule 1).
  if (matchRedirectUri(uri, client.postLogoutRedirectUris, { loopbackAnyPort: false }) === undefined) {
    return {
      kind: 'error',
      client,
      error: new OAuthError('invalid_request', UNREGISTERED_LOGOUT_URI, {
        cause: `${uri} is not a sign-out URI of ${client.clientId}`,
      }),
      mismatch: {
        received: uri,
        registered: client.postLogoutRedirectUris,
        ...describeRedirectUriMismatch(uri, client.postLogoutRedirectUris),
      },
    };
  }
  return {
    kind: 'valid',
    client,
    hintSubject,
    postLogoutRedirectUri: uri,
    state,
    redirectTo: appendState(uri, state),
    needsConfirmation: hint === undefined,
  };
}

/** §3: `state` is passed back exactly when the RP sent it; the registered URI's own query is kept. */
export function appendState(uri: string, state: string | undefined): string {
  if (state === undefined) return uri;
  return `${uri}${uri.includes('?') ? '&' : '?'}${new URLSearchParams({ state })}`;
}

/** The client an ID token was issued to: `aud`, or `azp` when `aud` is an array (OIDC Core §2). */
function hintAudience(aud: unknown, azp: unknown): string | undefined {
  if (typeof aud === 'string') return aud;
  if (Array.isArray(aud) && typeof azp === 'string' && aud.includes(azp)) return azp;
  return undefined;
}
