// PostgreSQL wiring. Every wait is bounded (connect, pool checkout, statement, socket read) so that an
// outage turns into StoreUnavailableError and a 503 instead of a hung request (SECURITY-MATRIX rule 4).
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { guardDialect } from './guarded-driver.ts';
import { guardPool } from './postgres-pool.ts';
import { kyselyLog, type QueryObserver } from './query-observer.ts';
import type { Database } from './schema.ts';

export interface PostgresOptions {
  /** Use (and create if missing) this schema instead of the default search_path. */
  schema?: string;
  /** Upper bound for one statement, in ms (default DEFAULT_DB_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  /** Receives each query's duration and a reader of the pool's usage (the metrics). */
  observer?: QueryObserver;
  /** Upper bound for connecting and for waiting on a free pooled connection, in ms (same default). */
  connectTimeoutMs?: number;
  /** Connections per instance (default 10). */
  poolSize?: number;
}

/** LATCHKEY_DB_TIMEOUT_MS's default: an outage is a 503 within about 2 s (issue 10). */
export const DEFAULT_DB_TIMEOUT_MS = 2000;

const INT8 = 20;
const parseInt8 = (value: string): number => Number(value);

// Only this pool reads int8 as a number: epoch seconds and counts fit easily, and the global pg
// parsers stay untouched for anyone else in the process.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export async function openPostgres(
  connectionString: string,
  options: PostgresOptions = {},
): Promise<Kysely<Database>> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${schema}": use letters, digits and _`);
  }
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_DB_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString,
    types,
    max: options.poolSize ?? 10,
    // pg-pool applies it both to opening a connection and to waiting for a free one (acquire).
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_DB_TIMEOUT_MS,
    statement_timeout: statementTimeoutMs,
    lock_timeout: statementTimeoutMs,
    // The server cannot cancel a statement if the network is gone; this is the client-side backstop,
    // a little later so that a slow statement is reported by the server (57014) when it can be.
    query_timeout: statementTimeoutMs + 250,
    idle_in_transaction_session_timeout: statementTimeoutMs * 2,
    keepAlive: true,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // A connection that dies emits 'error' on its client (and on the pool while idle); unheard, that
  // crashes the process. The failing query already reports StoreUnavailableError, and the pool drops
  // the broken client when it is released.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const { observer } = options;
  observer?.pool?.(() => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
  const db = new Kysely<Database>({
    dialect: guardDialect(new PostgresDialect({ pool: guardPool(pool) })),
    ...(observer === undefined ? {} : { log: kyselyLog(observer) }),
  });
  if (schema !== undefined) {
    try {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  return db;
}
