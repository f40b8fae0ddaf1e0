import type { VNode } from 'preact';
import { renderPage } from '../layout.tsx';
import { CsrfField, FormRow, Notice, PageHeader, Panel, TextInput } from './components.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';

import { USERS_BREADCRUMB } from './user-status.tsx';

export type NewUserField = 'name' | 'email' | 'login' | 'password';

export interface NewUserPageProps {
  frame: ConsoleFrame;
  values: { name: string; email: string; login: string; isAdmin: boolean };
  errors: Partial<Record<NewUserField | 'form', string[]>>;
}

function NewUserPage({ frame, values, errors }: NewUserPageProps): VNode {
  return (
    <ConsoleLayout frame={frame} section="users" title="Add user">
      <PageHeader title="Add user" breadcrumb={USERS_BREADCRUMB} />
      <form method="post" action="/console/users" novalidate>
        <CsrfField tokens={frame.formTokens} />
        <Panel
          title="Profile and password"
          footer={
            <>
              <a class="button button-secondary" href="/console/users">
                Cancel
              </a>
              <button class="button" type="submit">
                Create user
              </button>
            </>
          }
        >
          <div class="form-grid">
            {errors.form !== undefined ? <Notice tone="danger">{errors.form.join(' ')}</Notice> : null}
            <FormRow id="name" name="name" label="Full name" errors={errors.name}>
              <TextInput
                id="name"
                name="name"
                label="Full name"
                value={values.name}
                autocomplete="off"
                required
                errors={errors.name}
              />
            </FormRow>
            <FormRow id="email" name="email" label="Email" errors={errors.email}>
              <TextInput
                id="email"
                name="email"
                label="Email"
                type="email"
                value={values.email}
                autocomplete="off"
                required
                errors={errors.email}
              />
            </FormRow>
            <FormRow
              id="login"
              name="login"
              label="Username"
              errors={errors.login}
              hint="Optional; the email is used when empty."
            >
              <TextInput
                id="login"
                name="login"
                label="Username"
                value={values.login}
                autocomplete="off"
                errors={errors.login}
                hasHint
              />
            </FormRow>
            <FormRow
              id="password"
              name="password"
              label="Password"
              errors={errors.password}
              hint="At least 8 characters (15 or more is better); common and breached passwords are refused. Leave empty to set it later."
            >
              <TextInput
                id="password"
                name="password"
                label="Password"
                type="password"
                autocomplete="new-password"
                errors={errors.password}
                hasHint
              />
            </FormRow>
            <FormRow id="is_admin" name="is_admin" label="Role" labelFor={false}>
              <label class="check">
                <input type="checkbox" name="is_admin" value="on" checked={values.isAdmin} />
                <span>
                  Admin <small>can sign in to this console and change everything in it</small>
                </span>
              </label>
            </FormRow>
          </div>
        </Panel>
      </form>
    </ConsoleLayout>
  );
}

export function renderNewUserPage(props: NewUserPageProps): string {
  return renderPage(<NewUserPage {...props} />);
}
