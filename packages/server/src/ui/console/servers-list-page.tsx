import type { VNode } from 'preact';
import type { AuthorizationServerRow } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import { Badge, CsrfField, FormRow, PageHeader, Panel, TextInput } from './components.tsx';
import { Icon } from './icons.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';
import { type Errors, FormErrors, serverPath } from './server-shell.tsx';

export type NewServerField = 'name' | 'audience' | 'description';

export interface ServersListPageProps {
  frame: ConsoleFrame;
  servers: ReadonlyArray<{ server: AuthorizationServerRow; issuer: string }>;
  values: Record<NewServerField, string>;
  errors: Errors<NewServerField>;
}

function ServersListPage({ frame, servers, values, errors }: ServersListPageProps): VNode {
  return (
    <ConsoleLayout frame={frame} section="servers" title="Authorization servers">
      <PageHeader
        title="Authorization servers"
        description="Each server is an issuer with its own audience, scopes, claims, token lifetimes and signing keys."
      />
      <Panel flush>
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Authorization servers</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" class="col-optional">
                  Audience
                </th>
                <th scope="col">Issuer</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {servers.map(({ server, issuer }) => (
                <tr key={server.id}>
                  <td class="primary-cell">
                    <a href={serverPath(server)}>{server.name}</a>
                    <span class="sub">{server.description}</span>
                  </td>
                  <td class="col-optional">
                    <code>{server.audience}</code>
                  </td>
                  <td>
                    <code>{issuer}</code>
                  </td>
                  <td>
                    {server.status === 'ACTIVE' ? (
                      <Badge tone="success">Active</Badge>
                    ) : (
                      <Badge tone="neutral">Inactive</Badge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      <form method="post" action="/console/servers" novalidate id="new-server">
        <CsrfField tokens={frame.formTokens} />
        <Panel
          title="Add authorization server"
          description="For a separate API: it gets its own issuer and signing key."
          footer={
            <button class="button" type="submit">
              <Icon name="plus" />
              Add server
            </button>
          }
        >
          <div class="form-grid">
            <FormErrors errors={errors.form} />
            <FormRow id="server-name" name="name" label="Name" errors={errors.name}>
              <TextInput id="server-name" name="name" label="Name" value={values.name} errors={errors.name} />
            </FormRow>
            <FormRow
              id="server-audience"
              name="audience"
              label="Audience"
              errors={errors.audience}
              hint="The aud of its access tokens, e.g. api://orders."
            >
              <TextInput
                id="server-audience"
                name="audience"
                label="Audience"
                value={values.audience}
                errors={errors.audience}
                hasHint
              />
            </FormRow>
            <FormRow
              id="server-description"
              name="description"
              label="Description"
              errors={errors.description}
            >
              <TextInput
                id="server-description"
                name="description"
                label="Description"
                value={values.description}
                errors={errors.description}
              />
            </FormRow>
          </div>
        </Panel>
      </form>
    </ConsoleLayout>
  );
}

export function renderServersListPage(props: ServersListPageProps): string {
  return renderPage(<ServersListPage {...props} />);
}
