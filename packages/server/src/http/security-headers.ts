// Headers for every response and the CSP for HTML pages (SECURITY-MATRIX LG-08, LG-09; RFC 9700 §4.16).

import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** Sent on every response. HSTS is ignored by browsers over plain http, so it is always safe to send. */
export const STANDARD_HEADERS: Readonly<Record<string, string>> = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

export function generateNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Who may embed an HTML response other than nobody: the one origin of a web message page (issue 12 §1). */
export interface Framing {
  /** `frame-ancestors` this origin instead of `'none'`; the standard headers then leave out X-Frame-Options. */
  frameAncestor: string;
}

/**
 * HTML responses: never cached, never framed (but the web message page, by its app's origin only: `framing`),
 * no script unless it carries this response's nonce.
 * No `form-action`: Chromium applies it to the redirect after the sign-in POST, which must reach the
 * app's own scheme (OKTA-COMPAT §4).
 */
export function sendHtml(
  reply: FastifyReply,
  status: number,
  html: string,
  nonce?: string,
  framing?: Framing,
): FastifyReply {
  const scriptSrc = nonce === undefined ? "'none'" : `'nonce-${nonce}'`;
  const frameAncestors = framing?.frameAncestor ?? "'none'";
  return reply
    .status(status)
    .header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'self'; img-src 'self' data:; script-src ${scriptSrc}; frame-ancestors ${frameAncestors}; base-uri 'none'; object-src 'none'`,
    )
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .type('text/html; charset=utf-8')
    .send(html);
}

const FRAMED_BY_AN_ORIGIN = /(?:^|;)\s*frame-ancestors\s+(?!'none')[^;]+/;

/**
 * The STANDARD_HEADERS, on every response (the onSend hook). A response whose own CSP lets one origin frame
 * it (the web message page) gets no `X-Frame-Options: DENY`, which would refuse that frame too (CSP
 * `frame-ancestors` is what modern browsers obey, and it names the one origin), and
 * `Cross-Origin-Opener-Policy: unsafe-none`, so that a popup opened by that app keeps its `window.opener`
 * to post to; the message still reaches only that origin (postMessage's targetOrigin).
 */
export function applyStandardHeaders(reply: FastifyReply): void {
  reply.headers(STANDARD_HEADERS);
  const csp = reply.getHeader('content-security-policy');
  if (typeof csp === 'string' && FRAMED_BY_AN_ORIGIN.test(csp)) {
    reply.removeHeader('X-Frame-Options');
    reply.header('Cross-Origin-Opener-Policy', 'unsafe-none');
  }
}
