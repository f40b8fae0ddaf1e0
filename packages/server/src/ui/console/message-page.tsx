import type { VNode } from 'preact';
import { renderPage } from '../layout.tsx';
import { Notice, PageHeader, Panel } from './components.tsx';
import { ConsoleAuthLayout, type ConsoleFrame, ConsoleLayout, type ConsoleSection } from './layout.tsx';

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

export interface ConsoleErrorPageProps {
  frame: ConsoleFrame;
  title: string;
  message: string;
  back?: { href: string; label: string } | undefined;
}

function ConsoleErrorPage({ frame, title, message, back }: ConsoleErrorPageProps): VNode {
  return (
    <ConsoleLayout frame={frame} section={sectionOf(back?.href)} title={title}>
      <PageHeader title={title} />
      <Panel>
        <Notice tone="danger">{message}</Notice>
        {back !== undefined ? <a href={back.href}>{back.label}</a> : null}
      </Panel>
    </ConsoleLayout>
  );
}

function sectionOf(href: string | undefined): ConsoleSection {
  if (href?.startsWith('/console/users') === true) return 'users';
  if (href?.startsWith('/console/servers') === true) return 'servers';
  if (href?.startsWith('/console/log') === true) return 'log';
  return 'apps';
}

/** An error inside the signed-in console (not found, refused action), with the navigation still there. */
export function renderConsoleErrorPage(props: ConsoleErrorPageProps): string {
  return renderPage(<ConsoleErrorPage {...props} />);
}
