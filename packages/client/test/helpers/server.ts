// The real Latchkey server (the server package's in-process fixture) on a known port, with its issuer
// http://127.0.0.1:<port>/oauth2/default, so that discovery, redirects and tokens agree on one origin.

import { freePort } from '../../../server/test/e2e/browser.ts';
import { CookieJar, get, signIn } from '../../../server/test/fixtures/browser-flow.ts';
import { startTestServer, type TestServer } from '../../../server/test/fixtures/test-server.ts';

export async function startLatchkey(): Promise<TestServer> {
  const port = await freePort();
  return startTestServer({ publicUrl: `http://127.0.0.1:${port}`, env: { PORT: String(port) } });
}

/**
 * What a browser does with an authorization URL, driven by fetch: show the sign-in page, post alice's
 * credentials (or reuse the SSO session) and return the Location the server sends the browser to.
 */
export async function signInAndGetRedirect(
  server: TestServer,
  url: string,
  jar = new CookieJar(),
): Promise<string> {
  const first = await get(url, jar);
  const response = first.status === 200 ? await signIn(server, url, jar) : first;
  const location = response.headers.get('location');
  if (location === null)
    throw new Error(`no redirect after sign-in: ${response.status} ${await response.text()}`);
  return location;
}
