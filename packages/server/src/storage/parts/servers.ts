import { affected, decode, encode, type Kinds } from '../codec.ts';
import type { Executor } from '../schema.ts';
import type { AuthorizationServerRow, AuthorizationServerStore, ScopeRow } from '../store.ts';

const SERVER: Kinds<AuthorizationServerRow> = { resources: 'json' };
const SCOPE: Kinds<ScopeRow> = {};

export function authorizationServerPart(db: Executor): AuthorizationServerStore {
  const get = async (id: string): Promise<AuthorizationServerRow | undefined> => {
    const row = await db()
      .selectFrom('authorization_servers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && decode<AuthorizationServerRow>(row, SERVER);
  };
  return {
    async create(row) {
      await db().insertInto('authorization_servers').values(encode(row)).execute();
    },
    get,
    async list() {
      const rows = await db()
        .selectFrom('authorization_servers')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((row) => decode<AuthorizationServerRow>(row, SERVER));
    },
    async update(id, patch) {
      const values = encode(patch);
      if (Object.keys(values).length === 0) return (await get(id)) !== undefined;
      return (
        affected(
          await db().updateTable('authorization_servers').set(values).where('id', '=', id).executeTakeFirst(),
        ) > 0
      );
    },
    async addScope(row) {
      await db().insertInto('scopes').values(encode(row)).execute();
    },
    async listScopes(serverId) {
      const rows = await db()
        .selectFrom('scopes')
        .selectAll()
        .where('server_id', '=', serverId)
        .orderBy('name')
        .execute();
      return rows.map((row) => decode<ScopeRow>(row, SCOPE));
    },
    async deleteScope(serverId, name) {
      const result = await db()
        .deleteFrom('scopes')
        .where('server_id', '=', serverId)
        .where('name', '=', name)
        .executeTakeFirst();
      return affected(result) > 0;
    },
  };
}
