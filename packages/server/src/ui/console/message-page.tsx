import type { VNode } from 'preact';
import { renderPage } from '../layout.tsx';
import { ConsoleAuthLayout } from './layout.tsx';

export interface ConsoleMessagePageProps {
  title: string;
  message: string;
  link?: { href: string; label: string } | undefined;
}

function ConsoleMessagePage({ title, message, link }: ConsoleMessagePageProps): VNode {
  return (
    <ConsoleAuthLayout title={title}>
      <h1>{title}</h1>
      <p class="message">{message}</p>
      {link !== undefined ? (
        <p class="auth-note">
          <a href={link.href}>{link.label}</a>
        </p>
      ) : null}
    </ConsoleAuthLayout>
  );
}

/** A signed-out console card: expired setup link, session ended, form expired, not found. */
export function renderConsoleMessagePage(props: ConsoleMessagePageProps): string {
  return renderPage(<ConsoleMessagePage {...props} />);
}
