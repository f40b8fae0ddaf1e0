import { affected, decode, encode, type Kinds } from '../codec.ts';
import type { Executor } from '../schema.ts';
import type { ClientMetadataDocumentRow, ClientMetadataDocumentStore } from '../store.ts';

const DOCUMENT: Kinds<ClientMetadataDocumentRow> = {};

export function clientMetadataDocumentPart(db: Executor): ClientMetadataDocumentStore {
  return {
    async get(clientId) {
      const row = await db()
        .selectFrom('client_metadata_documents')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row && decode<ClientMetadataDocumentRow>(row, DOCUMENT);
    },
    async put(row) {
      const values = encode(row);
      // One upsert: two instances refetching the same document at once must not fail on the key.
      await db()
        .insertInto('client_metadata_documents')
        .values(values)
        .onConflict((conflict) =>
          conflict.column('client_id').doUpdateSet({
            host: values.host,
            client_name: values.client_name,
            document: values.document,
            fetched_at: values.fetched_at,
            expires_at: values.expires_at,
            last_seen_at: values.last_seen_at,
          }),
        )
        .execute();
    },
    async touch(clientId, now) {
      await db()
        .updateTable('client_metadata_documents')
        .set({ last_seen_at: now })
        .where('client_id', '=', clientId)
        .where('last_seen_at', '<', now)
        .execute();
    },
    async listRecent(limit) {
      const rows = await db()
        .selectFrom('client_metadata_documents')
        .selectAll()
        .orderBy('last_seen_at', 'desc')
        .orderBy('client_id')
        .limit(limit)
        .execute();
      return rows.map((row) => decode<ClientMetadataDocumentRow>(row, DOCUMENT));
    },
    async prune(cutoff) {
      const result = await db()
        .deleteFrom('client_metadata_documents')
        .where('last_seen_at', '<', cutoff)
        .executeTakeFirst();
      return affected(result);
    },
  };
}
