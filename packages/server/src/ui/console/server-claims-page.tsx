import type { VNode } from 'preact';
import type { ClaimRow } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import { CsrfField, EmptyState, FormRow, Panel, Select, TextInput } from './components.tsx';
import { Icon } from './icons.tsx';
import { type Errors, FormErrors, type ServerPageBase, ServerShell, serverPath } from './server-shell.tsx';

export type ClaimField = 'name' | 'claimType' | 'value' | 'scopes';

export interface ServerClaimsPageProps extends ServerPageBase {
  standard: ReadonlyArray<{ scope: string; claims: string }>;
  claims: readonly ClaimRow[];
  paths: readonly string[];
  values: Record<ClaimField, string>;
  errors: Errors<ClaimField>;
}

function ServerClaimsPage(props: ServerClaimsPageProps): VNode {
  const { frame, server, values, errors } = props;
  return (
    <ServerShell {...props} tab="claims">
      <Panel
        title="Standard claims"
        description="Added to ID tokens and /v1/userinfo for the scopes granted."
        flush
      >
        <div class="table-wrap">
          <table class="table table-compact">
            <caption class="visually-hidden">Standard claims</caption>
            <thead>
              <tr>
                <th scope="col">Scope</th>
                <th scope="col">Claims</th>
              </tr>
            </thead>
            <tbody>
              {props.standard.map((row) => (
                <tr key={row.scope}>
                  <td>
                    <code>{row.scope}</code>
                  </td>
                  <td class="mono small">{row.claims}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      <Panel title="Custom claims" flush>
        {props.claims.length === 0 ? (
          <EmptyState icon="shield" title="No custom claims">
            Add a claim to put a user attribute or a fixed value into this server's tokens.
          </EmptyState>
        ) : (
          <div class="table-wrap">
            <table class="table table-compact">
              <caption class="visually-hidden">Custom claims</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Token</th>
                  <th scope="col">Value</th>
                  <th scope="col">Scopes</th>
                </tr>
              </thead>
              <tbody>
                {props.claims.map((claim) => (
                  <tr key={claim.id}>
                    <td>
                      <code>{claim.name}</code>
                    </td>
                    <td>{claim.claimType === 'RESOURCE' ? 'Access token' : 'ID token'}</td>
                    <td>
                      <code>{claim.value}</code>
                    </td>
                    <td>
                      {claim.scopes.length === 0 ? (
                        <span class="muted">Any scope</span>
                      ) : (
                        claim.scopes.join(', ')
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <form method="post" action={serverPath(server, '/claims')} novalidate>
        <CsrfField tokens={frame.formTokens} />
        <Panel
          title="Add claim"
          footer={
            <button class="button" type="submit">
              <Icon name="plus" />
              Add claim
            </button>
          }
        >
          <div class="form-grid">
            <FormErrors errors={errors.form} />
            <FormRow id="claim-name" name="name" label="Name" errors={errors.name}>
              <TextInput id="claim-name" name="name" label="Name" value={values.name} errors={errors.name} />
            </FormRow>
            <FormRow id="claim-type" name="claimType" label="Include in" errors={errors.claimType}>
              <Select
                id="claim-type"
                name="claimType"
                label="Include in"
                value={values.claimType}
                options={[
                  { value: 'RESOURCE', label: 'Access token' },
                  { value: 'IDENTITY', label: 'ID token' },
                ]}
                errors={errors.claimType}
              />
            </FormRow>
            <FormRow
              id="claim-value"
              name="value"
              label="Value"
              errors={errors.value}
              hint={`One of ${props.paths.join(', ')}, or a quoted string such as "engineering".`}
            >
              <TextInput
                id="claim-value"
                name="value"
                label="Value"
                value={values.value}
                errors={errors.value}
                hasHint
              />
            </FormRow>
            <FormRow
              id="claim-scopes"
              name="scopes"
              label="Only with scopes"
              errors={errors.scopes}
              hint="Optional, separated by spaces. Empty: always included."
            >
              <TextInput
                id="claim-scopes"
                name="scopes"
                label="Only with scopes"
                value={values.scopes}
                errors={errors.scopes}
                hasHint
              />
            </FormRow>
          </div>
        </Panel>
      </form>
    </ServerShell>
  );
}

export function renderServerClaimsPage(props: ServerClaimsPageProps): string {
  return renderPage(<ServerClaimsPage {...props} />);
}
