// Stores for @fastify/rate-limit. Fixed windows on the injected clock (rule 6: one time source).
// - In memory for the embedded default: one SQLite instance, so a counter need not be shared, and a hit
//   costs no write (issue 8: rate limits that fit).
// - In the database for PostgreSQL, so a budget holds across every instance (TE-06, LG-04, RL-14): one
//   atomic upsert per hit on an UNLOGGED table (migration 0006), so a hit costs no WAL fsync.

import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { Clock } from '../deps.ts';
import type { Store } from '../storage/store.ts';

type Incr = FastifyRateLimitStore['incr'];
type Counter = (key: string, windowStart: number, windowEnd: number) => Promise<number> | number;

/** What @fastify/rate-limit passes to `child()` at run time (its typings say otherwise). */
interface ChildOptions {
  routeInfo?: { method?: string | string[]; url?: string };
}

/**
 * A route's budget is kept under its method and URL, so exhausting /token leaves /sign-in alone (issue
 * 14). A limiter made with `app.rateLimit()` has no route: its key generator names its budget.
 */
function prefixFor(options: ChildOptions): string {
  const { method, url } = options.routeInfo ?? {};
  return url === undefined ? 'limiter:' : `${[method].flat().join(',')} ${url}:`;
}

function storeClass(clock: Clock, count: Counter): new () => FastifyRateLimitStore {
  class WindowStore implements FastifyRateLimitStore {
    readonly prefix: string;
    constructor(prefix?: unknown) {
      // @fastify/rate-limit constructs the root store with its global options; only children count.
      this.prefix = typeof prefix === 'string' ? prefix : '';
    }

    incr(...[key, callback, timeWindow]: Parameters<Incr>): void {
      const nowMs = clock.now() * 1000;
      const windowStart = Math.floor(nowMs / timeWindow) * timeWindow;
      const windowEnd = windowStart + timeWindow;
      Promise.resolve()
        .then(() =>
          count(`${this.prefix}${key}`, Math.floor(windowStart / 1000), Math.ceil(windowEnd / 1000)),
        )
        .then((current) => callback(null, { current, ttl: windowEnd - nowMs }))
        .catch((error: Error) => callback(error));
    }

    child(options: object): FastifyRateLimitStore {
      return new WindowStore(prefixFor(options as ChildOptions));
    }
  }
  return WindowStore;
}

export function databaseRateLimitStore(deps: {
  store: Store;
  clock: Clock;
}): new () => FastifyRateLimitStore {
  return storeClass(deps.clock, (key, start, end) => deps.store.rateLimits.hit(key, start, end));
}

/** Counters in a Map; windows that ended are dropped as new ones open, so memory stays bounded by traffic. */
export function memoryRateLimitStore(clock: Clock): new () => FastifyRateLimitStore {
  const windows = new Map<string, { end: number; count: number }>();
  let nextSweep = 0;
  return storeClass(clock, (key, start, end) => {
    const now = clock.now();
    if (now >= nextSweep) {
      for (const [name, window] of windows) if (window.end <= now) windows.delete(name);
      nextSweep = now + 60;
    }
    const name = `${start}:${key}`;
    const window = windows.get(name) ?? { end, count: 0 };
    window.count += 1;
    windows.set(name, window);
    return window.count;
  });
}
