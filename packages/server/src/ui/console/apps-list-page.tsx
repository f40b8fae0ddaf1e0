import type { VNode } from 'preact';
import type { ClientRow } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import { APP_TYPES } from './app-form.tsx';
import { Badge, EmptyState, formatTime, PageHeader, Panel } from './components.tsx';
import { Icon } from './icons.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';

export interface AppsListPageProps {
  frame: ConsoleFrame;
  apps: readonly ClientRow[];
}

const addButton = (
  <a class="button" href="/console/apps/new">
    <Icon name="plus" />
    Add application
  </a>
);

function AppsListPage({ frame, apps }: AppsListPageProps): VNode {
  return (
    <ConsoleLayout frame={frame} section="apps" title="Applications">
      <PageHeader
        title="Applications"
        description="Apps that sign users in with Latchkey. Each gets a Client ID; web apps also get a secret."
        actions={apps.length > 0 ? addButton : undefined}
      />
      <Panel flush>
        {apps.length === 0 ? (
          <EmptyState icon="apps" title="No applications yet" action={addButton}>
            Add your first app to get a Client ID for your native, single-page or web app.
          </EmptyState>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">Applications</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col" class="col-optional">
                    Type
                  </th>
                  <th scope="col">Client ID</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="col-optional">
                    Created
                  </th>
                </tr>
              </thead>
              <tbody>
                {apps.map((app) => (
                  <tr key={app.clientId}>
                    <td class="primary-cell">
                      <a href={`/console/apps/${encodeURIComponent(app.clientId)}`}>{app.name}</a>
                      <span class="sub">{app.redirectUris[0]}</span>
                    </td>
                    <td class="nowrap col-optional">{APP_TYPES[app.applicationType].label}</td>
                    <td>
                      <code>{app.clientId}</code>
                    </td>
                    <td>
                      {app.status === 'ACTIVE' ? (
                        <Badge tone="success">Active</Badge>
                      ) : (
                        <Badge tone="neutral">Inactive</Badge>
                      )}
                    </td>
                    <td class="nowrap muted col-optional">{formatTime(app.createdAt).slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </ConsoleLayout>
  );
}

export function renderAppsListPage(props: AppsListPageProps): string {
  return renderPage(<AppsListPage {...props} />);
}
