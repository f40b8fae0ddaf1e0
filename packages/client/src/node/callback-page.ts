// The page the browser shows after the loopback redirect: the user is told to return to the app. Static
// HTML without script; everything interpolated is escaped.

export interface CallbackPage {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

export function renderCallbackPage(
  outcome: { ok: true; appName: string } | { ok: false; message: string },
): CallbackPage {
  const title = outcome.ok ? 'Signed in' : 'Sign-in failed';
  const text = outcome.ok
    ? `You are signed in to ${escapeHtml(outcome.appName)}. You may close this window and return to the app.`
    : `${escapeHtml(outcome.message)}<br><br>Return to the app and try again.`;
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:15vh auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.4rem}</style></head>
<body><h1>${title}</h1><p>${text}</p></body></html>
`;
  return { status: outcome.ok ? 200 : 400, headers: HEADERS, body };
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
