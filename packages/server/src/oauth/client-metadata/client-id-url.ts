// draft-ietf-oauth-client-id-metadata-document §3 (client identifier URLs). Pure: no fetching here.

/** A client_id that names a metadata document rather than a registered app (registered ids never contain "://"). */
export function isUrlClientId(clientId: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(clientId);
}

/**
 * Why `clientId` cannot be a client identifier URL, in words the client's developer can act on, or undefined
 * when it can. `url.href` equals the string, so the document's client_id is compared with the very string
 * the client sent (§4.1 "MUST ... match the URL exactly").
 */
export function checkClientIdUrl(clientId: string): string | undefined {
  // The token endpoint takes client ids of up to 255 characters (client-authentication.ts).
  if (clientId.length > 255) return 'a client_id URL must not be longer than 255 characters.';
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return 'the client_id is not a valid URL.';
  }
  // §3: "Client identifier URLs MUST have an "https" scheme".
  if (url.protocol !== 'https:') return 'a client_id URL must use https.';
  // §3: "MUST NOT contain a username or password component".
  if (url.username !== '' || url.password !== '')
    return 'a client_id URL must not contain user information (@).';
  // §3: "MUST NOT contain a fragment component".
  if (clientId.includes('#')) return 'a client_id URL must not contain a fragment (#).';
  // §3: "MUST contain a path component" and "MUST NOT contain single-dot or double-dot path segments".
  const afterScheme = clientId.slice('https://'.length);
  const pathStart = afterScheme.search(/[/?]/);
  const rawPath = pathStart === -1 ? '' : (afterScheme.slice(pathStart).split('?', 1)[0] ?? '');
  if (rawPath === '' || rawPath === '/')
    return 'a client_id URL must have a path, such as https://app.example.com/client.json.';
  if (
    rawPath.split('/').some((segment) => segment === '.' || segment === '..' || /^%2e(%2e)?$/i.test(segment))
  ) {
    return 'a client_id URL must not contain . or .. path segments.';
  }
  // One spelling only: refuses upper-case hosts, default ports, `127.1` and other aliases of the same URL.
  if (url.href !== clientId) return `a client_id URL must be in canonical form (it reads as ${url.href}).`;
  return undefined;
}

/** Whether `host` is `blocked` or a subdomain of it. */
export function isBlockedHost(host: string, blocked: readonly string[]): boolean {
  const name = host.toLowerCase();
  return blocked.some((entry) => name === entry || name.endsWith(`.${entry}`));
}

/** The app's name as users see it: a metadata-document client's name is its own claim, so its host is added. */
export function clientDisplayName(client: { clientId: string; name: string }): string {
  if (!isUrlClientId(client.clientId)) return client.name;
  return `${client.name} (unverified app from ${new URL(client.clientId).host})`;
}
