import type { VNode } from 'preact';
import type { ApiTokenRow } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import {
  ActionButton,
  Badge,
  CopyField,
  CsrfField,
  FormRow,
  formatTime,
  Notice,
  PageHeader,
  Panel,
  TextInput,
  type Tone,
} from './components.tsx';
import { Icon } from './icons.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';
import { type Errors, FormErrors } from './server-shell.tsx';

export type ApiTokenField = 'name' | 'expires_in' | 'password';
export type ApiTokenStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

export interface ApiTokenListing {
  token: ApiTokenRow;
  status: ApiTokenStatus;
  /** Who made it, in words: an admin's login, `latchkey CLI (os user)`, or a dash. */
  creator: string;
}

export interface ApiTokensPageProps {
  frame: ConsoleFrame;
  tokens: readonly ApiTokenListing[];
  values: { name: string; expires_in: string };
  errors: Errors<ApiTokenField>;
  /** Right after creation: the token, shown in this response only. */
  created?: { name: string; token: string; expiresAt: number | null } | undefined;
}

const STATUS: Readonly<Record<ApiTokenStatus, { tone: Tone; label: string }>> = {
  ACTIVE: { tone: 'success', label: 'Active' },
  EXPIRED: { tone: 'neutral', label: 'Expired' },
  REVOKED: { tone: 'danger', label: 'Revoked' },
};

export const tokenPath = (token: Pick<ApiTokenRow, 'id'>, suffix = ''): string =>
  `/console/tokens/${encodeURIComponent(token.id)}${suffix}`;

function Created({ created }: { created: NonNullable<ApiTokensPageProps['created']> }): VNode {
  return (
    <Panel title={`API token "${created.name}" created`}>
      <Notice tone="warning">
        Copy the token now: it is shown only this once, and only its hash is stored. Send it as{' '}
        <code>Authorization: SSWS &lt;token&gt;</code>.
      </Notice>
      <CopyField id="new-token" label="API token" value={created.token} />
      <p class="muted small">
        {created.expiresAt === null ? 'It never expires.' : `It expires at ${formatTime(created.expiresAt)}.`}
      </p>
    </Panel>
  );
}

function TokenTable({ frame, tokens }: Pick<ApiTokensPageProps, 'frame' | 'tokens'>): VNode {
  if (tokens.length === 0) return <p class="panel-body muted">No API tokens yet.</p>;
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">API tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Created by</th>
            <th scope="col" class="col-optional">
              Created
            </th>
            <th scope="col">Expires</th>
            <th scope="col" class="col-optional">
              Last used
            </th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map(({ token, status, creator }) => (
            <tr key={token.id}>
              <td class="primary-cell">
                {token.name}
                <span class="sub">
                  <code>{token.id}</code>
                </span>
              </td>
              <td>
                <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>
              </td>
              <td class="small">{creator}</td>
              <td class="nowrap small col-optional">{formatTime(token.createdAt)}</td>
              <td class="nowrap small">{token.expiresAt === null ? 'Never' : formatTime(token.expiresAt)}</td>
              <td class="nowrap small col-optional">{formatTime(token.lastUsedAt)}</td>
              <td>
                {status === 'REVOKED' ? null : (
                  <ActionButton
                    action={tokenPath(token, '/revoke')}
                    formTokens={frame.formTokens}
                    label="Revoke"
                    variant="danger"
                    small
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ApiTokensPage({ frame, tokens, values, errors, created }: ApiTokensPageProps): VNode {
  return (
    <ConsoleLayout frame={frame} section="tokens" title="API tokens">
      <PageHeader
        title="API tokens"
        description="Tokens for the admin API at /api/v1. Each records who made it; revoking one stops it on every instance at once."
      />
      {created !== undefined ? <Created created={created} /> : null}
      <Panel flush>
        <TokenTable frame={frame} tokens={tokens} />
      </Panel>
      <form method="post" action="/console/tokens" novalidate id="new-token-form">
        <CsrfField tokens={frame.formTokens} />
        <Panel
          title="Create API token"
          description="A token can do everything an admin can in the admin API. Give it an expiry unless it must run unattended for good."
          footer={
            <button class="button" type="submit">
              <Icon name="key" />
              Create token
            </button>
          }
        >
          <div class="form-grid">
            <FormErrors errors={errors.form} />
            <FormRow
              id="token-name"
              name="name"
              label="Name"
              errors={errors.name}
              hint='What it is for, e.g. "terraform".'
            >
              <TextInput
                id="token-name"
                name="name"
                label="Name"
                value={values.name}
                errors={errors.name}
                hasHint
              />
            </FormRow>
            <FormRow
              id="token-expires-in"
              name="expires_in"
              label="Expires in (days)"
              errors={errors.expires_in}
              hint="1 to 3650 days; leave empty for a token that never expires."
            >
              <TextInput
                id="token-expires-in"
                name="expires_in"
                label="Expires in (days)"
                type="number"
                min={1}
                max={3650}
                narrow
                value={values.expires_in}
                errors={errors.expires_in}
                hasHint
              />
            </FormRow>
            <FormRow
              id="token-password"
              name="password"
              label="Your password"
              errors={errors.password}
              hint="Creating a token needs your password again."
            >
              <TextInput
                id="token-password"
                name="password"
                label="Your password"
                type="password"
                autocomplete="current-password"
                errors={errors.password}
                hasHint
              />
            </FormRow>
          </div>
        </Panel>
      </form>
    </ConsoleLayout>
  );
}

export function renderApiTokensPage(props: ApiTokensPageProps): string {
  return renderPage(<ApiTokensPage {...props} />);
}
