import type { VNode } from 'preact';
import { renderPage } from '../layout.tsx';
import { Notice, StackedField } from './components.tsx';
import { ConsoleAuthLayout } from './layout.tsx';

export type SetupField = 'name' | 'email' | 'password' | 'confirm';

export interface SetupPageProps {
  csrfToken: string;
  token: string;
  values: { name: string; email: string };
  errors: Partial<Record<SetupField, string[]>>;
  formError?: string | undefined;
}

function SetupPage({ csrfToken, token, values, errors, formError }: SetupPageProps): VNode {
  return (
    <ConsoleAuthLayout title="Set up Latchkey">
      <p class="eyebrow">Welcome to Latchkey</p>
      <h1>Create the first admin</h1>
      <p class="subtitle">
        This account manages applications, users and keys. The setup link works once and expires 24 hours
        after start-up.
      </p>
      {formError !== undefined ? <Notice tone="danger">{formError}</Notice> : null}
      <form method="post" action="/console/setup" novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="token" value={token} />
        <StackedField
          id="name"
          name="name"
          label="Full name"
          value={values.name}
          autocomplete="name"
          required
          autofocus
          errors={errors.name}
        />
        <StackedField
          id="email"
          name="email"
          label="Email"
          type="email"
          value={values.email}
          autocomplete="email"
          required
          errors={errors.email}
          hint="You sign in with this address."
        />
        <StackedField
          id="password"
          name="password"
          label="Password"
          type="password"
          autocomplete="new-password"
          required
          errors={errors.password}
          hint="At least 8 characters; 15 or more is better. Common passwords are refused."
        />
        <StackedField
          id="confirm"
          name="confirm"
          label="Confirm password"
          type="password"
          autocomplete="new-password"
          required
          errors={errors.confirm}
        />
        <button class="button" type="submit">
          Create admin and sign in
        </button>
      </form>
    </ConsoleAuthLayout>
  );
}

export function renderSetupPage(props: SetupPageProps): string {
  return renderPage(<SetupPage {...props} />);
}
