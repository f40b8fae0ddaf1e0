import { decode, encode, type Kinds } from '../codec.ts';
import { insertTemplate } from '../query-template.ts';
import type { Executor } from '../schema.ts';
import type { EventRow, EventStore } from '../store.ts';

const EVENT: Kinds<EventRow> = {};

export function eventPart(db: Executor): EventStore {
  // Issue 8: every authorize and token request appends one, compiled once (query-template.ts).
  const insert = insertTemplate(db, 'events');
  return {
    async append(row) {
      await insert(encode(row));
    },
    /**
     * Newest first. `since` is inclusive and `until` exclusive, so consecutive ranges tile. `before`
     * compares ids, which callers generate to sort by time (zero-padded milliseconds + random).
     */
    async list({ serverId, clientId, userId, outcome, since, until, before, limit }) {
      let query = db()
        .selectFrom('events')
        .selectAll()
        .orderBy('time', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.max(0, limit));
      if (serverId !== undefined) query = query.where('server_id', '=', serverId);
      if (clientId !== undefined) query = query.where('client_id', '=', clientId);
      if (userId !== undefined) query = query.where('user_id', '=', userId);
      if (outcome !== undefined) query = query.where('outcome', '=', outcome);
      if (since !== undefined) query = query.where('time', '>=', since);
      if (until !== undefined) query = query.where('time', '<', until);
      if (before !== undefined) query = query.where('id', '<', before);
      return (await query.execute()).map((row) => decode<EventRow>(row, EVENT));
    },
  };
}
