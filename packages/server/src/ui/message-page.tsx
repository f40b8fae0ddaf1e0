import type { VNode } from 'preact';
import { Layout, renderPage } from './layout.tsx';

export interface MessagePageProps {
  title: string;
  message: string;
}

function MessagePage({ title, message }: MessagePageProps): VNode {
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p class="message">{message}</p>
    </Layout>
  );
}

/** A simple card with a heading and a message, e.g. "Signed out" or "Sign-in session expired". */
export function renderMessagePage(props: MessagePageProps): string {
  return renderPage(<MessagePage {...props} />);
}
