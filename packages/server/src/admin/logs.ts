// /api/v1/logs: the system log (AD-03) as Okta's LogEvent list, newest first. `since` (inclusive) and
// `until` (exclusive) are ISO 8601 times; `filter` takes Okta's `attribute eq "value"` clauses joined by
// `and`, for outcome.result, client.id (an app) and target.id (a user or an app); `after` continues from
// the previous page's last event, as the `next` link says.

import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../services/errors.ts';
import type { EventOutcome, EventQuery, Store } from '../storage/store.ts';
import type { AdminContext } from './context.ts';
import { limitGuard, setPageLinks } from './paging.ts';
import { listOf, paging, routeSchema } from './route-schema.ts';
import { logEventJson } from './shapes.ts';

interface LogQuery {
  since?: string;
  until?: string;
  filter?: string;
  limit: number;
  after?: string;
  sortOrder?: 'DESCENDING';
}

const CLAUSE = /^\s*([\w.]+)\s+eq\s+"([^"\\]*)"\s*$/i;
const FILTER_HELP =
  'Use attribute eq "value" clauses joined by and, with outcome.result, client.id or target.id, e.g. outcome.result eq "FAILURE" and client.id eq "0oa…".';

export function registerLogRoutes(api: FastifyInstance, ctx: AdminContext): void {
  api.get<{ Querystring: LogQuery }>(
    '/logs',
    {
      preValidation: limitGuard(1000),
      schema: routeSchema({
        tags: ['SystemLog'],
        operationId: 'listLogEvents',
        summary: 'List system log events, newest first',
        querystring: {
          type: 'object',
          properties: {
            since: { type: 'string', format: 'date-time' },
            until: { type: 'string', format: 'date-time' },
            filter: { type: 'string', maxLength: 2000, description: FILTER_HELP },
            sortOrder: { type: 'string', enum: ['DESCENDING'], description: 'Only newest first is offered.' },
            ...paging(1000, 100),
          },
        },
        success: listOf('LogEvent'),
      }),
    },
    async (request, reply) => {
      const { since, until, filter, limit, after } = request.query;
      const query: EventQuery = {
        ...(await parseFilter(ctx.deps.store, filter)),
        ...(since === undefined ? {} : { since: epochSeconds(since) }),
        ...(until === undefined ? {} : { until: epochSeconds(until) }),
        ...(after === undefined ? {} : { before: after }),
        limit,
      };
      const events = await ctx.deps.store.events.list(query);
      setPageLinks(reply, `${ctx.base}/logs`, request.query, {
        length: events.length,
        last: events.at(-1)?.id,
        limit,
      });
      return events.map(logEventJson);
    },
  );
}

const epochSeconds = (time: string): number => Math.floor(Date.parse(time) / 1000);

async function parseFilter(
  store: Store,
  filter: string | undefined,
): Promise<Pick<EventQuery, 'clientId' | 'userId' | 'outcome'>> {
  const query: Pick<EventQuery, 'clientId' | 'userId' | 'outcome'> = {};
  if (filter === undefined || filter.trim() === '') return query;
  for (const clause of filter.split(/\s+and\s+/i)) {
    const match = CLAUSE.exec(clause);
    const attribute = match?.[1];
    const value = match?.[2] ?? '';
    if (attribute === 'outcome.result' && (value === 'SUCCESS' || value === 'FAILURE')) {
      query.outcome = value satisfies EventOutcome;
    } else if (attribute === 'client.id') {
      query.clientId = value;
    } else if (attribute === 'target.id') {
      if ((await store.users.get(value)) !== undefined) query.userId = value;
      else query.clientId = value;
    } else {
      throw new ValidationError('invalid_filter', 'filter', `Cannot use "${clause.trim()}". ${FILTER_HELP}`);
    }
  }
  return query;
}
