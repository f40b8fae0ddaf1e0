// Okta's cursor paging: `limit` and `after`, with the next page announced in a `Link` header
// (`<…?after=…&limit=…>; rel="next"`), which the Okta SDKs follow.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { rawQuery } from '../http/parse.ts';
import { ValidationError } from '../services/errors.ts';

export interface PageQuery {
  limit: number;
  after?: string | undefined;
}

/**
 * A preValidation hook: `limit` as written must be a plain decimal number from 1 to `maximum` (issue 14).
 * The schema alone would let `Infinity`, `1e309` and `0x10` through: the validator coerces them to numbers
 * and does not bound infinities.
 */
export function limitGuard(maximum: number): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const limit = rawQuery(request).getAll('limit');
    if (limit.length === 0) return;
    const [text] = limit;
    if (
      limit.length > 1 ||
      text === undefined ||
      !/^[0-9]{1,7}$/.test(text) ||
      Number(text) < 1 ||
      Number(text) > maximum
    ) {
      throw new ValidationError(
        'invalid_limit',
        'limit',
        `limit must be a whole number from 1 to ${maximum} (given ${JSON.stringify(limit.join(',').slice(0, 40))}).`,
      );
    }
  };
}

/**
 * At most `limit` items whose key sorts after the cursor, ordered by key. Comparing (rather than finding
 * the cursor's position) keeps paging right when the item named by the cursor was deleted meanwhile.
 */
export function pageOf<T>(items: readonly T[], key: (item: T) => string, query: PageQuery): T[] {
  const after = query.after;
  return [...items]
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .filter((item) => after === undefined || key(item) > after)
    .slice(0, query.limit);
}

/** Sets `Link` with rel="self" and, when the page is full, rel="next" continuing after `last`. */
export function setPageLinks(
  reply: FastifyReply,
  url: string,
  query: object,
  page: { length: number; last: string | undefined; limit: number },
): void {
  const params = (extra: Record<string, string>): string => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...query, ...extra }) as [string, unknown][]) {
      if (value !== undefined && value !== null) search.set(name, String(value));
    }
    const text = search.toString();
    return text === '' ? url : `${url}?${text}`;
  };
  const links = [`<${params({})}>; rel="self"`];
  if (page.length >= page.limit && page.last !== undefined) {
    links.push(`<${params({ after: page.last, limit: String(page.limit) })}>; rel="next"`);
  }
  reply.header('Link', links.join(', '));
}
