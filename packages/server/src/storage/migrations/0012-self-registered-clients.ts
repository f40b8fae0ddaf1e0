// Clients that register themselves (issue 13 §4-5).
// - Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): the validated documents of
//   URL client ids, kept until their HTTP cache lifetime ends (so every instance shares one fetch) and listed
//   in the console as "recently seen" clients. No foreign keys: tokens name the URL as any other client id.
// - Dynamic client registration (RFC 7591 §3, RFC 7592): the initial access tokens admins hand out and each
//   registered client's registration access token, both stored only as SHA-256 hashes.
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
  await db.schema
    .createTable('registration_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createTable('client_registrations')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('access_token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
