import type { VNode } from 'preact';
import { Layout, renderPage } from './layout.tsx';

export interface WebMessagePageProps {
  /** The origin of the app's validated redirect_uri: the only one the message may be delivered to. */
  targetOrigin: string;
  /** The message (`event.data`), already shaped for the response mode. */
  data: Record<string, unknown>;
  /** The CSP nonce for the one inline script. */
  nonce: string;
}

/**
 * Posts the message to the window that framed this page (okta-auth-js's hidden iframe) or, in a popup, to
 * its opener. Constant, owned code allowed by its nonce; the values travel in data attributes, which the
 * renderer escapes, so no response value is ever parsed as script. The target origin is the app's own:
 * the browser drops the message if that window shows any other origin (HTML §9.3.3, never "*").
 */
const POST_SCRIPT =
  "var e=document.getElementById('authorization-response');" +
  'var w=window.parent!==window?window.parent:window.opener;' +
  'if(w)w.postMessage(JSON.parse(e.dataset.message),e.dataset.targetOrigin);';

function WebMessagePage({ targetOrigin, data, nonce }: WebMessagePageProps): VNode {
  return (
    <Layout title="Continue">
      <h1>Returning to the application</h1>
      <p
        class="subtitle"
        id="authorization-response"
        data-target-origin={targetOrigin}
        data-message={JSON.stringify(data)}
      >
        This page hands the sign-in response to the application; you can close it.
      </p>
      {/* The only inline script: constant code we own, allowed by the CSP nonce. */}
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: POST_SCRIPT }} />
    </Layout>
  );
}

/** The page for `response_mode=okta_post_message` and `web_message` (src/oauth/web-message.ts). */
export function renderWebMessagePage(props: WebMessagePageProps): string {
  return renderPage(<WebMessagePage {...props} />);
}
