import { affected, decode, encode, type Kinds } from '../codec.ts';
import type { Executor } from '../schema.ts';
import type { SigningKeyRow, SigningKeyStore } from '../store.ts';

const KEY: Kinds<SigningKeyRow> = {};

export function signingKeyPart(db: Executor): SigningKeyStore {
  return {
    async create(row) {
      await db().insertInto('signing_keys').values(encode(row)).execute();
    },
    async listForServer(serverId) {
      const rows = await db()
        .selectFrom('signing_keys')
        .selectAll()
        .where('server_id', '=', serverId)
        .orderBy('created_at')
        .orderBy('kid')
        .execute();
      return rows.map((row) => decode<SigningKeyRow>(row, KEY));
    },
    async update(kid, patch, options = {}) {
      const values = encode(patch);
      const { ifStatus } = options;
      if (Object.keys(values).length === 0) {
        let query = db().selectFrom('signing_keys').select('kid').where('kid', '=', kid);
        if (ifStatus !== undefined) query = query.where('status', '=', ifStatus);
        return (await query.executeTakeFirst()) !== undefined;
      }
      let query = db().updateTable('signing_keys').set(values).where('kid', '=', kid);
      if (ifStatus !== undefined) query = query.where('status', '=', ifStatus);
      return affected(await query.executeTakeFirst()) > 0;
    },
  };
}
