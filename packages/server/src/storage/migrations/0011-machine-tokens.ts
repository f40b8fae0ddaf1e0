// Issue 13 items 1-2. Apps authenticating with private_key_jwt register a JWK Set inline (`jwks`, JSON text)
// or by URL (`jwks_uri`), RFC 7591 §2; the `jti` of every accepted client assertion is kept until it
// expires so that a replay is refused (RFC 7523 §3 item 7), swept by the retention sweeper. Authorization
// servers declare the resources a client may ask for (RFC 8707 §2); a code and a refresh token remember
// the one resource of their grant (null: the server's audience).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('clients').addColumn('jwks', 'text').execute();
  await db.schema.alterTable('clients').addColumn('jwks_uri', 'text').execute();
  await db.schema
    .alterTable('authorization_servers')
    .addColumn('resources', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('authorization_codes').addColumn('resource', 'text').execute();
  await db.schema.alterTable('refresh_tokens').addColumn('resource', 'text').execute();
  await db.schema
    .createTable('client_assertions')
    .addColumn('client_id', 'text', (c) => c.notNull())
    // SHA-256 (hex) of the assertion's `jti`: not a secret, but of a bounded size whatever the client sent.
    .addColumn('jti_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_assertions_pk', ['client_id', 'jti_hash'])
    .execute();
  await db.schema
    .createIndex('client_assertions_expires_at')
    .on('client_assertions')
    .column('expires_at')
    .execute();
}
