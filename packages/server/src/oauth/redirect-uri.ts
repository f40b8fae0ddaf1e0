// Redirect URI rules (SECURITY-MATRIX rule 1): RFC 6749 §3.1.2, RFC 9700 §2.1 and §4.1.3 (exact string
// comparison), RFC 8252 §7.3 (any port on loopback IP literals), §7.1 and §8.3 (private-use schemes,
// no `localhost` exception).

import type { ApplicationType } from '../storage/store.ts';

// Parsed on the raw string, never with WHATWG URL: URL() would turn `http://127.1/` or
// `http://2130706433/` into 127.0.0.1 (RU-08). Host must be literally 127.0.0.1 or [::1].
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?([/?][^#]*)?$/;

function stripLoopbackPort(uri: string): string | undefined {
  const match = LOOPBACK.exec(uri);
  if (!match) return undefined;
  const port = match[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  return `http://${match[1]}${match[3] ?? ''}`;
}

/**
 * Returns the registered URI that `requested` matches, or undefined. Exact string comparison; with
 * `loopbackAnyPort`, a registered loopback-IP URI also matches the same URI on any port.
 */
export function matchRedirectUri(
  requested: string,
  registered: readonly string[],
  options: { loopbackAnyPort: boolean },
): string | undefined {
  if (registered.includes(requested)) return requested;
  if (!options.loopbackAnyPort) return undefined;
  const requestedWithoutPort = stripLoopbackPort(requested);
  if (requestedWithoutPort === undefined) return undefined;
  return registered.find((uri) => stripLoopbackPort(uri) === requestedWithoutPort);
}

const FORBIDDEN_SCHEMES = new Set(['javascript', 'data', 'vbscript', 'file', 'blob', 'about']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
// RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// A reversed domain name (lower-cased): two or more non-empty labels of letters, digits and hyphens.
const REVERSE_DOMAIN_SCHEME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

/**
 * Checks a sign-in or sign-out redirect URI at registration (RFC 7591 §2, RFC 8252 §7, RFC 9700 §2.6).
 * Returns the reason it is refused, in words an admin can act on, or undefined when it is acceptable.
 */
export function checkRedirectUriRegistration(
  uri: string,
  applicationType: ApplicationType,
): string | undefined {
  if (uri.length === 0) return 'is empty.';
  if (uri.length > 2048) return 'is longer than 2048 characters.';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\s\x00-\x1f\x7f]/.test(uri)) return 'contains whitespace or control characters.';
  if (uri.includes('#')) return 'must not contain a fragment (#) (RFC 6749 §3.1.2).';
  if (uri.includes('*')) return 'must not contain a wildcard (*); register every URI exactly.';
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined)
    return 'must be an absolute URI with a scheme, such as https://app.example.com/callback.';
  if (FORBIDDEN_SCHEMES.has(scheme)) return `uses the ${scheme}: scheme, which can run code or read files.`;
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return 'is not a valid URI.';
  }
  if (scheme === 'http' || scheme === 'https') {
    const authority = uri.slice(scheme.length + 3).split(/[/?]/, 1)[0] ?? '';
    if (!uri.startsWith(`${scheme}://`) || authority === '')
      return 'must have a host, as in https://host/path.';
    if (authority.includes('@') || authority.includes('\\')) return 'must not contain user information (@).';
    if (scheme === 'http' && !LOOPBACK_HOSTS.has(parsed.host.replace(/:\d+$/, ''))) {
      return 'uses plain http, which is allowed only for loopback hosts (127.0.0.1, [::1], localhost); use https.';
    }
    // The parsed host must be the written host: refuses `127.1`, `2130706433` and other aliases (RU-08).
    if (parsed.host.toLowerCase() !== authority.toLowerCase()) {
      return `has a host that is not in canonical form (it reads as ${parsed.host}).`;
    }
    return undefined;
  }
  if (applicationType !== 'native') {
    return 'uses a private-use scheme, which only native apps may register; use https.';
  }
  // RFC 8252 §7.1: apps MUST use a private-use scheme based on a domain name under their control, in
  // reverse order. Only that form is private: a single word (`myapp`, `ws`, `ftp`, `chrome`, `jar`) may be
  // a scheme another program or the browser itself handles (RU-14).
  if (!REVERSE_DOMAIN_SCHEME.test(scheme)) {
    return `uses the ${scheme}: scheme; native apps may use https, http on a loopback host (127.0.0.1, [::1], localhost) or a private-use scheme in reverse-domain form, such as com.example.app:/callback (RFC 8252 §7.1).`;
  }
  return undefined;
}

export interface RedirectUriDifference {
  closest: string;
  difference: string;
}

/** Finds the registered URI nearest to the one received and says how they differ, for the error page. */
export function describeRedirectUriMismatch(
  received: string,
  registered: readonly string[],
): RedirectUriDifference | undefined {
  let best: { uri: string; distance: number } | undefined;
  for (const uri of registered) {
    const distance = editDistance(received, uri);
    if (best === undefined || distance < best.distance) best = { uri, distance };
  }
  if (best === undefined) return undefined;
  return { closest: best.uri, difference: explainDifference(received, best.uri) };
}

function explainDifference(received: string, registered: string): string {
  const receivedScheme = SCHEME.exec(received)?.[1] ?? '';
  const registeredScheme = SCHEME.exec(registered)?.[1] ?? '';
  if (receivedScheme !== registeredScheme) {
    return `The scheme differs: received "${receivedScheme}:", registered "${registeredScheme}:".`;
  }
  if (received.startsWith(`${receivedScheme}://`) !== registered.startsWith(`${registeredScheme}://`)) {
    return 'One uses ":/" and the other "://" after the scheme; these are different URIs.';
  }
  if (`${received}/` === registered || received === `${registered}/`) {
    return 'They differ only by a trailing slash; redirect URIs must match exactly.';
  }
  if (received.toLowerCase() === registered.toLowerCase()) {
    return 'They differ only in letter case; redirect URIs are compared case-sensitively.';
  }
  const portOf = (uri: string): string => /^[a-z]+:\/\/[^/?#]*?:(\d+)/i.exec(uri)?.[1] ?? '(none)';
  if (received.replace(/:\d+(?=[/?]|$)/, '') === registered.replace(/:\d+(?=[/?]|$)/, '')) {
    return `The port differs: received ${portOf(received)}, registered ${portOf(registered)}.`;
  }
  const [receivedBase, receivedQuery = ''] = received.split('?', 2);
  const [registeredBase, registeredQuery = ''] = registered.split('?', 2);
  if (receivedBase === registeredBase && receivedQuery !== registeredQuery) {
    return 'The query string differs; it must match the registered URI exactly.';
  }
  return 'The URIs differ; the redirect URI must equal a registered one character for character.';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
