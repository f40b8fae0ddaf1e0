import type { VNode } from 'preact';
import type { EventRow, UserRow } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import {
  ActionButton,
  Badge,
  CsrfField,
  EmptyState,
  FieldError,
  formatTime,
  Notice,
  PageHeader,
  Panel,
  TextInput,
} from './components.tsx';
import { EventList, type EventNames } from './event-list.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';

import { isLocked, USERS_BREADCRUMB, UserStatus, userPath } from './user-status.tsx';

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
        breadcrumb={USERS_BREADCRUMB}
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
            <CsrfField tokens={frame.formTokens} />
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
                  formTokens={frame.formTokens}
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
                formTokens={frame.formTokens}
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
                  formTokens={frame.formTokens}
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

export function renderUserDetailPage(props: UserDetailPageProps): string {
  return renderPage(<UserDetailPage {...props} />);
}
