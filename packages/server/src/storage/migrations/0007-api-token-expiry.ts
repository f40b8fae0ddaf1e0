// API tokens get an optional expiry (issue 9, item 9): after `expires_at` the admin API refuses the token as
// it refuses a revoked one. `created_by` (who made the token: the console admin's user id, or `cli:<os
// user>`) exists since 0003 and stays nullable for tokens made before it was recorded.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'bigint').execute();
}
