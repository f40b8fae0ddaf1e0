// Route schemas of the admin API: every operation gets Okta's error body for 4xx and 5xx, and shared
// schemas are referenced by name (OpenAPI components.schemas).

import type { FastifySchema } from 'fastify';

type Schema = Record<string, unknown>;

export const ref = (id: string): Schema => ({ $ref: `${id}#` });
export const listOf = (id: string): Schema => ({ type: 'array', items: ref(id) });
const EMPTY = { type: 'object', description: 'An empty object, as Okta answers lifecycle operations.' };
const NO_CONTENT = { type: 'null', description: 'No content' };

export const pathParams = (...names: string[]): Schema => ({
  type: 'object',
  properties: Object.fromEntries(names.map((name) => [name, { type: 'string', minLength: 1 }])),
  required: names,
});

export const paging = (maximum: number, fallback: number): Schema => ({
  limit: { type: 'integer', minimum: 1, maximum, default: fallback },
  after: { type: 'string', description: 'The cursor from the `next` link of the previous page.' },
});

interface RouteSchema {
  tags: string[];
  operationId: string;
  summary: string;
  params?: Schema;
  querystring?: Schema;
  body?: Schema;
  /** The success response: a schema, `'empty'` ({}) or `'none'` (204). */
  success: Schema | 'empty' | 'none';
  /** Only to open a route up (`[]`); every other route needs an API token. */
  security?: [];
}

/** A route's schema with Okta's error body on every failure and the API token requirement. */
export function routeSchema(route: RouteSchema): FastifySchema {
  const { success, ...rest } = route;
  const code = success === 'none' ? 204 : 200;
  const body = success === 'none' ? NO_CONTENT : success === 'empty' ? EMPTY : success;
  return {
    ...rest,
    response: { [code]: body, '4xx': ref('Error'), '5xx': ref('Error') },
  } as FastifySchema;
}
