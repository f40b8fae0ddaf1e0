import type { VNode } from 'preact';
import type { AuthorizationServerRow } from '../../storage/store.ts';
import { Badge, Notice, PageHeader, Tabs } from './components.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';

export const BREADCRUMB = [{ href: '/console/servers', label: 'Authorization servers' }];

export type Errors<F extends string> = Partial<Record<F | 'form', string[]>>;

export function serverPath(server: Pick<AuthorizationServerRow, 'id'>, suffix = ''): string {
  return `/console/servers/${encodeURIComponent(server.id)}${suffix}`;
}

export function FormErrors({ errors }: { errors: string[] | undefined }): VNode | null {
  return errors === undefined ? null : <Notice tone="danger">{errors.join(' ')}</Notice>;
}

type ServerTab = 'settings' | 'scopes' | 'claims' | 'keys';

export interface ServerPageBase {
  frame: ConsoleFrame;
  server: AuthorizationServerRow;
  issuer: string;
}

/** The header and tabs every authorization-server page shares. */
export function ServerShell(props: ServerPageBase & { tab: ServerTab; children: VNode | VNode[] }): VNode {
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
