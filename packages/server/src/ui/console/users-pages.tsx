import type { VNode } from 'preact';
import type { EventRow, UserRow } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import {
  ActionButton,
  Badge,
  CsrfField,
  EmptyState,
  FieldError,
  FormRow,
  formatTime,
  Notice,
  PageHeader,
  Panel,
  TextInput,
} from './components.tsx';
import { EventList, type EventNames } from './event-list.tsx';
import { Icon } from './icons.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';

const BREADCRUMB = [{ href: '/console/users', label: 'Users' }];

export function userPath(user: Pick<UserRow, 'id'>, suffix = ''): string {
  return `/console/users/${encodeURIComponent(user.id)}${suffix}`;
}

function isLocked(user: UserRow, now: number): boolean {
  return user.lockedUntil !== null && user.lockedUntil > now;
}

function UserStatus({ user, now }: { user: UserRow; now: number }): VNode {
  if (user.status !== 'ACTIVE') return <Badge tone="neutral">Deactivated</Badge>;
  if (isLocked(user, now)) return <Badge tone="warning">Locked</Badge>;
  return <Badge tone="success">Active</Badge>;
}

export interface UsersListPageProps {
  frame: ConsoleFrame;
  users: readonly UserRow[];
  query: string;
  now: number;
  /** The `after` cursor of the next page, when there is one. */
  nextAfter?: string | undefined;
}

const addUser = (
  <a class="button" href="/console/users/new">
    <Icon name="plus" />
    Add user
  </a>
);

function UsersListPage({ frame, users, query, now, nextAfter }: UsersListPageProps): VNode {
  const searchParam = query === '' ? '' : `q=${encodeURIComponent(query)}&`;
  return (
    <ConsoleLayout frame={frame} section="users" title="Users">
      <PageHeader
        title="Users"
        description="People who sign in to your apps, and the admins of this console."
        actions={addUser}
      />
      <search>
        <form method="get" action="/console/users" class="toolbar">
          <div class="field field-wide">
            <label for="q">Search</label>
            <TextInput
              id="q"
              name="q"
              label="Search"
              type="search"
              value={query}
              placeholder="Name, login or email"
            />
          </div>
          <div class="toolbar-actions">
            <button class="button button-secondary" type="submit">
              <Icon name="search" />
              Search
            </button>
            {query !== '' ? (
              <a class="button button-secondary" href="/console/users">
                Clear
              </a>
            ) : null}
          </div>
        </form>
      </search>
      <Panel flush>
        {users.length === 0 ? (
          query === '' ? (
            <EmptyState icon="users" title="No users yet" action={addUser}>
              Add the people who will sign in to your apps.
            </EmptyState>
          ) : (
            <EmptyState icon="search" title="No matching users">
              {`Nobody's name, login or email contains "${query}".`}
            </EmptyState>
          )
        ) : (
          <>
            <div class="table-wrap">
              <table class="table">
                <caption class="visually-hidden">Users</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col" class="col-optional">
                      Login
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">Role</th>
                    <th scope="col" class="col-optional">
                      Created
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {users.map((user) => (
                    <tr key={user.id}>
                      <td class="primary-cell">
                        <a href={userPath(user)}>{user.name}</a>
                        <span class="sub">{user.email}</span>
                      </td>
                      <td class="col-optional">{user.login}</td>
                      <td>
                        <UserStatus user={user} now={now} />
                      </td>
                      <td>
                        {user.isAdmin ? <Badge tone="info">Admin</Badge> : <span class="muted">User</span>}
                      </td>
                      <td class="nowrap muted col-optional">{formatTime(user.createdAt).slice(0, 10)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {nextAfter !== undefined ? (
              <div class="pager">
                <span>{`Showing ${users.length} users.`}</span>
                <a href={`/console/users?${searchParam}after=${encodeURIComponent(nextAfter)}`}>
                  Next page →
                </a>
              </div>
            ) : null}
          </>
        )}
      </Panel>
    </ConsoleLayout>
  );
}

export type NewUserField = 'name' | 'email' | 'login' | 'password';

export interface NewUserPageProps {
  frame: ConsoleFrame;
  values: { name: string; email: string; login: string; isAdmin: boolean };
  errors: Partial<Record<NewUserField | 'form', string[]>>;
}

function NewUserPage({ frame, values, errors }: NewUserPageProps): VNode {
  return (
    <ConsoleLayout frame={frame} section="users" title="Add user">
      <PageHeader title="Add user" breadcrumb={BREADCRUMB} />
      <form method="post" action="/console/users" novalidate>
        <CsrfField token={frame.csrfToken} />
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

export interface UserDetailPageProps {
  frame: ConsoleFrame;
  user: UserRow;
  now: number;
  /** The signed-in admin is looking at their own account. */
  self: boolean;
  passwordError?: string | undefined;
  events: readonly EventRow[];
  names: EventNames;
}

function UserDetailPage(props: UserDetailPageProps): VNode {
  const { frame, user, now } = props;
  const locked = isLocked(user, now);
  const active = user.status === 'ACTIVE';
  const passwordErrors = props.passwordError === undefined ? undefined : [props.passwordError];
  return (
    <ConsoleLayout frame={frame} section="users" title={user.name}>
      <PageHeader
        breadcrumb={BREADCRUMB}
        title={
          <>
            {user.name}
            <UserStatus user={user} now={now} />
            {user.isAdmin ? <Badge tone="info">Admin</Badge> : null}
          </>
        }
        description={user.email}
      />
      <div class="two-col">
        <div class="stack">
          <Panel title="Profile">
            <dl class="kv">
              <dt>User ID</dt>
              <dd>
                <code>{user.id}</code>
              </dd>
              <dt>Username</dt>
              <dd>{user.login}</dd>
              <dt>Email</dt>
              <dd>{user.email}</dd>
              <dt>Password</dt>
              <dd>{user.passwordHash === null ? 'Not set' : `Set ${formatTime(user.passwordChangedAt)}`}</dd>
              <dt>Lockout</dt>
              <dd>
                {locked
                  ? `Locked until ${formatTime(user.lockedUntil)} after too many wrong passwords`
                  : `Not locked (${user.failedLogins} recent failed sign-ins)`}
              </dd>
              <dt>Created</dt>
              <dd>{formatTime(user.createdAt)}</dd>
            </dl>
          </Panel>
          <Panel
            title="Recent activity"
            description="Sign-ins and changes for this user, newest first."
            flush
          >
            {props.events.length === 0 ? (
              <EmptyState icon="log" title="No activity yet">
                Sign-ins by this user appear here.
              </EmptyState>
            ) : (
              <>
                <EventList events={props.events} names={props.names} />
                <div class="pager">
                  <span />
                  <a href={`/console/log?user=${encodeURIComponent(user.id)}`}>Open in the system log →</a>
                </div>
              </>
            )}
          </Panel>
        </div>
        <div class="stack">
          <form method="post" action={userPath(user, '/password')} novalidate>
            <CsrfField token={frame.csrfToken} />
            <Panel
              title="Set password"
              description="Also unlocks the account and signs the user out everywhere."
              footer={
                <button class="button" type="submit">
                  Set password
                </button>
              }
            >
              <div class="field">
                <label for="new-password">New password</label>
                <TextInput
                  id="new-password"
                  name="password"
                  label="New password"
                  type="password"
                  autocomplete="new-password"
                  required
                  errors={passwordErrors}
                />
                <FieldError id="new-password-error" errors={passwordErrors} />
              </div>
            </Panel>
          </form>
          <Panel title="Sessions and access">
            <div class="danger-row">
              <div>
                <strong>Unlock</strong>
                <p>{locked ? 'Lets the user try their password again now.' : 'The account is not locked.'}</p>
              </div>
              {locked ? (
                <ActionButton
                  action={userPath(user, '/unlock')}
                  csrfToken={frame.csrfToken}
                  label="Unlock"
                  small
                />
              ) : null}
            </div>
            <div class="danger-row">
              <div>
                <strong>Sign out everywhere</strong>
                <p>Ends every browser session and revokes every token of this user.</p>
              </div>
              <ActionButton
                action={userPath(user, '/sign-out')}
                csrfToken={frame.csrfToken}
                label="Sign out"
                small
              />
            </div>
          </Panel>
          {props.self ? (
            <Notice tone="info">
              This is your own account, so it cannot be deactivated or deleted from here.
            </Notice>
          ) : (
            <Panel title="Danger zone" danger>
              <div class="danger-row">
                <div>
                  <strong>{active ? 'Deactivate' : 'Activate'}</strong>
                  <p>
                    {active ? 'Signs the user out and stops all sign-ins.' : 'Lets the user sign in again.'}
                  </p>
                </div>
                <ActionButton
                  action={userPath(user, active ? '/deactivate' : '/activate')}
                  csrfToken={frame.csrfToken}
                  label={active ? 'Deactivate' : 'Activate'}
                  variant={active ? 'danger' : 'secondary'}
                  small
                />
              </div>
              {!active ? (
                <div class="danger-row">
                  <div>
                    <strong>Delete</strong>
                    <p>Removes the user for good.</p>
                  </div>
                  <a class="button button-danger button-small" href={userPath(user, '/delete')}>
                    Delete…
                  </a>
                </div>
              ) : null}
            </Panel>
          )}
        </div>
      </div>
    </ConsoleLayout>
  );
}

export function renderUsersListPage(props: UsersListPageProps): string {
  return renderPage(<UsersListPage {...props} />);
}

export function renderNewUserPage(props: NewUserPageProps): string {
  return renderPage(<NewUserPage {...props} />);
}

export function renderUserDetailPage(props: UserDetailPageProps): string {
  return renderPage(<UserDetailPage {...props} />);
}
