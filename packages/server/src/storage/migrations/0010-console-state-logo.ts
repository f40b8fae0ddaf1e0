// Issue 12: the console's Post/Redirect/Get state and the app logo.
// - console_flashes: a one-time secret (a new client secret or API token) waiting to be shown once on the
//   page a successful post redirects to, keyed by the admin session (its hash) and what it belongs to.
//   The value is sealed (JWE under a key from LATCHKEY_SECRET), never stored in the clear, and deleted
//   when read or when it expires.
// - console_form_tokens: the one-time form tokens already used (SHA-256 only), so a form sent twice (a
//   double click, the browser's resubmit) changes nothing the second time. A token is signed for its
//   session, so issuing one writes nothing; a row is kept until the token would have expired anyway.
// - clients.logo_uri: an https logo shown on the sign-in page (RFC 7591 §2 `logo_uri`).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_flashes')
    .addColumn('session_hash', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('console_flashes_pk', ['session_hash', 'subject'])
    .execute();
  await db.schema
    .createIndex('console_flashes_expires_at')
    .on('console_flashes')
    .column('expires_at')
    .execute();
  await db.schema
    .createTable('console_form_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('session_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('console_form_tokens_expires_at')
    .on('console_form_tokens')
    .column('expires_at')
    .execute();
  await db.schema.alterTable('clients').addColumn('logo_uri', 'text').execute();
}
