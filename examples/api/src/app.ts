// An example resource server: Fastify plus @latchkey/verifier. GET /messages needs an access token from
// the configured issuer with the custom scope `messages:read` (added to the default server with
// `latchkey servers add-scope default --name messages:read`); GET /health is public.

import { createVerifier, type VerifierOptions } from '@latchkey/verifier';
import { latchkeyVerifier } from '@latchkey/verifier/fastify';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

export const MESSAGES_SCOPE = 'messages:read';

export interface ExampleApiOptions {
  /** E.g. http://localhost:8080/oauth2/default. */
  issuer: string;
  /** The access tokens' `aud`. Default api://default (the default server's audience). */
  audience?: string | undefined;
  logger?: FastifyServerOptions['logger'] | undefined;
  /** More verifier settings (jwksUri, introspect, clock…), e.g. for tests. */
  verifier?: Omit<VerifierOptions, 'issuer' | 'audience'> | undefined;
}

export interface Message {
  id: number;
  from: string;
  text: string;
}

export async function buildExampleApi(options: ExampleApiOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  const verifier = createVerifier({
    ...options.verifier,
    issuer: options.issuer,
    audience: options.audience ?? 'api://default',
  });
  await app.register(latchkeyVerifier, { verifier });

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/messages', { preHandler: app.requireScopes(MESSAGES_SCOPE) }, async (request) => {
    // requireScopes ran first, so the token is verified and carries messages:read.
    const token = request.token!;
    // Okta's `sub` is the user's login; a token without a user carries the client id there.
    const user = token.sub ?? token.cid;
    const messages: Message[] = [
      { id: 1, from: 'Latchkey', text: `Hello ${user}, your access token was verified locally.` },
      { id: 2, from: 'Latchkey', text: `It was issued to client ${token.cid} by ${token.iss}.` },
      { id: 3, from: 'Latchkey', text: `Granted scopes: ${token.scp.join(' ')}.` },
    ];
    return { user, messages };
  });

  return app;
}
