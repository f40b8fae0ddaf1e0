// The system log page (AD-03): newest first, filtered by app, user, outcome and time, paged with `before`.
// Times in the form are UTC, like every time in the console.

import type { FastifyInstance } from 'fastify';
import type { EventQuery } from '../../storage/store.ts';
import { type LogFilters, renderSystemLogPage } from '../../ui/console/system-log-page.tsx';
import type { HttpContext } from '../context.ts';
import { rawQuery } from '../parse.ts';
import { eventNames } from './event-names.ts';
import { consoleFrame, sendConsolePage } from './guard.ts';

const PAGE_SIZE = 50;

/** `YYYY-MM-DDTHH:MM[:SS]` as UTC epoch seconds; undefined when empty or not a time. */
function utcSeconds(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const ms = Date.parse(`${value}Z`);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export function registerConsoleLog(app: FastifyInstance, ctx: HttpContext): void {
  const { store } = ctx.deps;
  app.get('/log', async (request, reply) => {
    const query = rawQuery(request);
    const read = (name: string): string => (query.get(name) ?? '').trim().slice(0, 300);
    const outcome = read('outcome');
    const filters: LogFilters = {
      app: read('app'),
      user: read('user'),
      outcome: outcome === 'SUCCESS' || outcome === 'FAILURE' ? outcome : '',
      since: read('since'),
      until: read('until'),
    };
    const problems: string[] = [];
    const eventQuery: EventQuery = { limit: PAGE_SIZE + 1 };
    if (filters.app !== '') eventQuery.clientId = filters.app;
    if (filters.outcome !== '') eventQuery.outcome = filters.outcome;
    let noMatch = false;
    if (filters.user !== '') {
      const user = (await store.users.get(filters.user)) ?? (await store.users.getByLogin(filters.user));
      if (user === undefined) {
        problems.push(`No user has the login or ID "${filters.user}".`);
        noMatch = true;
      } else eventQuery.userId = user.id;
    }
    for (const [name, key] of [
      ['since', 'since'],
      ['until', 'until'],
    ] as const) {
      if (filters[name] === '') continue;
      const seconds = utcSeconds(filters[name]);
      if (seconds === undefined) problems.push(`"${filters[name]}" is not a date and time.`);
      else eventQuery[key] = seconds;
    }
    const before = read('before');
    if (before !== '') eventQuery.before = before;
    const page = noMatch ? [] : await store.events.list(eventQuery);
    const events = page.slice(0, PAGE_SIZE);
    const params = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ''));
    const newestHref = `/console/log${params.size > 0 ? `?${params}` : ''}`;
    const last = events.at(-1);
    let olderHref: string | undefined;
    if (page.length > PAGE_SIZE && last !== undefined) {
      const older = new URLSearchParams(params);
      older.set('before', last.id);
      olderHref = `/console/log?${older}`;
    }
    const frame = consoleFrame(request, reply);
    const html = renderSystemLogPage({
      frame,
      filters,
      apps: (await store.clients.list()).sort((a, b) => a.name.localeCompare(b.name)),
      events,
      names: await eventNames(store, events),
      problems,
      olderHref,
      paged: before !== '',
      newestHref,
    });
    return sendConsolePage(reply, frame, html);
  });
}
