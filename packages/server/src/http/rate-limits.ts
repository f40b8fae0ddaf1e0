// The budgets of Latchkey's rate-limited routes (issue 8 §6, issue 14; SECURITY-MATRIX TE-06, LG-04).
// Each route keeps its own budget (see rate-limit-store.ts), and each is counted per what it protects:
// - /v1/token per client: a web app's backend sends every user's token requests from one address, and
//   guessing codes or secrets always aims at one client (TE-06).
// - sign-in per address (credential stuffing from one address, LG-04) and, separately, per login (one
//   account attacked from many addresses), on top of the per-account lockout (LG-03).
// - /v1/authorize per address: each request may store a pending authorization request (issue 9 §3).
// - /oauth2/v1/clients per address: each open registration stores an app (RFC 7591 §5).

import fastifyRateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { RateLimits } from '../config/schema.ts';
import type { Deps } from '../deps.ts';
import { assertionClientId } from '../oauth/client-assertion.ts';
import { parseBasic } from '../oauth/client-authentication.ts';
import { sha256Hex } from '../oauth/random.ts';
import { formBody, header } from './parse.ts';
import { databaseRateLimitStore, memoryRateLimitStore } from './rate-limit-store.ts';

const MINUTE_MS = 60_000;

export async function registerRateLimiting(app: FastifyInstance, deps: Deps): Promise<void> {
  const store =
    deps.store.dialect === 'sqlite' ? memoryRateLimitStore(deps.clock) : databaseRateLimitStore(deps);
  await app.register(fastifyRateLimit, { global: false, store });
}

/** A route's `config.rateLimit`: `false` when the setting is 0 (off). */
export type RouteRateLimit = RateLimitOptions | false;

export interface RouteRateLimits {
  token: RouteRateLimit;
  signIn: RouteRateLimit;
  authorize: RouteRateLimit;
  /** Dynamic client registration, per address: each registration stores an app. */
  registration: RouteRateLimit;
  /** Per login, for sign-in forms: a preHandler (after the body is parsed), or none when off. */
  signInPerLogin: (app: FastifyInstance, nameSpace: string) => preHandlerAsyncHookHandler[];
}

export function routeRateLimits(limits: RateLimits): RouteRateLimits {
  const perAddress = (max: number): RouteRateLimit => (max === 0 ? false : { max, timeWindow: MINUTE_MS });
  return {
    token:
      limits.token === 0
        ? false
        : { max: limits.token, timeWindow: MINUTE_MS, hook: 'preHandler', keyGenerator: tokenClientKey },
    signIn: perAddress(limits.signIn),
    authorize: perAddress(limits.authorize),
    registration: perAddress(limits.registration),
    signInPerLogin: (app, nameSpace) =>
      limits.signIn === 0
        ? []
        : [
            app.rateLimit({
              max: limits.signIn,
              timeWindow: MINUTE_MS,
              keyGenerator: (request) =>
                `${nameSpace}:${sha256Hex((formBody(request).get('username') ?? '').trim().toLowerCase())}`,
            }),
          ],
  };
}

/**
 * The client a token request names: HTTP Basic's user (RFC 6749 §2.3.1), else the body's `client_id`, else
 * the `sub` of a client assertion (RFC 7523 §3, read unverified: only to pick the budget).
 * A request that names none is counted under its address, so it cannot escape every budget.
 */
// Keys hold a digest, never a login or client id as typed (they may be long or personal).
function tokenClientKey(request: FastifyRequest): string {
  const body = formBody(request);
  let clientId = body.get('client_id') ?? undefined;
  const assertion = body.get('client_assertion');
  if (clientId === undefined && assertion !== null) {
    try {
      clientId = assertionClientId(assertion);
    } catch {
      // Not a JWT naming a client: the endpoint refuses it; count it under the address.
    }
  }
  try {
    clientId = parseBasic(header(request, 'authorization'))?.clientId ?? clientId;
  } catch {
    // Malformed Basic credentials: the endpoint refuses them; count them under the body's id or address.
  }
  return clientId === undefined || clientId === '' ? `ip:${request.ip}` : `client:${sha256Hex(clientId)}`;
}
