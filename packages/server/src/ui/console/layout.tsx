import type { ComponentChildren, VNode } from 'preact';
import { BrandMark } from '../layout.tsx';
import { stylesheetPath } from '../styles.ts';
import { CsrfField, type FormTokens, Notice, type Tone } from './components.tsx';
import { Icon, type IconName } from './icons.tsx';
import { consoleStylesheetPath } from './styles.ts';

export type ConsoleSection = 'apps' | 'users' | 'servers' | 'tokens' | 'log';

/** What every signed-in console page needs: who is signed in, the CSRF token for its forms, the nonce. */
export interface ConsoleFrame {
  admin: { name: string; email: string };
  formTokens: FormTokens;
  /** The CSP nonce of this response, for the one inline script (copy buttons). */
  nonce: string;
  flash?: { tone: Tone; message: string } | undefined;
}

const NAV: ReadonlyArray<{ section: ConsoleSection; href: string; label: string; icon: IconName }> = [
  { section: 'apps', href: '/console/apps', label: 'Applications', icon: 'apps' },
  { section: 'users', href: '/console/users', label: 'Users', icon: 'users' },
  { section: 'servers', href: '/console/servers', label: 'Authorization servers', icon: 'shield' },
  { section: 'tokens', href: '/console/tokens', label: 'API tokens', icon: 'key' },
  { section: 'log', href: '/console/log', label: 'System log', icon: 'log' },
];

/**
 * Reveals the Copy buttons and copies the field they name; read-only fields select their whole value on
 * focus. Constant code we own, allowed by the response's CSP nonce; the console works without it.
 */
const CONSOLE_SCRIPT = `for (const button of document.querySelectorAll('[data-copy]')) {
  const field = document.getElementById(button.dataset.copy);
  const label = button.querySelector('.copy-label');
  if (!field || !label || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(field.value).then(() => {
      label.textContent = 'Copied';
      setTimeout(() => { label.textContent = 'Copy'; }, 1600);
    }, () => field.select());
  });
}
for (const field of document.querySelectorAll('input[readonly]')) field.addEventListener('focus', () => field.select());`;

function initials(name: string): string {
  const parts = name
    .trim()
    .split(/\s+/)
    .filter((part) => part !== '');
  const letters = parts.length > 1 ? [parts[0], parts.at(-1)] : [parts[0]];
  return letters
    .map((part) => [...(part ?? '')][0] ?? '')
    .join('')
    .toUpperCase();
}

function Head({ title }: { title: string }): VNode {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <meta name="robots" content="noindex, nofollow" />
      <meta name="color-scheme" content="light dark" />
      <title>{`${title} · Latchkey Console`}</title>
      <link rel="stylesheet" href={stylesheetPath} />
      <link rel="stylesheet" href={consoleStylesheetPath} />
    </head>
  );
}

function NavList({ section }: { section: ConsoleSection }): VNode {
  return (
    <ul class="nav">
      {NAV.map((item) => (
        <li key={item.section}>
          <a href={item.href} aria-current={item.section === section ? 'page' : undefined}>
            <Icon name={item.icon} />
            {item.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The signed-in console: sidebar navigation, a top bar with the admin and Sign out, the page content. */
export function ConsoleLayout(props: {
  frame: ConsoleFrame;
  section: ConsoleSection;
  title: string;
  children: ComponentChildren;
}): VNode {
  const { frame } = props;
  return (
    <html lang="en">
      <Head title={props.title} />
      <body class="console">
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <div class="shell">
          <aside class="sidebar">
            <div class="sidebar-inner">
              <a class="brand" href="/console/apps">
                <BrandMark />
                <span>Latchkey</span>
                <small>Console</small>
              </a>
              <nav aria-label="Console" class="desktop-nav">
                <p class="nav-label">Manage</p>
                <NavList section={props.section} />
              </nav>
              {/* Phones (issue 12): a menu button that needs no script; only one of the two navs is shown. */}
              <details class="mobile-nav">
                <summary>
                  <Icon name="menu" />
                  Menu
                </summary>
                <nav aria-label="Console menu">
                  <NavList section={props.section} />
                </nav>
              </details>
              <p class="sidebar-footer">Times are shown in UTC.</p>
            </div>
          </aside>
          <div class="main-col">
            <header class="topbar">
              <div class="who">
                <span class="avatar" aria-hidden="true">
                  {initials(frame.admin.name)}
                </span>
                <div>
                  <div class="who-name">{frame.admin.name}</div>
                  <div class="who-mail">{frame.admin.email}</div>
                </div>
              </div>
              <form method="post" action="/console/sign-out" class="inline-form">
                <CsrfField tokens={frame.formTokens} />
                <button class="button button-secondary button-small" type="submit">
                  <Icon name="signOut" />
                  Sign out
                </button>
              </form>
            </header>
            <main id="main" class="content" tabindex={-1}>
              {frame.flash !== undefined ? (
                <Notice tone={frame.flash.tone}>{frame.flash.message}</Notice>
              ) : null}
              {props.children}
            </main>
          </div>
        </div>
        <script nonce={frame.nonce} dangerouslySetInnerHTML={{ __html: CONSOLE_SCRIPT }} />
      </body>
    </html>
  );
}

/** Signed-out console pages (sign-in, first-admin setup): the hosted pages' centred card. */
export function ConsoleAuthLayout(props: { title: string; children: ComponentChildren }): VNode {
  return (
    <html lang="en">
      <Head title={props.title} />
      <body>
        <div class="page">
          <header class="brand">
            <BrandMark />
            <span>Latchkey</span>
          </header>
          <main class="card">{props.children}</main>
          <footer class="footer">
            <Icon name="lock" />
            <span>Latchkey admin console</span>
          </footer>
        </div>
      </body>
    </html>
  );
}
