import type { VNode } from 'preact';
import type { SigningKeyRow, SigningKeyStatus } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import { Badge, formatDuration, formatTime, Panel, type Tone } from './components.tsx';
import { Icon } from './icons.tsx';
import { type ServerPageBase, ServerShell, serverPath } from './server-shell.tsx';

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

export function renderServerKeysPage(props: ServerKeysPageProps): string {
  return renderPage(<ServerKeysPage {...props} />);
}
