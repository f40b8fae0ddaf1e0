// OAuth 2.0 Web Message Response Mode (draft-sakimura-oauth-wmrm-00 §3, `web_message`) and Okta's
// `okta_post_message`: the authorization response is handed to the app's window with postMessage instead
// of a redirect, so a hidden iframe (okta-auth-js `getWithoutPrompt`, `renewTokens`) can renew tokens.
// Only the origin of the validated redirect_uri may receive it (wmrm §5: never "*").

import type { AuthorizationResponse } from './authorization-response.ts';
import type { ResponseMode } from './authorize.ts';
import { OAuthError } from './errors.ts';

export const WEB_MESSAGE_MODES = ['okta_post_message', 'web_message'] as const;
export type WebMessageMode = (typeof WEB_MESSAGE_MODES)[number];

export function isWebMessageMode(mode: ResponseMode): mode is WebMessageMode {
  return (WEB_MESSAGE_MODES as readonly string[]).includes(mode);
}

/**
 * The origin a web message may go to: the redirect URI's, which must be http(s). A private-use scheme has
 * the opaque origin "null", which postMessage cannot target, so such a request is refused (the error then
 * goes to the redirect URI in query mode).
 */
export function webMessageTargetOrigin(redirectUri: string, mode: WebMessageMode): string {
  let url: URL | undefined;
  try {
    url = new URL(redirectUri);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new OAuthError(
      'unsupported_response_mode',
      `The response mode '${mode}' needs an http or https redirect_uri (its origin receives the message); use response_mode=query for this redirect URI.`,
    );
  }
  return url.origin;
}

export interface WebMessage {
  /** The only origin the browser may deliver the message to (postMessage's targetOrigin). */
  targetOrigin: string;
  /** What the app's window receives as `event.data`. */
  data: Record<string, unknown>;
}

/**
 * okta_post_message: the parameters themselves, `{code, state, iss}` or `{error, error_description, state,
 * iss}`, as okta-auth-js reads them (it matches `data.state` and checks `event.origin` is the issuer's).
 * web_message: `{type: "authorization_response", response: {…}}` (wmrm §3.1).
 */
export function buildWebMessage(response: AuthorizationResponse, mode: WebMessageMode): WebMessage {
  const params = Object.fromEntries(response.params);
  const targetOrigin = webMessageTargetOrigin(response.redirectUri, mode);
  if (mode === 'web_message') {
    return { targetOrigin, data: { type: 'authorization_response', response: params } };
  }
  return { targetOrigin, data: params };
}
