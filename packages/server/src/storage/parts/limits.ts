import { sql } from 'kysely';
import type { Executor } from '../schema.ts';
import type { RateLimitStore, SettingStore } from '../store.ts';

export function rateLimitPart(db: Executor): RateLimitStore {
  return {
    async hit(key, windowStart, expiresAt) {
      // One upsert, so concurrent hits on any number of instances are each counted once.
      const row = await db()
        .insertInto('rate_limits')
        .values({ key, window_start: windowStart, count: 1, expires_at: expiresAt })
        .onConflict((oc) =>
          oc.columns(['key', 'window_start']).doUpdateSet({ count: sql<number>`rate_limits.count + 1` }),
        )
        .returning('count')
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
  };
}

export function settingPart(db: Executor): SettingStore {
  const get = async (name: string): Promise<string | undefined> => {
    const row = await db().selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value;
  };
  return {
    get,
    async setIfAbsent(name, value) {
      await db()
        .insertInto('settings')
        .values({ name, value })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const stored = await get(name);
      if (stored === undefined) throw new Error(`Setting "${name}" vanished right after it was written`);
      return stored;
    },
  };
}
