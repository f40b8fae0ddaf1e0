// CORS per OKTA-COMPAT §1.0: discovery and keys for any origin; the token endpoint only for origins of the
// client's http(s) redirect URIs; preflights allow the headers okta-auth-js sends. Never on /authorize (LG-09).

import type { FastifyReply } from 'fastify';
import type { ClientRow } from '../storage/store.ts';

export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Accept, Authorization, Content-Type, DPoP, X-Okta-User-Agent-Extended',
  'Access-Control-Max-Age': '600',
};

export function allowOrigin(reply: FastifyReply, origin: string): void {
  reply
    .header('Access-Control-Allow-Origin', origin)
    .header('Vary', 'Origin')
    .header('Access-Control-Expose-Headers', 'WWW-Authenticate, DPoP-Nonce');
}

/** The origins a browser app may call the token endpoint from: those of its http(s) redirect URIs. */
export function clientOrigins(client: ClientRow): Set<string> {
  const origins = new Set<string>();
  for (const uri of client.redirectUris) {
    if (!/^https?:\/\//.test(uri)) continue;
    try {
      origins.add(new URL(uri).origin);
    } catch {
      // Registration already refused malformed URIs; nothing to add.
    }
  }
  return origins;
}
