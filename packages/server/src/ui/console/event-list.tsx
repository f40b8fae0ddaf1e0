import type { VNode } from 'preact';
import type { EventRow } from '../../storage/store.ts';
import { Badge, formatTime } from './components.tsx';

/** What each event type means, in the console's words; unknown types show as they are. */
const TITLES: Readonly<Record<string, { success: string; failure: string }>> = {
  'app.oauth2.authorize': { success: 'Authorization code issued', failure: 'Authorization request refused' },
  'user.authentication.sso': { success: 'User signed in', failure: 'Sign-in failed' },
  'app.oauth2.consent': { success: 'Consent given', failure: 'Consent denied' },
  'app.oauth2.token.grant': { success: 'Tokens issued', failure: 'Token request refused' },
  'app.oauth2.as.token.detect_reuse': { success: 'Token reuse detected', failure: 'Token reuse detected' },
  'app.oauth2.as.token.revoke': { success: 'Token revoked', failure: 'Revocation refused' },
  'user.session.end': { success: 'User signed out', failure: 'Sign-out refused' },
  'user.session.access_admin_app': { success: 'Console sign-in', failure: 'Console sign-in failed' },
  'user.session.end_admin_app': { success: 'Console sign-out', failure: 'Console sign-out' },
  'application.lifecycle.create': { success: 'Application created', failure: 'Application not created' },
  'application.lifecycle.update': { success: 'Application updated', failure: 'Application not updated' },
  'application.lifecycle.activate': {
    success: 'Application activated',
    failure: 'Application not activated',
  },
  'application.lifecycle.deactivate': {
    success: 'Application deactivated',
    failure: 'Application not deactivated',
  },
  'application.lifecycle.delete': { success: 'Application deleted', failure: 'Application not deleted' },
  'application.credential.rotate': {
    success: 'Client secret regenerated',
    failure: 'Client secret not regenerated',
  },
  'user.lifecycle.create': { success: 'User created', failure: 'User not created' },
  'user.lifecycle.activate': { success: 'User activated', failure: 'User not activated' },
  'user.lifecycle.deactivate': { success: 'User deactivated', failure: 'User not deactivated' },
  'user.lifecycle.delete': { success: 'User deleted', failure: 'User not deleted' },
  'user.account.update_password': { success: 'Password set', failure: 'Password not set' },
  'user.account.unlock': { success: 'User unlocked', failure: 'User not unlocked' },
  'user.session.clear': { success: 'Signed out everywhere', failure: 'Sign-out everywhere failed' },
  'authorization_server.update': { success: 'Authorization server updated', failure: 'Server not updated' },
  'authorization_server.scope.create': { success: 'Scope added', failure: 'Scope not added' },
  'system.api_token.create': { success: 'API token created', failure: 'API token not created' },
  'system.api_token.revoke': { success: 'API token revoked', failure: 'API token not revoked' },
  'authorization_server.key.rotate': {
    success: 'Signing key rotation started',
    failure: 'Key rotation refused',
  },
};

export function eventTitle(event: Pick<EventRow, 'type' | 'outcome'>): string {
  const titles = TITLES[event.type];
  if (titles === undefined) return event.type;
  return event.outcome === 'SUCCESS' ? titles.success : titles.failure;
}

export interface EventNames {
  /** client id → app name */
  apps: ReadonlyMap<string, string>;
  /** user id → login */
  users: ReadonlyMap<string, string>;
}

/**
 * Events newest first: when, what, and for failures exactly why, with the app and user linked to the
 * system log filtered on them.
 */
export function EventList({ events, names }: { events: readonly EventRow[]; names: EventNames }): VNode {
  return (
    <ol class="log-list">
      {events.map((event) => {
        const failed = event.outcome === 'FAILURE';
        const time = formatTime(event.time);
        const appName =
          event.clientId === null ? undefined : (names.apps.get(event.clientId) ?? event.clientId);
        const login = event.userId === null ? undefined : (names.users.get(event.userId) ?? event.userId);
        return (
          <li key={event.id} class={failed ? 'log-entry failure' : 'log-entry'}>
            <div class="log-time">
              <strong>{time.slice(11, 19)}</strong>
              <time datetime={new Date(event.time * 1000).toISOString()}>{time.slice(0, 10)} UTC</time>
            </div>
            <div>
              <div class="log-head">
                <Badge tone={failed ? 'danger' : 'success'}>{failed ? 'Failure' : 'Success'}</Badge>
                <span class="log-title">{eventTitle(event)}</span>
                <span class="log-type">{event.type}</span>
              </div>
              <p class="log-reason">{event.reason}</p>
              <ul class="log-meta">
                {appName !== undefined ? (
                  <li>
                    App:{' '}
                    <a href={`/console/log?app=${encodeURIComponent(event.clientId ?? '')}`}>{appName}</a>
                  </li>
                ) : null}
                {login !== undefined ? (
                  <li>
                    User: <a href={`/console/log?user=${encodeURIComponent(event.userId ?? '')}`}>{login}</a>
                  </li>
                ) : null}
                {event.error !== null ? (
                  <li>
                    Error: <code>{event.error}</code>
                  </li>
                ) : null}
                {event.actor !== null ? <li>By: {event.actor}</li> : null}
                {event.ip !== null ? <li>IP: {event.ip}</li> : null}
              </ul>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
