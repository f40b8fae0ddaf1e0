import { affected, decode, encode, type Kinds } from '../codec.ts';
import type { ClaimsTable, Executor } from '../schema.ts';
import type { ClaimRow, ClaimStore } from '../store.ts';

const CLAIM: Kinds<ClaimRow> = { scopes: 'json', alwaysIncludeInToken: 'bool' };

const toClaim = (row: ClaimsTable): ClaimRow => decode<ClaimRow>(row, CLAIM);

export function claimPart(db: Executor): ClaimStore {
  const get = async (serverId: string, id: string): Promise<ClaimRow | undefined> => {
    const row = await db()
      .selectFrom('claims')
      .selectAll()
      .where('server_id', '=', serverId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toClaim(row);
  };
  return {
    async create(row) {
      await db().insertInto('claims').values(encode(row)).execute();
    },
    get,
    async listForServer(serverId) {
      const rows = await db()
        .selectFrom('claims')
        .selectAll()
        .where('server_id', '=', serverId)
        .orderBy('name')
        .orderBy('claim_type')
        .execute();
      return rows.map(toClaim);
    },
    async update(serverId, id, patch) {
      const values = encode(patch);
      if (Object.keys(values).length === 0) return (await get(serverId, id)) !== undefined;
      const result = await db()
        .updateTable('claims')
        .set(values)
        .where('server_id', '=', serverId)
        .where('id', '=', id)
        .executeTakeFirst();
      return affected(result) > 0;
    },
    async delete(serverId, id) {
      const result = await db()
        .deleteFrom('claims')
        .where('server_id', '=', serverId)
        .where('id', '=', id)
        .executeTakeFirst();
      return affected(result) > 0;
    },
  };
}
