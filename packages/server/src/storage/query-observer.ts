// How the store reports its query timings and connection-pool usage to whoever watches (the metrics of
// issue 11), without the storage layer knowing about Prometheus. Kysely's `log` hook times every query,
// inside transactions too.
import type { LogEvent } from 'kysely';

export interface PoolUsage {
  /** Connections open (pg.Pool totalCount). */
  total: number;
  /** Open and unused (idleCount). */
  idle: number;
  /** Queries waiting for a connection (waitingCount). */
  waiting: number;
}

export interface QueryObserver {
  /** One finished query: what kind of statement, how long it took, whether it failed. */
  query(observation: { operation: string; seconds: number; failed: boolean }): void;
  /** PostgreSQL only: called once with a reader of the pool's current usage. */
  pool?(read: () => PoolUsage): void;
}

const OPERATIONS: Record<string, string> = {
  SelectQueryNode: 'select',
  InsertQueryNode: 'insert',
  UpdateQueryNode: 'update',
  DeleteQueryNode: 'delete',
};

/** A Kysely `log` option that hands each query's duration to `observer`. */
export function kyselyLog(observer: QueryObserver): (event: LogEvent) => void {
  return (event) =>
    observer.query({
      // The statement kind from the query tree, never its text: no value of a query reaches a label.
      operation: OPERATIONS[event.query.query.kind] ?? 'other',
      seconds: event.queryDurationMillis / 1000,
      failed: event.level === 'error',
    });
}
