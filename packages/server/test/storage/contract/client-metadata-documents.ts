// Contract: Client ID Metadata Documents (CM-09: a shared cache on every instance).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClientMetadataDocumentRow } from '../../../src/storage/store.ts';
import { type GetStore, NOW, uid } from './fixtures.ts';

const documentRow = (o: Partial<ClientMetadataDocumentRow> = {}): ClientMetadataDocumentRow => {
  const clientId = `https://${uid('h')}.example/client.json`;
  return {
    clientId,
    host: new URL(clientId).host,
    clientName: 'Example MCP client',
    document: JSON.stringify({ client_id: clientId, redirect_uris: ['http://127.0.0.1/cb'] }),
    fetchedAt: NOW,
    expiresAt: NOW + 300,
    lastSeenAt: NOW,
    ...o,
  };
};

export function clientMetadataDocumentContract(store: GetStore): void {
  describe('client metadata documents', () => {
    it('CM-09 round-trips, replaces on put, touches forward only, lists by last use and prunes', async () => {
      const row = documentRow({ lastSeenAt: NOW + 1_000_000 });
      await store().clientMetadataDocuments.put(row);
      assert.deepEqual(await store().clientMetadataDocuments.get(row.clientId), row);
      assert.equal(await store().clientMetadataDocuments.get(`${row.clientId}x`), undefined);
      const refetched = { ...row, clientName: null, fetchedAt: NOW + 5, expiresAt: NOW + 900 };
      await store().clientMetadataDocuments.put(refetched);
      assert.deepEqual(await store().clientMetadataDocuments.get(row.clientId), refetched);
      await store().clientMetadataDocuments.touch(row.clientId, NOW + 1_000_010);
      await store().clientMetadataDocuments.touch(row.clientId, NOW + 1_000_005);
      assert.equal((await store().clientMetadataDocuments.get(row.clientId))?.lastSeenAt, NOW + 1_000_010);
      const older = documentRow({ lastSeenAt: NOW + 999_000 });
      await store().clientMetadataDocuments.put(older);
      const recent = await store().clientMetadataDocuments.listRecent(2);
      assert.deepEqual(
        recent.map((r) => r.clientId),
        [row.clientId, older.clientId],
      );
      const stale = documentRow({ lastSeenAt: NOW - 10 });
      await store().clientMetadataDocuments.put(stale);
      assert.ok((await store().clientMetadataDocuments.prune(NOW)) >= 1);
      assert.equal(await store().clientMetadataDocuments.get(stale.clientId), undefined);
      assert.ok((await store().clientMetadataDocuments.get(row.clientId)) !== undefined);
    });
  });
}
