import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { type ErrorPageProps, renderErrorPage } from '../../src/ui/error-page.tsx';
import { renderFormPostPage } from '../../src/ui/form-post-page.tsx';
import { Layout, renderPage } from '../../src/ui/layout.tsx';
import { renderMessagePage } from '../../src/ui/message-page.tsx';
import { renderSignInPage, type SignInPageProps } from '../../src/ui/sign-in-page.tsx';
import { stylesheet, stylesheetPath } from '../../src/ui/styles.ts';

const XSS = '"><script>alert(1)</script>';
const ESCAPED_XSS = '&lt;script>alert(1)&lt;/script>';
const TEMPLATE = '{{7*7}}';
const SQL = "' OR 1=1 --";

const signIn: SignInPageProps = {
  appName: 'Acme Dashboard',
  action: '/login',
  transactionId: 'tx_123',
  csrfToken: 'csrf_456',
  nonce: 'n0nce',
};

const errorProps: ErrorPageProps = {
  title: 'Invalid redirect URI',
  error: 'invalid_request',
  description: 'The redirect_uri does not match.',
  hint: 'Register the URI in the admin console.',
  redirectUri: {
    received: 'https://app.example.com/cb/?x=1',
    registered: ['https://app.example.com/cb', 'http://localhost:3000/cb'],
    closest: 'https://app.example.com/cb',
    difference: 'The received URI has a trailing slash and a query string.',
    appName: 'Acme Dashboard',
  },
};

/** The first tag in `html` that matches `pattern` (e.g. the input named username). */
function tag(html: string, pattern: RegExp): string {
  const match = html.match(pattern);
  assert.ok(match, `no tag matching ${pattern}`);
  return match[0];
}

function assertXssEscaped(html: string, where: string): void {
  assert.ok(!html.includes('<script>alert'), `raw <script>alert in ${where}`);
  assert.ok(html.includes(ESCAPED_XSS), `escaped payload missing in ${where}`);
}

/** Every page, rendered with each string prop set to `value` in turn. */
function renderings(value: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const key of ['appName', 'action', 'transactionId', 'csrfToken', 'loginHint', 'error'] as const) {
    out.push([`sign-in ${key}`, renderSignInPage({ ...signIn, [key]: value })]);
  }
  for (const key of ['title', 'error', 'description', 'hint'] as const) {
    out.push([`error ${key}`, renderErrorPage({ ...errorProps, [key]: value })]);
  }
  const mismatch = errorProps.redirectUri!;
  for (const key of ['received', 'closest', 'difference', 'appName'] as const) {
    out.push([
      `error redirectUri.${key}`,
      renderErrorPage({ ...errorProps, redirectUri: { ...mismatch, [key]: value } }),
    ]);
  }
  out.push([
    'error registered',
    renderErrorPage({ ...errorProps, redirectUri: { ...mismatch, registered: [value] } }),
  ]);
  const fp = { action: 'https://app.example.com/cb', fields: { code: 'c' }, nonce: 'n' };
  out.push(['form-post action', renderFormPostPage({ ...fp, action: value })]);
  out.push(['form-post nonce', renderFormPostPage({ ...fp, nonce: value })]);
  out.push(['form-post field value', renderFormPostPage({ ...fp, fields: { state: value } })]);
  out.push(['form-post field name', renderFormPostPage({ ...fp, fields: { [value]: 'v' } })]);
  out.push(['message title', renderMessagePage({ title: value, message: 'm' })]);
  out.push(['message message', renderMessagePage({ title: 't', message: value })]);
  return out;
}

describe('hosted pages', () => {
  it('LG-11 escapes an HTML/script payload in every prop of every page', () => {
    for (const [where, html] of renderings(XSS)) assertXssEscaped(html, where);
  });

  it('LG-11 renders template and SQL payloads as inert literal text', () => {
    for (const [where, html] of renderings(`${TEMPLATE} ${SQL}`)) {
      assert.ok(html.includes(TEMPLATE), `template payload not literal in ${where}`);
      assert.ok(!html.includes('>49<'), `template evaluated in ${where}`);
      assert.ok(html.includes(SQL), `SQL payload altered in ${where}`);
    }
  });

  it('every page is a full document with doctype, metadata and the external stylesheet only', () => {
    const pages = [
      ...renderings('x').map(([, html]) => html),
      renderErrorPage({ ...errorProps, hint: undefined }),
    ];
    for (const html of pages) {
      assert.ok(html.startsWith('<!doctype html><html lang="en">'));
      assert.ok(html.includes('<meta charset="utf-8"/>'));
      assert.ok(html.includes('<meta name="viewport" content="width=device-width, initial-scale=1"/>'));
      assert.ok(html.includes('<meta name="referrer" content="no-referrer"/>'));
      assert.ok(html.includes(`<link rel="stylesheet" href="${stylesheetPath}"/>`));
      assert.ok(!/\sstyle=/i.test(html), 'inline style attribute');
      assert.ok(!/<style/i.test(html), '<style> element');
      assert.ok(html.includes('Secured by Latchkey'));
    }
  });

  it('stylesheetPath is content-addressed', () => {
    assert.match(stylesheetPath, /^\/assets\/latchkey-[0-9a-f]{10}\.css$/);
    const hash = createHash('sha256').update(stylesheet).digest('hex').slice(0, 10);
    assert.equal(stylesheetPath, `/assets/latchkey-${hash}.css`);
    assert.ok(stylesheet.includes('prefers-color-scheme: dark'));
    assert.ok(!/@import|url\(/.test(stylesheet), 'no external resources');
  });

  it('Layout titles the page "<title> · Latchkey"', () => {
    const html = renderPage(<Layout title="Hello">body</Layout>);
    assert.ok(html.includes('<title>Hello · Latchkey</title>'));
  });
});

describe('sign-in page', () => {
  it('posts the hidden fields, labelled inputs and autocomplete hints', () => {
    const html = renderSignInPage(signIn);
    assert.ok(html.includes('<form method="post" action="/login">'));
    assert.ok(html.includes('<input type="hidden" name="transaction_id" value="tx_123"/>'));
    assert.ok(html.includes('<input type="hidden" name="_csrf" value="csrf_456"/>'));
    assert.ok(html.includes('<label for="username">') && html.includes('<label for="password">'));
    const username = tag(html, /<input[^>]*name="username"[^>]*>/);
    const password = tag(html, /<input[^>]*name="password"[^>]*>/);
    assert.match(username, /id="username"/);
    assert.match(username, /autocomplete="username"/);
    assert.match(username, /\sautofocus[\s/>]/);
    assert.doesNotMatch(username, /value=/);
    assert.match(password, /id="password"/);
    assert.match(password, /type="password"/);
    assert.match(password, /autocomplete="current-password"/);
    assert.doesNotMatch(password, /autofocus/);
    assert.ok(html.includes('<h1>Sign in</h1>'));
    assert.ok(html.includes('to continue to <strong>Acme Dashboard</strong>'));
    assert.ok(/<button[^>]*type="submit"[^>]*>Sign in<\/button>/.test(html));
    assert.ok(!html.includes('role="alert"') && !html.includes('aria-invalid'));
    // Issue 12: the only script is the show-password enhancement, with the nonce; the field is an ordinary
    // password field and the Show button stays hidden without it, so the page works without JavaScript.
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="n0nce">[^<]*getElementById\('show-password'\)/);
    assert.match(
      tag(html, /<button[^>]*id="show-password"[^>]*>/),
      /type="button"[^>]*aria-controls="password"[^>]*hidden/,
    );
    assert.doesNotMatch(html, /<img/, 'no logo unless the app has one');
  });

  it('issue 12: "Forgot password?" says what to do, without script; the logo when the app has one', () => {
    const html = renderSignInPage({ ...signIn, logoUri: 'https://cdn.example.com/acme.png' });
    assert.match(
      html,
      /<details class="forgot"><summary>Forgot password\?<\/summary><p>Ask your administrator[^<]*<code>latchkey users set-password<\/code>/,
    );
    assert.match(
      html,
      /<img class="app-logo" src="https:\/\/cdn\.example\.com\/acme\.png" alt="Acme Dashboard logo"/,
    );
    assert.ok(html.indexOf('<img') < html.indexOf('<h1>'));
  });

  it('pre-fills login_hint and moves the focus to the password', () => {
    const html = renderSignInPage({ ...signIn, loginHint: 'jane@example.com' });
    const username = tag(html, /<input[^>]*name="username"[^>]*>/);
    assert.match(username, /value="jane@example\.com"/);
    assert.doesNotMatch(username, /autofocus/);
    assert.match(tag(html, /<input[^>]*name="password"[^>]*>/), /\sautofocus[\s/>]/);
  });

  it('shows the error in an alert above the fields and marks the inputs invalid', () => {
    const html = renderSignInPage({ ...signIn, error: 'Incorrect username or password.' });
    const alert = html.indexOf('role="alert"');
    assert.ok(alert > 0 && alert < html.indexOf('name="username"'));
    assert.ok(html.includes('Incorrect username or password.'));
    assert.match(tag(html, /<input[^>]*name="username"[^>]*>/), /aria-invalid="true"/);
    assert.match(tag(html, /<input[^>]*name="password"[^>]*>/), /aria-invalid="true"/);
  });
});

describe('error page', () => {
  it('shows the error code, description and the redirect_uri details without any navigation', () => {
    const html = renderErrorPage(errorProps);
    assert.ok(html.includes('Your request resulted in an error.'));
    assert.ok(html.includes('<h1>Invalid redirect URI</h1>'));
    assert.ok(html.includes('<code class="error-code">invalid_request</code>'));
    assert.ok(html.includes('The redirect_uri does not match.'));
    for (const label of ['Received redirect_uri', 'Closest registered URI', 'Difference']) {
      assert.ok(html.includes(label), label);
    }
    assert.ok(html.includes('>https://app.example.com/cb/?x=1<'));
    assert.ok(html.includes('<li><code class="uri">https://app.example.com/cb</code></li>'));
    assert.ok(html.includes('<li><code class="uri">http://localhost:3000/cb</code></li>'));
    assert.ok(html.includes('trailing slash'));
    assert.ok(html.includes('Register the URI in the admin console.'));
    assert.ok(!/<a[\s>]/.test(html) && !html.includes('<form') && !html.includes('<script'));
    assert.ok(!html.includes('http-equiv'));
  });

  it('omits the details box when there is no redirect_uri mismatch', () => {
    const html = renderErrorPage({ title: 'Unknown client', error: 'invalid_client', description: 'Nope.' });
    assert.ok(html.includes('invalid_client') && !html.includes('Received redirect_uri'));
  });
});

describe('form post page', () => {
  it('has exactly one script, carrying the nonce, and a no-JS Continue button', () => {
    const html = renderFormPostPage({
      action: 'https://app.example.com/cb',
      fields: { code: 'abc', state: 'xyz' },
      nonce: 'r4nd0m',
    });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="r4nd0m">[^<]*document\.forms\[0\][^<]*<\/script>/);
    assert.ok(html.includes('<form method="post" action="https://app.example.com/cb">'));
    assert.ok(html.includes('<input type="hidden" name="code" value="abc"/>'));
    assert.ok(html.includes('<input type="hidden" name="state" value="xyz"/>'));
    assert.ok(html.includes('<noscript>'));
    assert.match(html, /<button[^>]*type="submit"[^>]*>Continue<\/button>/);
    assert.doesNotMatch(tag(html, /<button[^>]*>/), /name=/, 'button must not add a field');
  });
});

describe('message page', () => {
  it('shows the title and message', () => {
    const html = renderMessagePage({ title: 'Signed out', message: 'You have been signed out.' });
    assert.ok(html.includes('<title>Signed out · Latchkey</title>'));
    assert.ok(html.includes('<h1>Signed out</h1>') && html.includes('You have been signed out.'));
  });
});
