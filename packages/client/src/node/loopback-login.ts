// Sign-in for a native app on a desktop (RFC 8252): the app listens on the loopback interface on a port
// the OS picks (§7.3), sends the system browser (§4.1) to the authorization URL with PKCE (§6), receives
// the redirect, and exchanges the code. The listener binds 127.0.0.1 only, never all interfaces (§8.3).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthorizationRequest } from '../authorization-url.ts';
import { parseCallback } from '../callback.ts';
import { type AuthorizationServerMetadata, discover } from '../discovery.ts';
import { LatchkeyClientError } from '../errors.ts';
import { type IdTokenClaims, validateIdToken } from '../id-token.ts';
import type { HttpOptions } from '../internal/http.ts';
import type { RemoteJwks } from '../jwks.ts';
import { exchangeCode, type TokenSet } from '../token-request.ts';
import { renderCallbackPage } from './callback-page.ts';
import { openSystemBrowser } from './open-browser.ts';

/**
 * Options of {@link loginWithLoopback}.
 *
 * @example
 * ```ts
 * const options: LoopbackLoginOptions = {
 *   issuer: 'http://localhost:8080/oauth2/default',
 *   clientId: '0oa1ab2cd3EF4gh5i6j7',
 *   scopes: ['openid', 'profile', 'offline_access'],
 *   openBrowser: false,
 * };
 * ```
 */
export interface LoopbackLoginOptions extends HttpOptions {
  issuer: string;
  clientId: string;
  scopes: readonly string[] | string;
  /**
   * The path of the registered redirect URI `http://127.0.0.1/<path>` (default `/callback`). The app must
   * allow any loopback port (RFC 8252 §7.3).
   */
  redirectPath?: string | undefined;
  /** The port to listen on (default 0: an ephemeral port chosen by the OS). */
  port?: number | undefined;
  /** Open the system browser (default true). With false the URL is only passed to `onAuthorizationUrl`. */
  openBrowser?: boolean | undefined;
  /**
   * Called with the authorization URL once the listener is ready; `opened` tells whether a browser was
   * launched. By default the URL is printed to stderr when no browser was opened.
   */
  onAuthorizationUrl?: ((url: string, opened: boolean) => void | Promise<void>) | undefined;
  /** How long to wait for the browser to come back, in milliseconds (default 5 minutes). */
  timeoutMs?: number | undefined;
  /** Named on the "you may close this window" page. */
  appName?: string | undefined;
  prompt?: string | undefined;
  loginHint?: string | undefined;
  maxAge?: number | undefined;
  extraParams?: Record<string, string> | undefined;
  /** Skips discovery. */
  metadata?: AuthorizationServerMetadata | undefined;
  jwks?: RemoteJwks | undefined;
  /** Milliseconds since the epoch; defaults to Date.now. */
  now?: (() => number) | undefined;
}

/**
 * What a successful sign-in returns.
 *
 * @example
 * ```ts
 * const { tokens, claims }: LoopbackLoginResult = await loginWithLoopback(options);
 * ```
 */
export interface LoopbackLoginResult {
  tokens: TokenSet;
  /** The validated ID token's claims; undefined when `openid` was not requested. */
  claims: IdTokenClaims | undefined;
  metadata: AuthorizationServerMetadata;
  /** The redirect URI used, with the port that was chosen. */
  redirectUri: string;
}

/**
 * No redirect reached the loopback listener in time.
 *
 * @example
 * ```ts
 * try {
 *   await loginWithLoopback({ ...options, timeoutMs: 120_000 });
 * } catch (error) {
 *   if (error instanceof LoginTimeoutError) console.error(error.message);
 * }
 * ```
 */
export class LoginTimeoutError extends LatchkeyClientError {
  readonly timeoutMs: number;

  constructor(redirectUri: string, timeoutMs: number) {
    super(
      `No sign-in came back to ${redirectUri} within ${Number((timeoutMs / 1000).toFixed(1))} s. Finish signing in in the browser before the time is up, or run the sign-in again; the sign-in link stops working once this program stops listening.`,
    );
    this.timeoutMs = timeoutMs;
  }
}

const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * Signs the user in through the system browser and a loopback redirect, and returns validated tokens.
 *
 * @throws {@link LoginTimeoutError} when the browser does not come back in time.
 * @throws {@link OAuthResponseError} when the server answers with an error (e.g. `access_denied`).
 * @throws {@link StateMismatchError}, {@link IssuerMismatchError}, {@link IdTokenValidationError}.
 *
 * @example
 * ```ts
 * import { loginWithLoopback } from '@latchkey/client/node';
 *
 * const { tokens, claims } = await loginWithLoopback({
 *   issuer: 'http://localhost:8080/oauth2/default',
 *   clientId: '0oa1ab2cd3EF4gh5i6j7',
 *   scopes: ['openid', 'profile', 'email', 'offline_access'],
 * });
 * console.log(`Signed in as ${claims?.name}`);
 * ```
 */
export async function loginWithLoopback(options: LoopbackLoginOptions): Promise<LoopbackLoginResult> {
  const metadata = options.metadata ?? (await discover(options.issuer, options));
  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const redirectUri = `http://127.0.0.1:${port}${options.redirectPath ?? '/callback'}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let stopWaiting = () => {};
  try {
    const request = await createAuthorizationRequest(metadata, {
      clientId: options.clientId,
      redirectUri,
      scopes: options.scopes,
      prompt: options.prompt,
      loginHint: options.loginHint,
      maxAge: options.maxAge,
      extraParams: options.extraParams,
    });
    const { arrival, stop } = waitForRedirect(server, redirectUri, timeoutMs, options.signal);
    // The time-out may fire while the browser is being opened; it is handled when awaited below.
    arrival.catch(() => undefined);
    stopWaiting = stop;
    const opened = options.openBrowser === false ? false : await openSystemBrowser(request.url);
    if (options.onAuthorizationUrl) await options.onAuthorizationUrl(request.url, opened);
    else if (!opened)
      process.stderr.write(`Open this URL in your browser to sign in:\n\n  ${request.url}\n\n`);

    const { url, response } = await arrival;
    try {
      const { code } = parseCallback(url, request);
      const tokens = await exchangeCode(
        metadata,
        { clientId: options.clientId, code, redirectUri, codeVerifier: request.codeVerifier },
        options,
      );
      const claims =
        tokens.idToken === undefined
          ? undefined
          : await validateIdToken(tokens.idToken, {
              ...options,
              metadata,
              clientId: options.clientId,
              nonce: request.nonce,
              accessToken: tokens.accessToken,
              maxAge: options.maxAge,
            });
      await answer(response, renderCallbackPage({ ok: true, appName: options.appName ?? 'the app' }));
      return { tokens, claims, metadata, redirectUri };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await answer(response, renderCallbackPage({ ok: false, message }));
      throw error;
    }
  } finally {
    stopWaiting();
    await close(server);
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // RFC 8252 §8.3: the loopback IP literal, not `localhost` (which may resolve elsewhere or to ::1).
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

interface RedirectWait {
  /** The first request to the redirect path; its response is left open for the outcome page. */
  arrival: Promise<{ url: URL; response: ServerResponse }>;
  /** Stops waiting (clears the timer and the abort listener); idempotent. */
  stop(): void;
}

function waitForRedirect(
  server: Server,
  redirectUri: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): RedirectWait {
  const { pathname } = new URL(redirectUri);
  let stop = () => {};
  const arrival = new Promise<{ url: URL; response: ServerResponse }>((resolve, reject) => {
    let waiting = true;
    const onRequest = (request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? '/', redirectUri);
      // Browsers also ask for /favicon.ico, and only the first redirect counts.
      if (!waiting || url.pathname !== pathname || request.method !== 'GET') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      stop();
      resolve({ url, response });
    };
    const onAbort = () => {
      stop();
      reject(new LatchkeyClientError('The sign-in was cancelled.', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      stop();
      reject(new LoginTimeoutError(redirectUri, timeoutMs));
    }, timeoutMs);
    stop = () => {
      waiting = false;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    server.on('request', onRequest);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort);
  });
  return { arrival, stop: () => stop() };
}

function answer(response: ServerResponse, page: ReturnType<typeof renderCallbackPage>): Promise<void> {
  return new Promise((resolve) => {
    response.writeHead(page.status, { ...page.headers, connection: 'close' }).end(page.body, () => resolve());
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
