import type { VNode } from 'preact';
import type { ClientMetadataDocumentRow, ClientRow } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import { APP_TYPES } from './app-form.tsx';
import { Badge, EmptyState, formatTime, PageHeader, Panel } from './components.tsx';
import { Icon } from './icons.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';

export interface AppsListPageProps {
  frame: ConsoleFrame;
  apps: readonly ClientRow[];
  /** Client ID Metadata Document clients seen recently (not registered: each names itself by URL). */
  metadataClients?: readonly ClientMetadataDocumentRow[];
}

const addButton = (
  <a class="button" href="/console/apps/new">
    <Icon name="plus" />
    Add application
  </a>
);

function AppsListPage({ frame, apps, metadataClients = [] }: AppsListPageProps): VNode {
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
      {metadataClients.length === 0 ? null : <MetadataClients clients={metadataClients} />}
    </ConsoleLayout>
  );
}

function MetadataClients({ clients }: { clients: readonly ClientMetadataDocumentRow[] }): VNode {
  return (
    <Panel
      flush
      id="metadata-clients"
      title="Recently seen metadata-document clients"
      description="Apps that identified themselves by the URL of their Client ID Metadata Document (e.g. MCP clients). They are not registered here and users are always asked to consent. Block a host with LATCHKEY_CLIENT_METADATA_BLOCK_HOSTS."
    >
      <div class="table-wrap">
        <table class="table">
          <caption class="visually-hidden">Recently seen metadata-document clients</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Host</th>
              <th scope="col">Client ID</th>
              <th scope="col" class="col-optional">
                Last seen
              </th>
            </tr>
          </thead>
          <tbody>
            {clients.map((client) => (
              <tr key={client.clientId}>
                <td class="primary-cell">
                  {client.clientName ?? client.host}
                  <span class="sub">Unverified</span>
                </td>
                <td class="nowrap">{client.host}</td>
                <td>
                  <code>{client.clientId}</code>
                </td>
                <td class="nowrap muted col-optional">{formatTime(client.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

export function renderAppsListPage(props: AppsListPageProps): string {
  return renderPage(<AppsListPage {...props} />);
}
