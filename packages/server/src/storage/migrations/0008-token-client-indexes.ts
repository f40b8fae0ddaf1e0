// Deactivating or deleting an app revokes its refresh and access tokens by client (RT-08); without these
// indexes that is a scan of both token tables.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('refresh_tokens_client_id').on('refresh_tokens').column('client_id').execute();
  await db.schema.createIndex('access_tokens_client_id').on('access_tokens').column('client_id').execute();
}
