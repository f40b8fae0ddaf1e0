import type { VNode } from 'preact';

export interface CredentialFieldsProps {
  /** Pre-fills the username; the password field then gets the focus. */
  login?: string | undefined;
  /** The id of the alert describing a failed attempt, if one is shown. */
  errorId?: string | undefined;
}

/** The username and password fields of every sign-in form (hosted page and console), labelled and autofilled. */
export function CredentialFields(props: CredentialFieldsProps): VNode {
  const hasLogin = props.login !== undefined && props.login !== '';
  const invalid = props.errorId !== undefined ? ('true' as const) : undefined;
  return (
    <>
      <div class="field">
        <label for="username">Username or email</label>
        <input
          id="username"
          name="username"
          type="text"
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          required
          autofocus={!hasLogin}
          value={hasLogin ? props.login : undefined}
          aria-invalid={invalid}
          aria-describedby={props.errorId}
        />
      </div>
      <div class="field">
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          autofocus={hasLogin}
          aria-invalid={invalid}
          aria-describedby={props.errorId}
        />
      </div>
    </>
  );
}
