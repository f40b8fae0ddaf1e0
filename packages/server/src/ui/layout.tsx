import type { ComponentChildren, VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { stylesheetPath } from './styles.ts';

export interface LayoutProps {
  title: string;
  children?: ComponentChildren;
  /** A wider card, for pages that show long values (e.g. redirect URIs). */
  wide?: boolean | undefined;
}

/** The Latchkey product mark: a rounded shield-square with a keyhole. Decorative only. */
export function BrandMark(): VNode {
  return (
    <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="30" height="30" rx="8" fill="currentColor" />
      <circle class="brand-mark-hole" cx="16" cy="13" r="4.5" />
      <path class="brand-mark-hole" d="M13.6 15.5h4.8l1.4 8.5h-7.6z" />
    </svg>
  );
}

function LockIcon(): VNode {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M8 1a3.5 3.5 0 0 0-3.5 3.5V6H4a1.5 1.5 0 0 0-1.5 1.5v6A1.5 1.5 0 0 0 4 15h8a1.5 1.5 0 0 0 1.5-1.5v-6A1.5 1.5 0 0 0 12 6h-.5V4.5A3.5 3.5 0 0 0 8 1Zm2 5H6V4.5a2 2 0 1 1 4 0V6Z"
      />
    </svg>
  );
}

/** The full HTML document shared by every hosted page: brand header, centred card, footer. */
export function Layout({ title, children, wide }: LayoutProps): VNode {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · Latchkey`}</title>
        <link rel="stylesheet" href={stylesheetPath} />
      </head>
      <body>
        <div class="page">
          <header class="brand">
            <BrandMark />
            <span>Latchkey</span>
          </header>
          <main class={wide === true ? 'card card-wide' : 'card'}>{children}</main>
          <footer class="footer">
            <LockIcon />
            <span>Secured by Latchkey</span>
          </footer>
        </div>
      </body>
    </html>
  );
}

/** Renders a page (normally a `<Layout>`) to a complete HTML string with its doctype. */
export function renderPage(vnode: VNode): string {
  return `<!doctype html>${render(vnode)}`;
}
