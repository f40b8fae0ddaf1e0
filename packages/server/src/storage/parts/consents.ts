import { affected, decode, encode, type Kinds } from '../codec.ts';
import type { Executor } from '../schema.ts';
import type { ConsentRow, ConsentStore } from '../store.ts';

const CONSENT: Kinds<ConsentRow> = { scopes: 'json' };

export function consentPart(db: Executor): ConsentStore {
  return {
    async get(userId, clientId, serverId) {
      const row = await db()
        .selectFrom('consents')
        .selectAll()
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .where('server_id', '=', serverId)
        .executeTakeFirst();
      return row && decode<ConsentRow>(row, CONSENT);
    },
    async put(row) {
      const values = encode(row);
      // One upsert, so two tabs consenting at once cannot fail on the primary key.
      await db()
        .insertInto('consents')
        .values(values)
        .onConflict((conflict) =>
          conflict
            .columns(['user_id', 'client_id', 'server_id'])
            .doUpdateSet({ scopes: values.scopes, updated_at: values.updated_at }),
        )
        .execute();
    },
    async revoke(userId, clientId, serverId) {
      const result = await db()
        .deleteFrom('consents')
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .where('server_id', '=', serverId)
        .executeTakeFirst();
      return affected(result) > 0;
    },
    async listForUser(userId) {
      const rows = await db()
        .selectFrom('consents')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('client_id')
        .execute();
      return rows.map((row) => decode<ConsentRow>(row, CONSENT));
    },
  };
}
