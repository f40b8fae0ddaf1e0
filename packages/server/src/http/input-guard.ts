// Refuses U+0000 and text that is not UTF-8 anywhere in a request before any of it reaches the store
// (SECURITY-MATRIX NB-01, a new row): query and form parameters, path segments, header values, cookies and JSON
// strings. PostgreSQL cannot hold U+0000 in text (SQLSTATE 22021), so a NUL reaching it became a 500 and
// took the event describing the refusal with it. RFC 3629 §3 makes ill-formed sequences (encoded
// surrogates included) invalid UTF-8; RFC 8259 §8.2 calls lone surrogates in JSON strings unpredictable.

import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordEvent } from '../audit.ts';
import type { Deps } from '../deps.ts';

export type InputLocation = 'query' | 'form' | 'json' | 'path' | 'header' | 'cookie';
export type InputProblem = 'nul' | 'utf8' | 'surrogate';

const WHERE: Record<InputLocation, string> = {
  query: 'query parameter',
  form: 'form parameter',
  json: 'JSON field',
  path: 'path segment',
  header: 'header',
  cookie: 'cookie',
};

export const PROBLEMS: Record<InputProblem, string> = {
  nul: 'contains a NUL character (U+0000); remove it',
  utf8: 'is not valid UTF-8; send text as UTF-8 (percent-encoded in URLs and forms)',
  surrogate: 'contains a lone surrogate (U+D800-U+DFFF); send well-formed Unicode text',
};

/** Bad input named by where it was sent; a client error wherever it is rendered (statusCode 400). */
export class InvalidInputError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly location: InputLocation,
    readonly field: string,
    readonly problem: InputProblem,
  ) {
    super(`The ${WHERE[location]} '${field}' ${PROBLEMS[problem]}.`);
    this.name = 'InvalidInputError';
  }
}

// Only text with an escape or a NUL can be bad: the common case costs one test.
const SUSPECT = /[%\0]/;
const BAD_TEXT = /[\0\p{Cs}]/u;
// A `%` not followed by two hex digits stays literal, as URLSearchParams and Fastify's parsers keep it.
const STRAY_PERCENT = /%(?![0-9a-fA-F]{2})/g;

/** A name fit to quote in an error description (RFC 6749 §5.2 limits its characters). */
function label(name: string): string {
  const printable = name.replace(/[^\x20\x21\x23-\x26\x28-\x5b\x5d-\x7e]/g, '?').slice(0, 64);
  return printable === '' ? '(no name)' : printable;
}

/** Percent-encoded text whose bytes hold a NUL or are not UTF-8 (decodeURIComponent refuses those). */
function encodedProblem(text: string): InputProblem | undefined {
  if (!SUSPECT.test(text)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(text.replace(STRAY_PERCENT, '%25'));
  } catch {
    return 'utf8';
  }
  return decoded.includes('\0') ? 'nul' : undefined;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ').replace(STRAY_PERCENT, '%25'));
  } catch {
    return name;
  }
}

function textProblem(text: string): InputProblem | undefined {
  const found = BAD_TEXT.exec(text)?.[0];
  return found === undefined ? undefined : found === '\0' ? 'nul' : 'surrogate';
}

/** application/x-www-form-urlencoded pairs, as in a query string or a form body. */
function checkPairs(text: string, location: 'query' | 'form'): void {
  for (const pair of text.split('&')) {
    if (!SUSPECT.test(pair)) continue;
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const problem = encodedProblem(name) ?? (eq === -1 ? undefined : encodedProblem(pair.slice(eq + 1)));
    if (problem !== undefined) {
      throw new InvalidInputError(location, label(decodedName(name)), problem);
    }
  }
}

/** The path's segments; a bad one is named by the route's parameter (`serverId`) when there is one. */
function checkPath(path: string, nameAt: (index: number) => string | undefined): void {
  path.split('/').forEach((segment, index) => {
    const problem = encodedProblem(segment);
    if (problem !== undefined) throw new InvalidInputError('path', nameAt(index) ?? 'path', problem);
  });
}

function checkHeaders(rawHeaders: readonly string[]): void {
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const value = rawHeaders[index + 1] ?? '';
    // Node reads header bytes as latin1 (and refuses NUL itself): get the bytes back to check them.
    if (!/[\0\x80-\xff]/.test(value)) continue;
    const bytes = Buffer.from(value, 'latin1');
    const problem = bytes.includes(0) ? 'nul' : isUtf8(bytes) ? undefined : 'utf8';
    if (problem !== undefined) {
      throw new InvalidInputError('header', label((rawHeaders[index] ?? '').toLowerCase()), problem);
    }
  }
}

/** Every string and key of a parsed JSON body, walked without recursion (a 64 KB body nests deep). */
export function findJsonText(
  body: unknown,
  isBad: (text: string) => boolean,
): { field: string; text: string } | undefined {
  const pending: [unknown, string][] = [[body, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (isBad(value)) return { field: path === '' ? 'body' : path, text: value };
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        pending.push([item, `${path}[${index}]`]);
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const field = path === '' ? label(key) : `${path}.${label(key)}`;
        if (isBad(key)) return { field, text: key };
        pending.push([item, field]);
      }
    }
  }
  return undefined;
}

function checkJson(body: unknown): void {
  const found = findJsonText(body, (text) => BAD_TEXT.test(text));
  if (found !== undefined) throw new InvalidInputError('json', found.field, textProblem(found.text) ?? 'nul');
}

/** A JSON body's text; bytes that are not UTF-8 are refused, named by the field they decode into. */
export function decodeJsonBody(body: Buffer): string {
  const text = body.toString('utf8');
  if (isUtf8(body)) return text;
  let field = 'body';
  try {
    field = findJsonText(JSON.parse(text), (value) => value.includes('\ufffd'))?.field ?? field;
  } catch {
    // Not JSON either: the body as a whole is named.
  }
  throw new InvalidInputError('json', field, 'utf8');
}

/** A form body (RFC 6749 App. B): raw bytes, then each pair's escapes, checked before decoding. */
export function decodeFormBody(body: Buffer): URLSearchParams {
  if (!isUtf8(body)) {
    const pairs = body.toString('latin1').split('&');
    const bad = pairs.find((pair) => !isUtf8(Buffer.from(pair, 'latin1'))) ?? '';
    const name = Buffer.from(bad.split('=')[0] ?? '', 'latin1').toString('utf8');
    throw new InvalidInputError('form', label(decodedName(name)), 'utf8');
  }
  const text = body.toString('utf8');
  checkPairs(text, 'form');
  return new URLSearchParams(text);
}

/** The URL, headers and cookies as soon as the route is known; parsed bodies before validation. */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    checkUrl(request, (index) => request.routeOptions.url?.split('/')[index]);
    checkHeaders(request.raw.rawHeaders);
    for (const [name, value] of Object.entries(request.cookies ?? {})) {
      const problem = value === undefined ? undefined : textProblem(value);
      if (problem !== undefined) throw new InvalidInputError('cookie', label(name), problem);
    }
  });
  app.addHook('preValidation', async (request) => {
    if (typeof request.body === 'object' && !(request.body instanceof URLSearchParams))
      checkJson(request.body);
  });
}

function checkUrl(request: FastifyRequest, patternAt: (index: number) => string | undefined): void {
  const url = request.raw.url ?? '';
  const query = url.indexOf('?');
  checkPath(query === -1 ? url : url.slice(0, query), (index) => {
    const pattern = patternAt(index);
    return pattern?.startsWith(':') ? pattern.slice(1) : undefined;
  });
  if (query !== -1) checkPairs(url.slice(query + 1), 'query');
}

/**
 * Fastify refuses a path it cannot decode before any hook runs (FST_ERR_BAD_URL); this finds the segment
 * and names it by the route it would have matched, so the refusal reads like any other.
 */
export function invalidPath(app: FastifyInstance, request: FastifyRequest): InvalidInputError | undefined {
  const path = (request.raw.url ?? '').split('?')[0] ?? '';
  const segments = path.split('/');
  try {
    checkUrl(request, (index) => {
      const probe = segments.map((segment, at) => (at === index ? '-input-guard-' : segment)).join('/');
      const found = app.findRoute({ method: request.method as 'GET', url: probe });
      const params = (found?.params ?? {}) as Record<string, string>;
      const name = Object.keys(params).find((key) => params[key] === '-input-guard-');
      return name === undefined ? undefined : `:${name}`;
    });
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  return undefined;
}

const REFUSAL_EVENTS: readonly [RegExp, string][] = [
  [/\/v1\/authorize$/, 'app.oauth2.authorize'],
  [/\/v1\/token$/, 'app.oauth2.token.grant'],
  [/^\/sign-in$/, 'user.authentication.sso'],
  [/^\/consent$/, 'app.oauth2.consent'],
];

/** The system-log entry the endpoint would have written; it names the field, never the value. */
export async function recordInputRefusal(
  deps: Pick<Deps, 'store' | 'clock' | 'log'>,
  request: FastifyRequest,
  error: InvalidInputError,
): Promise<void> {
  const path = (request.raw.url ?? '').split('?')[0] ?? '';
  const type = REFUSAL_EVENTS.find(([pattern]) => pattern.test(path))?.[1];
  if (type === undefined) return;
  await recordEvent(deps, {
    type,
    outcome: 'FAILURE',
    error: 'invalid_request',
    ip: request.ip,
    reason: error.message,
  });
}
