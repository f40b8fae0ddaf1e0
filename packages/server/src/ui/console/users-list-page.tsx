import type { VNode } from 'preact';
import type { UserRow } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import { Badge, EmptyState, formatTime, PageHeader, Panel, TextInput } from './components.tsx';
import { Icon } from './icons.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';

import { UserStatus, userPath } from './user-status.tsx';

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

export function renderUsersListPage(props: UsersListPageProps): string {
  return renderPage(<UsersListPage {...props} />);
}
