// A minimal HTTP/1.1 client for the benchmark: one keep-alive connection per virtual user, a cookie jar
// per browser, no redirect following (every hop of a flow is a request of its own, as a browser makes it).

import { createHash, randomBytes } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One connection, kept alive, as one browser or app would hold it. */
export function connection(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

/** Name -> value; the servers under test live on one origin, so paths and domains are not tracked. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(headers: IncomingHttpHeaders): void {
    for (const line of headers['set-cookie'] ?? []) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', val = ''] = attribute.trim().split('=');
        const lower = key.toLowerCase();
        return (
          (lower === 'max-age' && Number(val) <= 0) || (lower === 'expires' && Date.parse(val) <= Date.now())
        );
      });
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  jar?: CookieJar;
  headers?: Record<string, string>;
}

export function send(agent: Agent, url: string, options: RequestOptions = {}): Promise<Response> {
  const target = new URL(url);
  const body = options.form === undefined ? undefined : new URLSearchParams(options.form).toString();
  const headers: Record<string, string> = { accept: '*/*', ...options.headers };
  const cookie = options.jar?.header();
  if (cookie !== undefined) headers['cookie'] = cookie;
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          options.jar?.store(res.headers);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Throws unless the status is one of `expected`, with enough of the body to see why. */
export function expectStatus(response: Response, expected: number[], step: string): Response {
  if (!expected.includes(response.status)) {
    throw new Error(
      `${step}: HTTP ${response.status} (expected ${expected.join('/')}): ${response.body.slice(0, 300)}`,
    );
  }
  return response;
}

/** The Location header, resolved against `base`. */
export function location(response: Response, base: string, step: string): URL {
  const value = response.headers.location;
  if (value === undefined) throw new Error(`${step}: HTTP ${response.status} without Location`);
  return new URL(value, base);
}

/** The `code` of a redirect to the app, or an error naming what came back instead. */
export function codeFrom(redirect: URL, step: string): string {
  const code = redirect.searchParams.get('code');
  if (code === null) throw new Error(`${step}: no code in ${redirect.href.slice(0, 300)}`);
  return code;
}

/** Value of a hidden form field, e.g. `<input type="hidden" name="_csrf" value="...">`. */
export function hiddenField(html: string, name: string): string {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  const value = input === undefined ? undefined : /value="([^"]*)"/.exec(input)?.[1];
  if (value === undefined) throw new Error(`no hidden field ${name} in the page`);
  return value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'");
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

/** RFC 7636: 32 random bytes as the verifier (43 characters), S256 challenge. */
export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function randomState(): string {
  return randomBytes(16).toString('base64url');
}

export function json<T>(response: Response, step: string): T {
  try {
    return JSON.parse(response.body) as T;
  } catch {
    throw new Error(`${step}: not JSON: ${response.body.slice(0, 300)}`);
  }
}
