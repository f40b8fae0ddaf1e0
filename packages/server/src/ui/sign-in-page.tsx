import type { VNode } from 'preact';
import { CredentialFields, SHOW_PASSWORD_SCRIPT } from './credential-fields.tsx';
import { Layout, renderPage } from './layout.tsx';

export interface SignInPageProps {
  /** Display name of the client application the user is signing in to. */
  appName: string;
  /** The app's https logo (its `logo_uri`), shown above the title when set. */
  logoUri?: string | null | undefined;
  /** The CSP nonce of this response, for the show-password script. */
  nonce: string;
  /** Where the form posts (the login endpoint). */
  action: string;
  transactionId: string;
  csrfToken: string;
  /** Pre-fills the username field (OIDC `login_hint`); the password field then gets the focus. */
  loginHint?: string | undefined;
  /** A user-facing error message, shown in an alert above the fields. */
  error?: string | undefined;
}

const ERROR_ID = 'sign-in-error';

function AlertIcon(): VNode {
  return (
    <svg class="alert-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M10 1.5a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17Zm0 4a1 1 0 0 1 1 1v4a1 1 0 1 1-2 0v-4a1 1 0 0 1 1-1Zm0 9.25a1.25 1.25 0 1 1 0-2.5 1.25 1.25 0 0 1 0 2.5Z"
      />
    </svg>
  );
}

function SignInPage(props: SignInPageProps): VNode {
  const hasError = props.error !== undefined && props.error !== '';
  return (
    <Layout title="Sign in">
      {props.logoUri ? (
        <img
          class="app-logo"
          src={props.logoUri}
          alt={`${props.appName} logo`}
          referrerpolicy="no-referrer"
        />
      ) : null}
      <h1>Sign in</h1>
      <p class="subtitle">
        to continue to <strong>{props.appName}</strong>
      </p>
      {hasError ? (
        <div class="alert" role="alert" id={ERROR_ID}>
          <AlertIcon />
          <span>{props.error}</span>
        </div>
      ) : null}
      <form method="post" action={props.action}>
        <input type="hidden" name="transaction_id" value={props.transactionId} />
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <CredentialFields
          login={props.loginHint}
          errorId={hasError ? ERROR_ID : undefined}
          showPasswordToggle
        />
        <button class="button" type="submit">
          Sign in
        </button>
      </form>
      {/* No self-service reset yet: say who can help. <details> needs no script. */}
      <details class="forgot">
        <summary>Forgot password?</summary>
        <p>
          Ask your administrator to set a new password for you. Administrators can do it on the user's page in
          the Latchkey console, or with <code>latchkey users set-password</code>.
        </p>
      </details>
      <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: SHOW_PASSWORD_SCRIPT }} />
    </Layout>
  );
}

/** The hosted sign-in form. Works without JavaScript; every value is escaped by the renderer. */
export function renderSignInPage(props: SignInPageProps): string {
  return renderPage(<SignInPage {...props} />);
}

/** The image origins the sign-in page's CSP must allow: the app's logo, if it has one. */
export function signInImageOrigins(logoUri: string | null): string[] {
  return logoUri === null ? [] : [new URL(logoUri).origin];
}
