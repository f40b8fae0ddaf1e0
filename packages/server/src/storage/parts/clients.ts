import { affected, decode, encode, type Kinds } from '../codec.ts';
import type { Executor } from '../schema.ts';
import type { ClientRow, ClientStore } from '../store.ts';

const CLIENT: Kinds<ClientRow> = {
  redirectUris: 'json',
  postLogoutRedirectUris: 'json',
  grantTypes: 'json',
  pkceRequired: 'bool',
  loopbackAnyPort: 'bool',
};

export function clientPart(db: Executor): ClientStore {
  const get = async (clientId: string): Promise<ClientRow | undefined> => {
    const row = await db()
      .selectFrom('clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row && decode<ClientRow>(row, CLIENT);
  };
  return {
    async create(row) {
      await db().insertInto('clients').values(encode(row)).execute();
    },
    get,
    async list() {
      const rows = await db()
        .selectFrom('clients')
        .selectAll()
        .orderBy('created_at')
        .orderBy('client_id')
        .execute();
      return rows.map((row) => decode<ClientRow>(row, CLIENT));
    },
    async update(clientId, patch) {
      const values = encode(patch);
      if (Object.keys(values).length === 0) return (await get(clientId)) !== undefined;
      const result = await db()
        .updateTable('clients')
        .set(values)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return affected(result) > 0;
    },
    async delete(clientId) {
      return (
        affected(await db().deleteFrom('clients').where('client_id', '=', clientId).executeTakeFirst()) > 0
      );
    },
  };
}
