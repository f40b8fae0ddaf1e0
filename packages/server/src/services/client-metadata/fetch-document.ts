// Fetching a Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document §4.1, §6.5), hardened
// against server-side request forgery: https only; the name is resolved here and every address checked
// before connecting to one of exactly those addresses (no second resolution, so no DNS-rebinding gap);
// no redirects; a size and a time limit; JSON only.

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { forbiddenAddressKind } from './address-policy.ts';

export interface FetchLimits {
  /** Whole request, connect to last byte (default 3 s). */
  timeoutMs: number;
  /** §4.1 recommends 5 KB. */
  maxBytes: number;
  /** Extra trusted CA certificates (PEM), for tests only: never a global TLS setting. */
  ca?: string | undefined;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 3000, maxBytes: 5 * 1024 };

export interface FetchedDocument {
  body: unknown;
  /** Seconds the response says it may be cached (Cache-Control max-age or Expires), if it says. */
  freshForSeconds: number | undefined;
}

/** A refusal, with a description the client's developer can act on. */
export class DocumentFetchError extends Error {
  override readonly name = 'DocumentFetchError';
}

export async function fetchClientMetadataDocument(
  url: URL,
  options: FetchLimits & { allowHosts: readonly string[] },
): Promise<FetchedDocument> {
  if (url.protocol !== 'https:') throw new DocumentFetchError('the document must be served over https.');
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const unchecked = options.allowHosts.includes(url.hostname.toLowerCase());
  if (isIP(hostname) !== 0 && !unchecked) {
    const kind = forbiddenAddressKind(hostname);
    if (kind !== undefined)
      throw new DocumentFetchError(`${hostname} is a ${kind} address, which is never fetched.`);
  }
  return new Promise<FetchedDocument>((resolve, reject) => {
    const fail = (error: Error): void => {
      clearTimeout(timer);
      req.destroy();
      reject(error instanceof DocumentFetchError ? error : new DocumentFetchError(describe(error)));
    };
    const timer = setTimeout(
      () => fail(new DocumentFetchError(`the host did not answer within ${options.timeoutMs / 1000} s.`)),
      options.timeoutMs,
    );
    const req = request(
      {
        host: hostname,
        port: url.port === '' ? 443 : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { accept: 'application/json', 'user-agent': 'Latchkey (client metadata fetch)' },
        // The name is resolved once, here, and only checked addresses are handed to the socket.
        lookup: unchecked ? undefined : checkedLookup,
        servername: isIP(hostname) === 0 ? hostname : undefined,
        agent: false,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        // §4.1: redirects are not followed; the document must be at the URL itself.
        if (status >= 300 && status < 400) {
          return fail(
            new DocumentFetchError(
              `the URL answered with a redirect (HTTP ${status}); redirects are not followed.`,
            ),
          );
        }
        if (status !== 200) return fail(new DocumentFetchError(`the URL answered HTTP ${status}, not 200.`));
        const type = (response.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
        if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
          return fail(
            new DocumentFetchError(`the document's content type is "${type}", not application/json.`),
          );
        }
        const tooBig = new DocumentFetchError(`the document is larger than ${options.maxBytes} bytes.`);
        if (Number(response.headers['content-length'] ?? 0) > options.maxBytes) return fail(tooBig);
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) return fail(tooBig);
          chunks.push(chunk);
        });
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(timer);
          if (size > options.maxBytes) return;
          let body: unknown;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new DocumentFetchError('the document is not valid JSON.'));
          }
          resolve({ body, freshForSeconds: freshness(response.headers, Date.now()) });
        });
      },
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    req.end();
  });
}

/** Resolves every address of the name and refuses the name if any one of them is not global unicast. */
const checkedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    for (const { address } of addresses) {
      const kind = forbiddenAddressKind(address);
      if (kind !== undefined) {
        return callback(
          new DocumentFetchError(
            `${hostname} resolves to ${address}, a ${kind} address, which is never fetched.`,
          ),
          '',
          0,
        );
      }
    }
    if (addresses.length === 0) return callback(new DocumentFetchError(`${hostname} has no address.`), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0] as LookupAddress;
    return callback(null, first.address, first.family);
  });
};

function describe(error: Error & { code?: string }): string {
  if (error.code === 'ENOTFOUND') return 'the host name does not resolve.';
  if (error.code === 'ECONNREFUSED') return 'the host refused the connection.';
  if (
    error.code?.startsWith('ERR_TLS') ||
    error.code?.includes('CERT') ||
    error.code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
  ) {
    return `the host's TLS certificate is not trusted (${error.code}).`;
  }
  return `the document could not be fetched (${error.code ?? error.message}).`;
}

/** RFC 9111 §4.2.1: max-age wins over Expires; no-store / no-cache mean "do not reuse" (0). */
function freshness(headers: Record<string, string | string[] | undefined>, now: number): number | undefined {
  const cacheControl = String(headers['cache-control'] ?? '').toLowerCase();
  if (/(^|,)\s*(no-store|no-cache)\b/.test(cacheControl)) return 0;
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/.exec(cacheControl)?.[1];
  if (maxAge !== undefined) return Number(maxAge);
  const expires = headers['expires'];
  if (typeof expires === 'string') {
    const at = Date.parse(expires);
    const date = typeof headers['date'] === 'string' ? Date.parse(headers['date']) : now;
    return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((at - (Number.isNaN(date) ? now : date)) / 1000));
  }
  return undefined;
}
