// The one place that talks HTTP: form POSTs and JSON GETs with fetch, turning failures into the typed
// errors of errors.ts. Every endpoint file goes through here.

import { NetworkError, OAuthResponseError, UnexpectedResponseError } from '../errors.ts';

/**
 * Transport options every network operation accepts.
 *
 * @example
 * ```ts
 * const metadata = await discover(issuer, { signal: AbortSignal.timeout(10_000) });
 * ```
 */
export interface HttpOptions {
  /** A fetch implementation (default: the global fetch); e.g. one with a proxy or extra headers. */
  fetch?: typeof fetch | undefined;
  /** Aborts the request. */
  signal?: AbortSignal | undefined;
}

export async function send(url: string, init: RequestInit, options: HttpOptions = {}): Promise<Response> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  try {
    return await fetchImpl(url, {
      ...init,
      ...(options.signal ? { signal: options.signal } : {}),
      redirect: 'manual',
    });
  } catch (error) {
    throw new NetworkError(url, error);
  }
}

export function postForm(
  url: string,
  form: Record<string, string | undefined>,
  options: HttpOptions = {},
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) if (value !== undefined) body.set(name, value);
  return send(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    },
    options,
  );
}

export async function readJsonObject(response: Response, url: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnexpectedResponseError(url, response.status, `the body is not JSON: ${excerpt(text)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnexpectedResponseError(
      url,
      response.status,
      `the body is not a JSON object: ${excerpt(text)}`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Throws for a non-2xx response: an OAuthResponseError when the body is an RFC 6749 §5.2 error, otherwise
 * an UnexpectedResponseError.
 */
export async function throwForErrorResponse(
  response: Response,
  url: string,
  operation: string,
): Promise<void> {
  if (response.ok) return;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = stringMember(body, 'error');
  if (error !== undefined) {
    throw new OAuthResponseError(
      {
        error,
        errorDescription: stringMember(body, 'error_description'),
        errorUri: stringMember(body, 'error_uri'),
      },
      { status: response.status, operation },
    );
  }
  const redirect = response.headers.get('location');
  throw new UnexpectedResponseError(
    url,
    response.status,
    redirect !== null ? `a redirect to ${redirect}, expected a direct answer` : excerpt(text),
  );
}

export function stringMember(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const member = (value as Record<string, unknown>)[name];
  return typeof member === 'string' ? member : undefined;
}

function excerpt(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  if (trimmed === '') return '(empty body)';
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed;
}
