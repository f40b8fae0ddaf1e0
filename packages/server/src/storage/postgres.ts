// PostgreSQL wiring. Every wait is bounded (connect, pool checkout, statement, socket read) so that an
// outage turns into StoreUnavailableError and a 503 instead of a hung request (SECURITY-MATRIX rule 4).
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { guardDialect } from './guarded-driver.ts';
import { kyselyLog, type QueryObserver } from './query-observer.ts';
import type { Database } from './schema.ts';

export interface PostgresOptions {
  /** Use (and create if missing) this schema instead of the default search_path. */
  schema?: string;
  /** Upper bound for one statement, in ms (default 5000). */
  statementTimeoutMs?: number;
  /** Receives each query's duration and a reader of the pool's usage (the metrics). */
  observer?: QueryObserver;
}

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
  const statementTimeoutMs = options.statementTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString,
    types,
    connectionTimeoutMillis: 5000,
    statement_timeout: statementTimeoutMs,
    lock_timeout: statementTimeoutMs,
    // The server cannot cancel a statement if the network is gone; this is the client-side backstop.
    query_timeout: statementTimeoutMs + 1000,
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
    dialect: guardDialect(new PostgresDialect({ pool })),
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
