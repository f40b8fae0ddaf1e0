// Reading OAuth parameters off a Fastify request: the query from the raw URL (Fastify's parser would merge
// repeats), and the form body as URLSearchParams (registered as the only body parser in app.ts).

import type { FastifyRequest } from 'fastify';
import { collectParameters, type ParameterBag } from '../oauth/params.ts';

export function rawQuery(request: FastifyRequest): URLSearchParams {
  const url = request.raw.url ?? '';
  const index = url.indexOf('?');
  return new URLSearchParams(index === -1 ? '' : url.slice(index + 1));
}

/** The form body, or an empty set when the request had none or was not a form. */
export function formBody(request: FastifyRequest): URLSearchParams {
  return request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
}

export function isForm(request: FastifyRequest): boolean {
  return request.body instanceof URLSearchParams;
}

/** Query and body together; a name in both counts as repeated (RU-12). */
export function allParameters(request: FastifyRequest): ParameterBag {
  return collectParameters(rawQuery(request), formBody(request));
}

export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
