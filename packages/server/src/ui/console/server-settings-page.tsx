import type { VNode } from 'preact';
import { renderPage } from '../layout.tsx';
import { CopyField, CsrfField, FormRow, formatDuration, Panel, TextArea, TextInput } from './components.tsx';
import { type Errors, FormErrors, type ServerPageBase, ServerShell, serverPath } from './server-shell.tsx';

export type ServerField =
  | 'name'
  | 'audience'
  | 'resources'
  | 'description'
  | 'codeLifetimeSeconds'
  | 'accessTokenLifetimeSeconds'
  | 'idTokenLifetimeSeconds'
  | 'refreshTokenIdleSeconds'
  | 'refreshTokenAbsoluteSeconds';

export interface ServerSettingsPageProps extends ServerPageBase {
  values: Record<ServerField, string>;
  errors: Errors<ServerField>;
}

type LifetimeField = Exclude<ServerField, 'name' | 'audience' | 'resources' | 'description'>;

const LIFETIMES: ReadonlyArray<[LifetimeField, string, string]> = [
  ['codeLifetimeSeconds', 'Authorization code', '10-600 seconds. Codes are single use.'],
  ['accessTokenLifetimeSeconds', 'Access token', '300-86400 seconds (5 minutes to 1 day).'],
  ['idTokenLifetimeSeconds', 'ID token', '300-86400 seconds.'],
  [
    'refreshTokenIdleSeconds',
    'Refresh token idle window',
    'A refresh token unused this long expires; at least 600.',
  ],
  [
    'refreshTokenAbsoluteSeconds',
    'Refresh token lifetime',
    '0 for unlimited, else at least the idle window.',
  ],
];

function ServerSettingsPage(props: ServerSettingsPageProps): VNode {
  const { frame, server, issuer, values, errors } = props;
  return (
    <ServerShell {...props} tab="settings">
      <Panel title="Endpoints" description="Use the issuer in your apps; everything else is in discovery.">
        <dl class="kv">
          <dt>
            <label for="issuer">Issuer</label>
          </dt>
          <dd>
            <CopyField id="issuer" label="Issuer" value={issuer} />
          </dd>
          <dt>
            <label for="discovery">Metadata URI</label>
          </dt>
          <dd>
            <CopyField
              id="discovery"
              label="Metadata URI"
              value={`${issuer}/.well-known/openid-configuration`}
            />
          </dd>
        </dl>
      </Panel>
      <form method="post" action={serverPath(server)} novalidate>
        <CsrfField tokens={frame.formTokens} />
        <Panel
          title="Settings"
          footer={
            <button class="button" type="submit">
              Save changes
            </button>
          }
        >
          <div class="form-grid">
            <FormErrors errors={errors.form} />
            <FormRow id="name" name="name" label="Name" errors={errors.name}>
              <TextInput id="name" name="name" label="Name" value={values.name} errors={errors.name} />
            </FormRow>
            <FormRow
              id="audience"
              name="audience"
              label="Audience"
              errors={errors.audience}
              hint="The aud claim of access tokens."
            >
              <TextInput
                id="audience"
                name="audience"
                label="Audience"
                value={values.audience}
                errors={errors.audience}
                hasHint
              />
            </FormRow>
            <FormRow
              id="resources"
              name="resources"
              label="Resources"
              errors={errors.resources}
              hint="Optional, one absolute URI per line, no #fragment (RFC 8707). Apps may ask for a token for one of them with the resource parameter; it becomes the token's aud. The audience above is always allowed."
            >
              <TextArea
                id="resources"
                name="resources"
                label="Resources"
                value={values.resources}
                rows={3}
                placeholder={'https://api.example.com/\nhttps://mcp.example.com/mcp'}
                errors={errors.resources}
                hasHint
              />
            </FormRow>
            <FormRow id="description" name="description" label="Description" errors={errors.description}>
              <TextInput
                id="description"
                name="description"
                label="Description"
                value={values.description}
                errors={errors.description}
              />
            </FormRow>
            {LIFETIMES.map(([field, label, hint]) => {
              const current = server[field];
              return (
                <FormRow
                  key={field}
                  id={field}
                  name={field}
                  label={`${label} (seconds)`}
                  errors={errors[field]}
                  hint={`${hint} Now ${current === 0 ? 'unlimited' : formatDuration(current)}.`}
                >
                  <TextInput
                    id={field}
                    name={field}
                    label={`${label} (seconds)`}
                    type="number"
                    min={0}
                    value={values[field]}
                    narrow
                    errors={errors[field]}
                    hasHint
                  />
                </FormRow>
              );
            })}
          </div>
        </Panel>
      </form>
    </ServerShell>
  );
}

export function renderServerSettingsPage(props: ServerSettingsPageProps): string {
  return renderPage(<ServerSettingsPage {...props} />);
}
