import type { VNode } from 'preact';
import { Layout, renderPage } from './layout.tsx';

export interface FormPostPageProps {
  /** The client's redirect_uri the response is POSTed to. */
  action: string;
  /** The authorization response parameters (code, state, id_token, error, ...). */
  fields: Record<string, string>;
  /** The CSP nonce for the one inline script. */
  nonce: string;
}

/**
 * Submits the first form. Calls the prototype method so a response field named `submit` cannot
 * shadow `form.submit`. Constant, owned code: the only inline script, allowed by its nonce.
 */
const AUTO_SUBMIT_SCRIPT = 'HTMLFormElement.prototype.submit.call(document.forms[0]);';

function FormPostPage({ action, fields, nonce }: FormPostPageProps): VNode {
  return (
    <Layout title="Continue">
      <h1>Returning to the application</h1>
      <p class="subtitle">If nothing happens, select Continue.</p>
      <form method="post" action={action}>
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <noscript>
          <p class="noscript">
            JavaScript is turned off in your browser, so the sign-in response cannot be sent automatically.
            Select Continue to finish signing in.
          </p>
        </noscript>
        <button class="button" type="submit">
          Continue
        </button>
      </form>
      {/* The only inline script: constant code we own, allowed by the CSP nonce. */}
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: AUTO_SUBMIT_SCRIPT }} />
    </Layout>
  );
}

/** OAuth 2.0 Form Post Response Mode: an auto-submitting form that also works without JavaScript. */
export function renderFormPostPage(props: FormPostPageProps): string {
  return renderPage(<FormPostPage {...props} />);
}
