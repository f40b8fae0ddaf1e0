// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): the validated documents of
// URL client ids, kept until their HTTP cache lifetime ends (so every instance shares one fetch) and listed
// in the console as "recently seen" clients. No foreign keys: tokens name the URL as any other client id.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('client_metadata_documents')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('client_name', 'text')
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('client_metadata_documents_last_seen')
    .on('client_metadata_documents')
    .column('last_seen_at')
    .execute();
}
