import { affected, decode, encode, type Kinds } from '../codec.ts';
import type { ApiTokensTable, Executor } from '../schema.ts';
import type { ApiTokenRow, ApiTokenStore } from '../store.ts';

const API_TOKEN: Kinds<ApiTokenRow> = {};

const toApiToken = (row: ApiTokensTable): ApiTokenRow => decode<ApiTokenRow>(row, API_TOKEN);

export function apiTokenPart(db: Executor): ApiTokenStore {
  return {
    async create(row) {
      await db().insertInto('api_tokens').values(encode(row)).execute();
    },
    async get(id) {
      const row = await db().selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toApiToken(row);
    },
    async getByHash(tokenHash) {
      const row = await db()
        .selectFrom('api_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row && toApiToken(row);
    },
    async list() {
      const rows = await db()
        .selectFrom('api_tokens')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toApiToken);
    },
    async revoke(id, now) {
      const result = await db()
        .updateTable('api_tokens')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result) > 0;
    },
    async touch(id, now) {
      await db()
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now)]))
        .execute();
    },
  };
}
