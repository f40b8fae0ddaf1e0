import type { VNode } from 'preact';
import { Layout, renderPage } from './layout.tsx';

export interface ConsentScope {
  name: string;
  /** What the app may do, in plain words. */
  description: string;
}

export interface ConsentPageProps {
  appName: string;
  /**
   * The host of a Client ID Metadata Document: the app's name is its own claim, so the page says it is
   * unverified and shows where it comes from.
   */
  unverifiedHost?: string | undefined;
  /** Who is signed in, so a shared computer shows whose data is at stake. */
  userName: string;
  scopes: ConsentScope[];
  action: string;
  transactionId: string;
  csrfToken: string;
}

function ConsentPage(props: ConsentPageProps): VNode {
  return (
    <Layout title="Allow access">
      <h1>Allow access?</h1>
      {props.unverifiedHost === undefined ? null : (
        <p class="alert unverified" role="note">
          Unverified app from <strong>{props.unverifiedHost}</strong>. This server has not checked who made
          it; allow only if you started this sign-in yourself and trust {props.unverifiedHost}.
        </p>
      )}
      <p class="subtitle">
        <strong>{props.appName}</strong> wants to access your account ({props.userName}).
      </p>
      <p>It is asking to:</p>
      <ul class="scope-list">
        {props.scopes.map((scope) => (
          <li key={scope.name}>
            {scope.description}
            <code>{scope.name}</code>
          </li>
        ))}
      </ul>
      <form method="post" action={props.action} class="actions">
        <input type="hidden" name="transaction_id" value={props.transactionId} />
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <button class="button" type="submit" name="decision" value="allow">
          Allow
        </button>
        <button class="button button-secondary" type="submit" name="decision" value="deny">
          Deny
        </button>
      </form>
    </Layout>
  );
}

export function renderConsentPage(props: ConsentPageProps): string {
  return renderPage(<ConsentPage {...props} />);
}
