// Delivers an authorization response (RFC 6749 §4.1.2): a real HTTP redirect, never script, so private-use
// schemes work from Chrome Custom Tabs (OKTA-COMPAT §4); or the Form Post Response Mode page; or the web
// message page (okta_post_message, web_message: src/oauth/web-message.ts), framable by the app's origin only.

import type { FastifyReply } from 'fastify';
import { type AuthorizationResponse, responseLocation } from '../../oauth/authorization-response.ts';
import { buildWebMessage, isWebMessageMode } from '../../oauth/web-message.ts';
import { renderFormPostPage } from '../../ui/form-post-page.tsx';
import { renderWebMessagePage } from '../../ui/web-message-page.tsx';
import { generateNonce, sendHtml } from '../security-headers.ts';

/** 302 from GET /authorize; 303 after a form POST so the browser never re-POSTs to the app (AC-07). */
export function sendAuthorizationResponse(
  reply: FastifyReply,
  response: AuthorizationResponse,
  status: 302 | 303,
): FastifyReply {
  const mode = response.responseMode;
  if (mode === 'form_post') {
    const nonce = generateNonce();
    return sendHtml(
      reply,
      200,
      renderFormPostPage({
        action: response.redirectUri,
        fields: Object.fromEntries(response.params),
        nonce,
      }),
      nonce,
    );
  }
  if (isWebMessageMode(mode)) {
    const nonce = generateNonce();
    const { targetOrigin, data } = buildWebMessage(response, mode);
    // Only the app's origin may frame the page (WM-02): no other site can load it hidden and watch it.
    return sendHtml(reply, 200, renderWebMessagePage({ targetOrigin, data, nonce }), nonce, {
      frameAncestor: targetOrigin,
    });
  }
  return reply
    .status(status)
    .header('Cache-Control', 'no-store')
    .header('Location', responseLocation(response))
    .send();
}
