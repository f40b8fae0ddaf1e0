import type { VNode } from 'preact';
import type { ClientRow, EventRow } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import { EmptyState, Notice, PageHeader, Panel, Select, TextInput } from './components.tsx';
import { EventList, type EventNames } from './event-list.tsx';
import { Icon } from './icons.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';

/** The filters as typed in the form (times as `YYYY-MM-DDTHH:MM`, read as UTC). */
export interface LogFilters {
  app: string;
  user: string;
  outcome: '' | 'SUCCESS' | 'FAILURE';
  since: string;
  until: string;
}

export interface SystemLogPageProps {
  frame: ConsoleFrame;
  filters: LogFilters;
  apps: readonly ClientRow[];
  events: readonly EventRow[];
  names: EventNames;
  /** Problems with the filters, e.g. an unknown user. */
  problems: readonly string[];
  olderHref?: string | undefined;
  /** This page continues an earlier one (`before` was given). */
  paged: boolean;
  newestHref: string;
}

function SystemLogPage(props: SystemLogPageProps): VNode {
  const { frame, filters } = props;
  const filtered = Object.values(filters).some((value) => value !== '');
  return (
    <ConsoleLayout frame={frame} section="log" title="System log">
      <PageHeader
        title="System log"
        description="Every sign-in, token request and admin change, newest first. Failures say exactly why."
      />
      <form method="get" action="/console/log" class="toolbar" aria-label="Filter the system log">
        <div class="field">
          <label for="app">Application</label>
          <Select
            id="app"
            name="app"
            label="Application"
            value={filters.app}
            options={[
              { value: '', label: 'All applications' },
              ...props.apps.map((app) => ({ value: app.clientId, label: app.name })),
            ]}
          />
        </div>
        <div class="field">
          <label for="user">User</label>
          <TextInput id="user" name="user" label="User" value={filters.user} placeholder="Login or user ID" />
        </div>
        <div class="field">
          <label for="outcome">Outcome</label>
          <Select
            id="outcome"
            name="outcome"
            label="Outcome"
            value={filters.outcome}
            options={[
              { value: '', label: 'Any outcome' },
              { value: 'SUCCESS', label: 'Success' },
              { value: 'FAILURE', label: 'Failure' },
            ]}
          />
        </div>
        <div class="field">
          <label for="since">From (UTC)</label>
          <TextInput id="since" name="since" label="From (UTC)" type="datetime-local" value={filters.since} />
        </div>
        <div class="field">
          <label for="until">To (UTC)</label>
          <TextInput id="until" name="until" label="To (UTC)" type="datetime-local" value={filters.until} />
        </div>
        <div class="toolbar-actions">
          <button class="button" type="submit">
            <Icon name="search" />
            Apply
          </button>
          {filtered ? (
            <a class="button button-secondary" href="/console/log">
              Reset
            </a>
          ) : null}
        </div>
      </form>
      {props.problems.length > 0 ? <Notice tone="warning">{props.problems.join(' ')}</Notice> : null}
      <Panel flush>
        {props.events.length === 0 ? (
          <EmptyState
            icon="log"
            title={filtered || props.paged ? 'No matching events' : 'Nothing logged yet'}
          >
            {filtered || props.paged
              ? 'Try a wider time range or fewer filters.'
              : 'Sign-ins, token requests and admin changes appear here as they happen.'}
          </EmptyState>
        ) : (
          <EventList events={props.events} names={props.names} />
        )}
        {props.olderHref !== undefined || props.paged ? (
          <div class="pager">
            {props.paged ? <a href={props.newestHref}>← Newest</a> : <span />}
            {props.olderHref !== undefined ? <a href={props.olderHref}>Older →</a> : <span />}
          </div>
        ) : null}
      </Panel>
    </ConsoleLayout>
  );
}

export function renderSystemLogPage(props: SystemLogPageProps): string {
  return renderPage(<SystemLogPage {...props} />);
}
