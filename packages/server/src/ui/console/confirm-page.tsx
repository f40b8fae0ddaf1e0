import type { VNode } from 'preact';
import { renderPage } from '../layout.tsx';
import { type Crumb, CsrfField, FieldError, Notice, PageHeader, Panel } from './components.tsx';
import { type ConsoleFrame, ConsoleLayout, type ConsoleSection } from './layout.tsx';

export interface ConfirmPageProps {
  frame: ConsoleFrame;
  section: ConsoleSection;
  breadcrumb: Crumb[];
  title: string;
  /** What will happen, in plain words. */
  message: string;
  action: string;
  confirmLabel: string;
  cancelHref: string;
  danger?: boolean;
  /** AD-01: sensitive actions (key rotation, secret reset, user deletion) ask for the admin's password. */
  requirePassword?: boolean;
  passwordError?: string | undefined;
}

/** A confirmation step for actions that cannot be undone; with a password prompt where AD-01 asks for one. */
function ConfirmPage(props: ConfirmPageProps): VNode {
  const errors = props.passwordError === undefined ? undefined : [props.passwordError];
  return (
    <ConsoleLayout frame={props.frame} section={props.section} title={props.title}>
      <PageHeader title={props.title} breadcrumb={props.breadcrumb} />
      <form method="post" action={props.action}>
        <CsrfField tokens={props.frame.formTokens} />
        <Panel
          danger={props.danger === true}
          narrow
          footer={
            <>
              <a class="button button-secondary" href={props.cancelHref}>
                Cancel
              </a>
              <button class={props.danger === true ? 'button button-danger' : 'button'} type="submit">
                {props.confirmLabel}
              </button>
            </>
          }
        >
          <Notice tone={props.danger === true ? 'warning' : 'info'}>{props.message}</Notice>
          {props.requirePassword === true ? (
            <div class="field">
              <label for="password">Your password</label>
              <input
                id="password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
                autofocus
                aria-invalid={errors !== undefined ? 'true' : undefined}
                aria-describedby={errors !== undefined ? 'password-error password-hint' : 'password-hint'}
              />
              <p class="hint" id="password-hint">
                Enter your own password to confirm it is you.
              </p>
              <FieldError id="password-error" errors={errors} />
            </div>
          ) : null}
        </Panel>
      </form>
    </ConsoleLayout>
  );
}

export function renderConfirmPage(props: ConfirmPageProps): string {
  return renderPage(<ConfirmPage {...props} />);
}
