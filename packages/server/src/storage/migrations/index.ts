// Forward-only, numbered migrations. They are listed here rather than read from disk so that they
// work the same from source (tsx) and from any bundle.
import { type Kysely, type Migration, Migrator, PostgresAdapter, sql } from 'kysely';
import type { Database } from '../schema.ts';
import { StoreUnavailableError } from '../store.ts';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-consents.ts';
import * as m0003 from './0003-admin-api.ts';
import * as m0004 from './0004-admin-sessions.ts';
import * as m0005 from './0005-token-user-indexes.ts';
import * as m0006 from './0006-retention.ts';
import * as m0007 from './0007-api-token-expiry.ts';
import * as m0008 from './0008-token-client-indexes.ts';
import * as m0009 from './0009-sign-ins-in-flight.ts';
import * as m0010 from './0010-console-state-logo.ts';
import * as m0011 from './0011-machine-tokens.ts';
import * as m0012 from './0012-self-registered-clients.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-consents': m0002,
  '0003-admin-api': m0003,
  '0004-admin-sessions': m0004,
  '0005-token-user-indexes': m0005,
  '0006-retention': m0006,
  '0007-api-token-expiry': m0007,
  '0008-token-client-indexes': m0008,
  '0009-sign-ins-in-flight': m0009,
  '0010-console-state-logo': m0010,
  '0011-machine-tokens': m0011,
  '0012-self-registered-clients': m0012,
};

async function migrationTableSchema(db: Kysely<Database>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  // Kysely looks for its bookkeeping tables in every schema unless told which one; another schema in the
  // same database (a parallel test run, another deployment) would otherwise look like ours.
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}

/** Applies every pending migration; returns the names applied (empty when already up to date). */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const schema = await migrationTableSchema(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  let outcome = await migrator.migrateToLatest();
  // Kysely takes no lock across processes on SQLite: two processes starting on a new file (the server and
  // a CLI command) can race, and the loser fails on a table the winner just made. By the next attempt the
  // winner has finished, so the loser finds nothing left to do.
  for (let attempt = 1; attempt < 4 && outcome.error !== undefined; attempt += 1) {
    if (outcome.error instanceof StoreUnavailableError) break;
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    outcome = await migrator.migrateToLatest();
  }
  const { error, results = [] } = outcome;
  if (error !== undefined) {
    if (error instanceof StoreUnavailableError) throw error;
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const what = failed === undefined ? 'Database migrations could not run' : `Migration "${failed}" failed`;
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`${what}: ${detail}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
