// The system log: each authorize, sign-in and token outcome, with the reason in plain words (AD-03).
// Never a secret: callers pass ids and reasons, not codes, tokens, passwords or verifiers.

import type { Deps } from './deps.ts';
import { generateEventId } from './oauth/random.ts';
import type { EventOutcome } from './storage/store.ts';

export interface AuditEvent {
  type: string;
  outcome: EventOutcome;
  reason: string;
  serverId?: string | null | undefined;
  clientId?: string | null | undefined;
  userId?: string | null | undefined;
  actor?: string | null | undefined;
  ip?: string | null | undefined;
  error?: string | null | undefined;
}

/** Bounds of what one event may hold (issue 9 §3): anonymous requests must not grow the log unboundedly. */
export const MAX_REASON_LENGTH = 1000;
const MAX_FIELD_LENGTH = 200;

/** `text` cut to `max` characters, noting how long it was, so a reader knows it was cut. */
export function clipped(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

const field = (value: string | null | undefined): string | null =>
  value === undefined || value === null ? null : clipped(value, MAX_FIELD_LENGTH);

/** Appends an event; a failure to write it is logged and never fails the request it describes. */
export async function recordEvent(
  deps: Pick<Deps, 'store' | 'clock' | 'log'>,
  event: AuditEvent,
): Promise<void> {
  try {
    await deps.store.events.append({
      id: generateEventId(deps.clock.now()),
      time: deps.clock.now(),
      type: event.type,
      outcome: event.outcome,
      reason: clipped(event.reason, MAX_REASON_LENGTH),
      serverId: field(event.serverId),
      clientId: field(event.clientId),
      userId: field(event.userId),
      actor: field(event.actor),
      ip: field(event.ip),
      error: field(event.error),
    });
  } catch (error) {
    deps.log.error({ err: error, eventType: event.type }, 'could not record a system log event');
  }
}
