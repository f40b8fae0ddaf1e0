// Opens a URL in the user's default browser (RFC 8252 §4.1: the system browser, never an embedded view).

import { spawn } from 'node:child_process';

/** How long a launcher may run before we take it as having handed the URL to a browser. */
const LAUNCHER_GRACE_MS = 1500;

/**
 * Opens `url` with the platform's launcher (`open` on macOS, `rundll32 url.dll` on Windows, `xdg-open`
 * elsewhere). Resolves false when there is no launcher or it reports failure (e.g. no desktop session),
 * so the caller can print the URL instead.
 *
 * @example
 * ```ts
 * import { openSystemBrowser } from '@latchkey/client/node';
 *
 * if (!(await openSystemBrowser(url))) console.log(`Open ${url} in your browser.`);
 * ```
 */
export function openSystemBrowser(url: string): Promise<boolean> {
  const parsed = new URL(url);
  // Only web URLs: a launcher would also run file: or custom-scheme URLs.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return Promise.resolve(false);
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [parsed.href]]
      : process.platform === 'win32'
        ? // No shell is involved, so `&` in the query needs no escaping (unlike `cmd /c start`).
          ['rundll32', ['url.dll,FileProtocolHandler', parsed.href]]
        : ['xdg-open', [parsed.href]];
  return new Promise((resolve) => {
    let settled = false;
    const settle = (opened: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(opened);
    };
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      child.unref();
      settle(true);
    }, LAUNCHER_GRACE_MS);
    child.once('error', () => settle(false));
    child.once('exit', (code) => settle(code === 0));
  });
}
