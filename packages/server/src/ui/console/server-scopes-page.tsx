import type { VNode } from 'preact';
import type { ScopeRow } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import { Badge, CsrfField, FormRow, Panel, TextInput } from './components.tsx';
import { Icon } from './icons.tsx';
import { type Errors, FormErrors, type ServerPageBase, ServerShell, serverPath } from './server-shell.tsx';

export type ScopeField = 'name' | 'displayName' | 'description';

export interface ServerScopesPageProps extends ServerPageBase {
  reserved: ReadonlyArray<{ name: string; description: string }>;
  scopes: readonly ScopeRow[];
  values: Record<ScopeField, string>;
  errors: Errors<ScopeField>;
}

function ServerScopesPage(props: ServerScopesPageProps): VNode {
  const { frame, server, values, errors } = props;
  return (
    <ServerShell {...props} tab="scopes">
      <Panel
        title="Scopes"
        description="What apps may ask for. Custom scopes are published in discovery."
        flush
      >
        <div class="table-wrap">
          <table class="table table-compact">
            <caption class="visually-hidden">Scopes</caption>
            <thead>
              <tr>
                <th scope="col">Scope</th>
                <th scope="col">Description</th>
                <th scope="col">Kind</th>
              </tr>
            </thead>
            <tbody>
              {props.reserved.map((scope) => (
                <tr key={scope.name}>
                  <td>
                    <code>{scope.name}</code>
                  </td>
                  <td>{scope.description}</td>
                  <td>
                    <Badge tone="neutral">System</Badge>
                  </td>
                </tr>
              ))}
              {props.scopes.map((scope) => (
                <tr key={scope.name}>
                  <td>
                    <code>{scope.name}</code>
                    <span class="sub">{scope.displayName}</span>
                  </td>
                  <td>{scope.description === '' ? <span class="muted">—</span> : scope.description}</td>
                  <td>
                    <Badge tone="info">Custom</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      <form method="post" action={serverPath(server, '/scopes')} novalidate>
        <CsrfField tokens={frame.formTokens} />
        <Panel
          title="Add scope"
          footer={
            <button class="button" type="submit">
              <Icon name="plus" />
              Add scope
            </button>
          }
        >
          <div class="form-grid">
            <FormErrors errors={errors.form} />
            <FormRow
              id="scope-name"
              name="name"
              label="Name"
              errors={errors.name}
              hint="As apps request it, e.g. orders:read."
            >
              <TextInput
                id="scope-name"
                name="name"
                label="Name"
                value={values.name}
                errors={errors.name}
                hasHint
              />
            </FormRow>
            <FormRow
              id="scope-display"
              name="displayName"
              label="Display name"
              errors={errors.displayName}
              hint="Shown on the consent screen."
            >
              <TextInput
                id="scope-display"
                name="displayName"
                label="Display name"
                value={values.displayName}
                errors={errors.displayName}
                hasHint
              />
            </FormRow>
            <FormRow
              id="scope-description"
              name="description"
              label="Description"
              errors={errors.description}
            >
              <TextInput
                id="scope-description"
                name="description"
                label="Description"
                value={values.description}
                errors={errors.description}
              />
            </FormRow>
          </div>
        </Panel>
      </form>
    </ServerShell>
  );
}

export function renderServerScopesPage(props: ServerScopesPageProps): string {
  return renderPage(<ServerScopesPage {...props} />);
}
