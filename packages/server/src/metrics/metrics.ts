// The Prometheus series of issue 11, in one Registry per app (tests run many servers in one process, so
// never prom-client's global registry). Every label value is bounded: route patterns, not URLs; known
// grant and response types; client ids only of registered clients; OAuth error codes from the registry.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolUsage, QueryObserver } from '../storage/query-observer.ts';
import type { Store } from '../storage/store.ts';

/** What a label says when a value is not one we can name without letting clients mint new series. */
export const UNKNOWN = 'unknown';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'status_code'>;
  httpDuration: Histogram<'route' | 'method' | 'status_code'>;
  tokenGrants: Counter<'grant_type' | 'client_id' | 'outcome'>;
  authorizations: Counter<'response_type' | 'client_id' | 'outcome'>;
  signInFailures: Counter<'surface' | 'reason'>;
  lockouts: Counter<'surface'>;
  /** Hand to openStore: query durations and, on PostgreSQL, pool usage. */
  database: QueryObserver;
  /** Reads the signing keys' ages from `store` at each scrape. */
  watchSigningKeys(source: { store: Store; now(): number }): void;
}

export function createMetrics(registry: Registry = new Registry()): Metrics {
  const registers = [registry];
  // Process metrics, among them nodejs_eventloop_lag_seconds and its percentiles.
  collectDefaultMetrics({ register: registry });
  const http = { labelNames: ['route', 'method', 'status_code'] as const, registers };
  const queries = new Histogram({
    name: 'latchkey_db_query_duration_seconds',
    help: 'Database query durations by statement kind and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  let readPool: (() => PoolUsage) | undefined;
  new Gauge({
    name: 'latchkey_db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle) and queries waiting for one (waiting).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      this.reset();
      if (readPool === undefined) return;
      const usage = readPool();
      this.set({ state: 'total' }, usage.total);
      this.set({ state: 'idle' }, usage.idle);
      this.set({ state: 'waiting' }, usage.waiting);
    },
  });
  let keySource: { store: Store; now(): number } | undefined;
  new Gauge({
    name: 'latchkey_signing_key_age_seconds',
    help: 'Age of each signing key since it was created, by authorization server, kid and status.',
    labelNames: ['server_id', 'kid', 'status'] as const,
    registers,
    async collect() {
      this.reset();
      if (keySource === undefined) return;
      const { store } = keySource;
      const now = keySource.now();
      for (const server of await store.authorizationServers.list()) {
        for (const key of await store.signingKeys.listForServer(server.id)) {
          this.set({ server_id: server.id, kid: key.kid, status: key.status }, now - key.createdAt);
        }
      }
    },
  });
  return {
    registry,
    httpRequests: new Counter({
      name: 'latchkey_http_requests_total',
      help: 'HTTP requests by route pattern, method and status code.',
      ...http,
    }),
    httpDuration: new Histogram({
      name: 'latchkey_http_request_duration_seconds',
      help: 'HTTP request durations by route pattern, method and status code.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      ...http,
    }),
    tokenGrants: new Counter({
      name: 'latchkey_token_requests_total',
      help: 'Token endpoint requests by grant type, client and outcome (success or the OAuth error code).',
      labelNames: ['grant_type', 'client_id', 'outcome'] as const,
      registers,
    }),
    authorizations: new Counter({
      name: 'latchkey_authorize_outcomes_total',
      help: 'Authorization responses by response type, client and outcome (success or the OAuth error code).',
      labelNames: ['response_type', 'client_id', 'outcome'] as const,
      registers,
    }),
    signInFailures: new Counter({
      name: 'latchkey_sign_in_failures_total',
      help: 'Failed password sign-ins by where they happened (hosted page, console, re-authentication) and why.',
      labelNames: ['surface', 'reason'] as const,
      registers,
    }),
    lockouts: new Counter({
      name: 'latchkey_account_lockouts_total',
      help: 'Sign-in attempts that locked an account (LG-03).',
      labelNames: ['surface'] as const,
      registers,
    }),
    database: {
      query: ({ operation, seconds, failed }) =>
        queries.observe({ operation, outcome: failed ? 'error' : 'ok' }, seconds),
      pool: (read) => {
        readPool = read;
      },
    },
    watchSigningKeys: (source) => {
      keySource = source;
    },
  };
}
