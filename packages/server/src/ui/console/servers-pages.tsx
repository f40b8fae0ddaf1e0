import type { VNode } from 'preact';
import type {
  AuthorizationServerRow,
  ClaimRow,
  ScopeRow,
  SigningKeyRow,
  SigningKeyStatus,
} from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import {
  Badge,
  CopyField,
  CsrfField,
  EmptyState,
  FormRow,
  formatDuration,
  formatTime,
  Notice,
  PageHeader,
  Panel,
  Select,
  Tabs,
  TextInput,
  type Tone,
} from './components.tsx';
import { Icon } from './icons.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';

const BREADCRUMB = [{ href: '/console/servers', label: 'Authorization servers' }];

export type Errors<F extends string> = Partial<Record<F | 'form', string[]>>;

export function serverPath(server: Pick<AuthorizationServerRow, 'id'>, suffix = ''): string {
  return `/console/servers/${encodeURIComponent(server.id)}${suffix}`;
}

function FormErrors({ errors }: { errors: string[] | undefined }): VNode | null {
  return errors === undefined ? null : <Notice tone="danger">{errors.join(' ')}</Notice>;
}

// ---- list -------------------------------------------------------------------------------------------

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
        <CsrfField token={frame.csrfToken} />
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

// ---- detail: shared header ------------------------------------------------------------------------

type ServerTab = 'settings' | 'scopes' | 'claims' | 'keys';

interface ServerPageBase {
  frame: ConsoleFrame;
  server: AuthorizationServerRow;
  issuer: string;
}

function ServerShell(props: ServerPageBase & { tab: ServerTab; children: VNode | VNode[] }): VNode {
  const { server, issuer, tab } = props;
  const tabs: Array<[ServerTab, string, string]> = [
    ['settings', 'Settings', ''],
    ['scopes', 'Scopes', '/scopes'],
    ['claims', 'Claims', '/claims'],
    ['keys', 'Signing keys', '/keys'],
  ];
  return (
    <ConsoleLayout frame={props.frame} section="servers" title={server.name}>
      <PageHeader
        breadcrumb={BREADCRUMB}
        title={
          <>
            {server.name}
            {server.status === 'ACTIVE' ? (
              <Badge tone="success">Active</Badge>
            ) : (
              <Badge tone="neutral">Inactive</Badge>
            )}
          </>
        }
        description={<code>{issuer}</code>}
      />
      <Tabs
        tabs={tabs.map(([id, label, suffix]) => ({
          href: serverPath(server, suffix),
          label,
          current: id === tab,
        }))}
      />
      {props.children}
    </ConsoleLayout>
  );
}

// ---- settings ---------------------------------------------------------------------------------------

export type ServerField =
  | 'name'
  | 'audience'
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

type LifetimeField = Exclude<ServerField, 'name' | 'audience' | 'description'>;

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
        <CsrfField token={frame.csrfToken} />
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

// ---- scopes -----------------------------------------------------------------------------------------

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
        <CsrfField token={frame.csrfToken} />
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

// ---- claims -----------------------------------------------------------------------------------------

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
      </Panel>
      <Panel title="Custom claims" flush>
        {props.claims.length === 0 ? (
          <EmptyState icon="shield" title="No custom claims">
            Add a claim to put a user attribute or a fixed value into this server's tokens.
          </EmptyState>
        ) : (
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
        )}
      </Panel>
      <form method="post" action={serverPath(server, '/claims')} novalidate>
        <CsrfField token={frame.csrfToken} />
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

// ---- keys -------------------------------------------------------------------------------------------

const KEY_STATES: Readonly<Record<SigningKeyStatus, { tone: Tone; label: string; text: string }>> = {
  NEXT: { tone: 'info', label: 'Next', text: 'Published; not signing yet' },
  ACTIVE: { tone: 'success', label: 'Active', text: 'Signs new tokens' },
  RETIRED: { tone: 'warning', label: 'Retiring', text: 'Published until the tokens it signed expire' },
  EXPIRED: { tone: 'neutral', label: 'Expired', text: 'No longer published' },
  REVOKED: { tone: 'danger', label: 'Revoked', text: 'Withdrawn at once by an admin' },
};

export interface ServerKeysPageProps extends ServerPageBase {
  keys: readonly SigningKeyRow[];
  /** When the staged key signs, or when the next rotation is due. */
  nextRotation: number | undefined;
  lastRotated: number | undefined;
  prePublicationSeconds: number;
}

function ServerKeysPage(props: ServerKeysPageProps): VNode {
  const { server, keys } = props;
  const staged = keys.find((key) => key.status === 'NEXT');
  return (
    <ServerShell {...props} tab="keys">
      <Panel
        title="Signing keys"
        description={`RS256 keys published at ${props.issuer}/v1/keys. A new key is published ${formatDuration(props.prePublicationSeconds)} before it signs, so every app already has it.`}
        flush
        footer={
          <>
            <span class="muted small">
              {staged !== undefined
                ? `Key ${staged.kid.slice(0, 12)}… takes over at ${formatTime(props.nextRotation)}.`
                : `Last rotated ${formatTime(props.lastRotated)}; next rotation due ${formatTime(props.nextRotation)}.`}
            </span>
            <a class="button" href={serverPath(server, '/keys/rotate')}>
              <Icon name="rotate" />
              Rotate
            </a>
          </>
        }
      >
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Signing keys</caption>
            <thead>
              <tr>
                <th scope="col">Key ID (kid)</th>
                <th scope="col">State</th>
                <th scope="col" class="col-optional">
                  Created
                </th>
                <th scope="col">Signing since</th>
                <th scope="col" class="col-optional">
                  Retired
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => {
                const state = KEY_STATES[key.status];
                return (
                  <tr key={key.kid}>
                    <td>
                      <code class="small">{key.kid}</code>
                    </td>
                    <td>
                      <Badge tone={state.tone}>{state.label}</Badge>
                      <span class="sub">{state.text}</span>
                    </td>
                    <td class="nowrap small col-optional">{formatTime(key.createdAt)}</td>
                    <td class="nowrap small">{formatTime(key.activatedAt)}</td>
                    <td class="nowrap small col-optional">{formatTime(key.retiredAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Panel>
    </ServerShell>
  );
}

export function renderServersListPage(props: ServersListPageProps): string {
  return renderPage(<ServersListPage {...props} />);
}
export function renderServerSettingsPage(props: ServerSettingsPageProps): string {
  return renderPage(<ServerSettingsPage {...props} />);
}
export function renderServerScopesPage(props: ServerScopesPageProps): string {
  return renderPage(<ServerScopesPage {...props} />);
}
export function renderServerClaimsPage(props: ServerClaimsPageProps): string {
  return renderPage(<ServerClaimsPage {...props} />);
}
export function renderServerKeysPage(props: ServerKeysPageProps): string {
  return renderPage(<ServerKeysPage {...props} />);
}
