// Forward-only, numbered migrations. They are listed here rather than read from disk so that they
// work the same from source (tsx) and from any bundle.
import { type Kysely, type Migration, Migrator, PostgresAdapter, sql } from 'kysely';
import type { Database } from '../schema.ts';
import { StoreUnavailableError } from '../store.ts';
import * as m0001 from './0001-initial.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
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
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    if (error instanceof StoreUnavailableError) throw error;
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const what = failed === undefined ? 'Database migrations could not run' : `Migration "${failed}" failed`;
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`${what}: ${detail}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
