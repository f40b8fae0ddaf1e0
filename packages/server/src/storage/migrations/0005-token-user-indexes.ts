// Ending a user's sessions revokes their refresh and access tokens by user (RT-07, `users sign-out`);
// without these indexes that is a scan of both token tables.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('refresh_tokens_user_id').on('refresh_tokens').column('user_id').execute();
  await db.schema.createIndex('access_tokens_user_id').on('access_tokens').column('user_id').execute();
}
