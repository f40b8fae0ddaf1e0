// Chooses the database from DATABASE_URL and returns a migrated Store.
import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { createKyselyStore } from './kysely-store.ts';
import { migrateToLatest } from './migrations/index.ts';
import type { QueryObserver } from './query-observer.ts';
import type { Database } from './schema.ts';
import { openSqlite } from './sqlite.ts';
import type { Store } from './store.ts';

export type DatabaseLocation = { dialect: 'sqlite'; filename: string } | { dialect: 'postgres'; url: string };

export interface OpenStoreOptions {
  /** PostgreSQL only: use (and create) this schema. */
  schema?: string;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  /** Receives query durations and pool usage (the metrics of issue 11). */
  observer?: QueryObserver;
  /** PostgreSQL only: the connect, acquire and statement bound in ms (LATCHKEY_DB_TIMEOUT_MS). */
  timeoutMs?: number;
  /** PostgreSQL only: connections in the pool (LATCHKEY_DB_POOL_SIZE). */
  poolSize?: number;
}

const ACCEPTED =
  'expected sqlite:./relative/path.db, sqlite:/absolute/path.db, sqlite::memory:, postgres://… or postgresql://…';

/** Parses DATABASE_URL; throws an Error naming the accepted forms. */
export function parseDatabaseUrl(databaseUrl: string): DatabaseLocation {
  const url = databaseUrl.trim();
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', url };
  if (/^sqlite:/i.test(url)) {
    const path = url.slice('sqlite:'.length);
    if (path === ':memory:') return { dialect: 'sqlite', filename: ':memory:' };
    if (path !== '' && !path.startsWith('//')) return { dialect: 'sqlite', filename: resolve(path) };
  }
  throw new Error(`Unsupported DATABASE_URL "${redact(url)}": ${ACCEPTED}`);
}

/** The URL without its password, for banners and messages (a URL that failed to parse may carry one). */
export function redact(url: string): string {
  return url.replace(/\/\/([^/@]*)@/, '//***@');
}

async function openDatabase(
  location: DatabaseLocation,
  options: {
    schema?: string | undefined;
    statementTimeoutMs?: number | undefined;
    connectTimeoutMs?: number | undefined;
    poolSize?: number | undefined;
    observer?: QueryObserver | undefined;
  },
): Promise<Kysely<Database>> {
  const { schema, statementTimeoutMs, connectTimeoutMs, poolSize, observer } = options;
  const observing = observer === undefined ? {} : { observer };
  if (location.dialect === 'sqlite') return openSqlite(location.filename, observing);
  // Loaded only for PostgreSQL: an embedded instance never pays for pg at start-up (issue 11).
  const { openPostgres } = await import('./postgres.ts');
  return openPostgres(location.url, {
    ...(schema === undefined ? {} : { schema }),
    ...(statementTimeoutMs === undefined ? {} : { statementTimeoutMs }),
    ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
    ...(poolSize === undefined ? {} : { poolSize }),
    ...observing,
  });
}

export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseDatabaseUrl(databaseUrl);
  const migrate = options.migrate ?? true;
  // On PostgreSQL the request pool's statement bound (about 2 s) is too short for a migration, or for
  // waiting on another instance's migration lock: they run on their own short-lived pool first.
  if (migrate && location.dialect === 'postgres') {
    await runMigrations(databaseUrl, options.schema === undefined ? {} : { schema: options.schema });
  }
  const db = await openDatabase(location, {
    schema: options.schema,
    statementTimeoutMs: options.timeoutMs,
    connectTimeoutMs: options.timeoutMs,
    poolSize: options.poolSize,
    observer: options.observer,
  });
  try {
    if (migrate && location.dialect === 'sqlite') await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createKyselyStore(db, location.dialect);
}

/** For `latchkey migrate`: applies pending migrations and returns their names. */
export async function runMigrations(
  databaseUrl: string,
  options: { schema?: string } = {},
): Promise<string[]> {
  const location = parseDatabaseUrl(databaseUrl);
  // Run by an operator, not on a request path: a migration rewriting a large table may take minutes.
  const db = await openDatabase(location, {
    schema: options.schema,
    statementTimeoutMs: 30 * 60_000,
    connectTimeoutMs: 10_000,
    poolSize: 1,
  });
  try {
    return await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}
