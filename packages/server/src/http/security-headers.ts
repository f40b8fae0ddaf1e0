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

/**
 * HTML responses: never cached, never framed, no script unless it carries this response's nonce.
 * No `form-action`: Chromium applies it to the redirect after the sign-in POST, which must reach the
 * app's own scheme (OKTA-COMPAT §4).
 */
export function sendHtml(
  reply: FastifyReply,
  status: number,
  html: string,
  nonce?: string,
  options: { imageOrigins?: readonly string[] } = {},
): FastifyReply {
  const scriptSrc = nonce === undefined ? "'none'" : `'nonce-${nonce}'`;
  // An app's https logo on the sign-in page (issue 12): its origin only, never a wildcard.
  const imgSrc = ["'self'", 'data:', ...(options.imageOrigins ?? [])].join(' ');
  return reply
    .status(status)
    .header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'self'; img-src ${imgSrc}; script-src ${scriptSrc}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`,
    )
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .type('text/html; charset=utf-8')
    .send(html);
}
