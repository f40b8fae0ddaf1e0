// A @fastify/rate-limit store kept in the database, so a budget holds across every instance and survives
// restarts (SECURITY-MATRIX LG-04, TE-06, RL-14). Fixed windows; one atomic upsert per hit.

import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { Clock } from '../deps.ts';
import type { Store } from '../storage/store.ts';

export function databaseRateLimitStore(deps: {
  store: Store;
  clock: Clock;
}): new () => FastifyRateLimitStore {
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    constructor(private readonly prefix = '') {}

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const nowMs = deps.clock.now() * 1000;
      const windowStart = Math.floor(nowMs / timeWindow) * timeWindow;
      const windowEnd = windowStart + timeWindow;
      deps.store.rateLimits
        .hit(`${this.prefix}${key}`, Math.floor(windowStart / 1000), Math.ceil(windowEnd / 1000))
        .then((current) => callback(null, { current, ttl: windowEnd - nowMs }))
        .catch((error: Error) => callback(error));
    }

    child(routeOptions: { path: string }): FastifyRateLimitStore {
      return new DatabaseRateLimitStore(`${routeOptions.path}:`);
    }
  }
  return DatabaseRateLimitStore;
}
