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
      reason: event.reason,
      serverId: event.serverId ?? null,
      clientId: event.clientId ?? null,
      userId: event.userId ?? null,
      actor: event.actor ?? null,
      ip: event.ip ?? null,
      error: event.error ?? null,
    });
  } catch (error) {
    deps.log.error({ err: error, eventType: event.type }, 'could not record a system log event');
  }
}
