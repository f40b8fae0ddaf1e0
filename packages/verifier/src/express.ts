// `@latchkey/verifier/express`: middleware that verifies the Bearer token, sets `req.token` to its claims,
// and otherwise answers per RFC 6750 (see bearer.ts). Express is only a type import here.
//
//   const auth = expressVerifier({ verifier: createVerifier({ issuer, audience }) });
//   app.get('/messages', auth.requireScopes('messages:read'), handler);

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { authenticateBearer } from './bearer.ts';
import type { AccessTokenClaims } from './claims.ts';
import type { Verifier } from './verifier.ts';

export interface ExpressVerifierOptions {
  verifier: Verifier;
  /** The challenge's realm. Default "api". */
  realm?: string | undefined;
  /** When given, only tokens issued to these clients (`cid`) are accepted. */
  clientIds?: readonly string[] | undefined;
}

declare global {
  namespace Express {
    interface Request {
      /** The verified claims, set by `requireScopes` middleware. */
      token?: AccessTokenClaims;
    }
  }
}

export interface ExpressVerifier {
  /** Middleware: a valid access token with every one of `scopes` (none: any valid token). */
  requireScopes(...scopes: string[]): RequestHandler;
}

export function expressVerifier(options: ExpressVerifierOptions): ExpressVerifier {
  const { verifier, realm, clientIds } = options;
  if (typeof verifier?.verifyAccessToken !== 'function') {
    throw new TypeError('expressVerifier needs { verifier: createVerifier({ issuer, audience }) }.');
  }
  return {
    requireScopes(...scopes: string[]): RequestHandler {
      return (req: Request, res: Response, next: NextFunction): void => {
        authenticateBearer(verifier, req.headers.authorization, {
          realm,
          clientIds,
          requiredScopes: scopes,
        })
          .then((outcome) => {
            if (outcome.ok) {
              req.token = outcome.claims;
              next();
              return;
            }
            res.status(outcome.status).set(outcome.headers).json(outcome.body);
          })
          // Anything but a verification outcome (a bug) goes to Express's error handling.
          .catch(next);
      };
    },
  };
}
