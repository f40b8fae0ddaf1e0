// The app names and user logins that system-log entries refer to by id.

import type { EventRow, Store } from '../../storage/store.ts';
import type { EventNames } from '../../ui/console/event-list.tsx';

export async function eventNames(store: Store, events: readonly EventRow[]): Promise<EventNames> {
  const apps = new Map((await store.clients.list()).map((client) => [client.clientId, client.name]));
  const users = new Map<string, string>();
  for (const userId of new Set(events.flatMap((event) => (event.userId === null ? [] : [event.userId])))) {
    const user = await store.users.get(userId);
    if (user !== undefined) users.set(userId, user.login);
  }
  return { apps, users };
}
