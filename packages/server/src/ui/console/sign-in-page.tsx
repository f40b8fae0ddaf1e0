import type { VNode } from 'preact';
import { CredentialFields } from '../credential-fields.tsx';
import { renderPage } from '../layout.tsx';
import { Notice } from './components.tsx';
import { ConsoleAuthLayout } from './layout.tsx';

export interface ConsoleSignInPageProps {
  csrfToken: string;
  /** The console page to return to after signing in (already checked to be a console path). */
  next: string;
  login?: string | undefined;
  /** The one generic failure message (LG-05). */
  error?: string | undefined;
  notice?: string | undefined;
  /** No admin exists yet: explain how to make the first one. */
  noAdminYet?: boolean;
}

const ERROR_ID = 'console-sign-in-error';

function ConsoleSignInPage(props: ConsoleSignInPageProps): VNode {
  const hasError = props.error !== undefined;
  return (
    <ConsoleAuthLayout title="Sign in">
      <p class="eyebrow">Admin console</p>
      <h1>Sign in</h1>
      <p class="subtitle">Manage applications, users and authorization servers.</p>
      {props.notice !== undefined ? <Notice tone="success">{props.notice}</Notice> : null}
      {props.noAdminYet === true ? (
        <Notice tone="info">
          <p>
            <strong>No administrator exists yet.</strong> Open the one-time setup link that Latchkey printed
            when it started, or start it with <code>LATCHKEY_BOOTSTRAP_ADMIN_EMAIL</code> and{' '}
            <code>LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD</code>.
          </p>
        </Notice>
      ) : null}
      {hasError ? (
        <div class="alert" role="alert" id={ERROR_ID}>
          <span>{props.error}</span>
        </div>
      ) : null}
      <form method="post" action="/console/sign-in">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="next" value={props.next} />
        <CredentialFields login={props.login} errorId={hasError ? ERROR_ID : undefined} />
        <button class="button" type="submit">
          Sign in
        </button>
      </form>
      <p class="auth-note">Only users with the admin role can sign in here.</p>
    </ConsoleAuthLayout>
  );
}

export function renderConsoleSignInPage(props: ConsoleSignInPageProps): string {
  return renderPage(<ConsoleSignInPage {...props} />);
}
