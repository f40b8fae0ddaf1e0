// `@latchkey/verifier/express`: middleware that verifies the Bearer token, sets `req.token` to its claims,
// and otherwise answers per RFC 6750 (see bearer.ts). Express is only a type import here.
//
//   const auth = expressVerifier({ verifier: createVerifier({ issuer, audience }) });
//   app.get('/messages', auth.requireScopes('messages:read'), handler);
//
// With `resource: 'https://api.example.com'`, `app.use(auth.resourceMetadata)` serves the RFC 9728
// protected resource metadata, and every challenge names it.

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { authenticateBearer } from './bearer.ts';
import type { AccessTokenClaims } from './claims.ts';
import {
  METADATA_HEADERS,
  type ResolvedResourceMetadata,
  type ResourceMetadataOptions,
  ROOT_METADATA_PATH,
  resolveResourceMetadata,
} from './resource-metadata.ts';
import type { Verifier } from './verifier.ts';

export interface ExpressVerifierOptions extends ResourceMetadataOptions {
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
  /**
   * Application-level middleware (`app.use(auth.resourceMetadata)`) answering GET and HEAD at the RFC 9728
   * metadata path(s); it passes every other request on, and everything when no `resource` is configured.
   */
  resourceMetadata: RequestHandler;
  /** What is served, or undefined without `resource` (or with `resourceMetadata: false`). */
  metadata: ResolvedResourceMetadata | undefined;
}

export function expressVerifier(options: ExpressVerifierOptions): ExpressVerifier {
  const { verifier, realm, clientIds } = options;
  if (typeof verifier?.verifyAccessToken !== 'function') {
    throw new TypeError('expressVerifier needs { verifier: createVerifier({ issuer, audience }) }.');
  }
  const metadata = resolveResourceMetadata(verifier, options);
  const paths = new Set(metadata === undefined ? [] : [metadata.path, ROOT_METADATA_PATH]);
  const resourceMetadataUrl = metadata?.url;
  return {
    metadata,
    resourceMetadata(req: Request, res: Response, next: NextFunction): void {
      if (metadata === undefined || (req.method !== 'GET' && req.method !== 'HEAD') || !paths.has(req.path)) {
        next();
        return;
      }
      res.set(METADATA_HEADERS).json(metadata.document);
    },
    requireScopes(...scopes: string[]): RequestHandler {
      return (req: Request, res: Response, next: NextFunction): void => {
        authenticateBearer(verifier, req.headers.authorization, {
          realm,
          clientIds,
          requiredScopes: scopes,
          resourceMetadataUrl,
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
