// Forms on the hosted pages (sign-in, consent, sign-out) accept only same-origin posts (SECURITY-MATRIX
// LG-01, LO-04): refused before any credential or decision is looked at.

import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { OAuthError } from '../oauth/errors.ts';
import { sendErrorPage } from './error-response.ts';

/**
 * Browsers send `Origin: null` on our own forms (the pages are `Referrer-Policy: no-referrer`), so only
 * another origin, or `Sec-Fetch-Site: cross-site`, counts as cross-site.
 */
export function rejectCrossSite(publicUrl: string): preHandlerAsyncHookHandler {
  const ownOrigin = new URL(publicUrl).origin;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const origin = request.headers.origin;
    const foreignOrigin = origin !== undefined && origin !== 'null' && origin !== ownOrigin;
    if (request.headers['sec-fetch-site'] === 'cross-site' || foreignOrigin) {
      await sendErrorPage(
        request,
        reply,
        new OAuthError('access_denied', 'Cross-site form posts are refused.', { status: 403 }),
      );
    }
  };
}
