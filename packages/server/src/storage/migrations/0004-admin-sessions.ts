// Console sign-ins (issue 5; SECURITY-MATRIX AD-01): kept apart from the SSO sessions so an admin session
// can never stand in for an end-user session or the other way round. Only the SHA-256 of the cookie value
// is stored, like every other session id.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('admin_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_active_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('admin_sessions_user_id').on('admin_sessions').column('user_id').execute();
}
