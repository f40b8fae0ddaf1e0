import type { VNode } from 'preact';

export interface CredentialFieldsProps {
  /** Pre-fills the username; the password field then gets the focus. */
  login?: string | undefined;
  /** The id of the alert describing a failed attempt, if one is shown. */
  errorId?: string | undefined;
  /**
   * A Show/Hide button for the password, hidden until the page's script reveals it (progressive
   * enhancement: without JavaScript the field is an ordinary password field).
   */
  showPasswordToggle?: boolean | undefined;
}

/** Reveals the Show button and switches the field between hidden and plain text. Constant code we own. */
export const SHOW_PASSWORD_SCRIPT = `const button = document.getElementById('show-password');
const field = document.getElementById('password');
if (button && field) {
  button.hidden = false;
  button.addEventListener('click', () => {
    const show = field.type === 'password';
    field.type = show ? 'text' : 'password';
    button.textContent = show ? 'Hide' : 'Show';
    button.setAttribute('aria-pressed', String(show));
    field.focus();
  });
  field.form?.addEventListener('submit', () => { field.type = 'password'; });
}`;

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
        <div class="password-field">
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
          {props.showPasswordToggle === true ? (
            <button
              id="show-password"
              class="password-toggle"
              type="button"
              aria-controls="password"
              aria-pressed="false"
              aria-label="Show password"
              hidden
            >
              Show
            </button>
          ) : null}
        </div>
      </div>
    </>
  );
}
