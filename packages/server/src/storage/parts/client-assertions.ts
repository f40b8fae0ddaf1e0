// Used client-assertion `jti`s (RFC 7523 §3 item 7): one conditional insert decides whether an assertion
// is new, on any number of instances.
import { encode } from '../codec.ts';
import type { Executor } from '../schema.ts';
import type { ClientAssertionStore } from '../store.ts';

export function clientAssertionPart(db: Executor): ClientAssertionStore {
  return {
    async use(row) {
      const result = await db()
        .insertInto('client_assertions')
        .values(encode(row))
        .onConflict((oc) => oc.columns(['client_id', 'jti_hash']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
  };
}
