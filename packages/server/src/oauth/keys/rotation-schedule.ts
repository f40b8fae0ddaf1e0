// The key-rotation schedule (SECURITY-MATRIX rule 7, RL-09): every instance runs it every minute. It holds
// no state of its own: each run reads the key rows and applies what rotation.ts says is due, with writes
// conditional on the status planned from (key-ring.ts), so running it on several instances at once is safe
// and a missed run is caught up by the next one.

import type { Deps } from '../../deps.ts';
import { startPeriodic } from '../../services/periodic.ts';
import {
  checkRotationPolicy,
  DEFAULT_ROTATION_POLICY,
  type RotationPolicy,
  type RotationStep,
} from './rotation.ts';

export const ROTATION_INTERVAL_MS = 60_000;

export interface RotationScheduleOptions {
  /** Tests shorten the windows here; production uses DEFAULT_ROTATION_POLICY. */
  policy?: RotationPolicy | undefined;
  intervalMs?: number | undefined;
}

export interface RotationSchedule {
  /** One run over every authorization server; resolves when it is done (tests call it after clock.advance). */
  run(): Promise<void>;
  /** Stops the timer and waits for a run in progress, so the store can be closed after it. */
  stop(): Promise<void>;
}

export function startRotationSchedule(
  deps: Pick<Deps, 'store' | 'keys' | 'log'>,
  options: RotationScheduleOptions = {},
): RotationSchedule {
  const policy = checkRotationPolicy(options.policy ?? DEFAULT_ROTATION_POLICY);
  const runOnce = async (): Promise<void> => {
    let servers: Awaited<ReturnType<typeof deps.store.authorizationServers.list>>;
    try {
      servers = await deps.store.authorizationServers.list();
    } catch (error) {
      // The database is down: keys are served from memory meanwhile (rule 4); the next run catches up.
      deps.log.warn({ err: error }, 'key rotation skipped: cannot list authorization servers');
      return;
    }
    for (const server of servers) {
      try {
        for (const step of await deps.keys.rotate(server, policy)) logStep(deps, server.id, step);
      } catch (error) {
        deps.log.error({ err: error, serverId: server.id }, 'key rotation failed; retrying in a minute');
      }
    }
  };

  return startPeriodic(runOnce, options.intervalMs ?? ROTATION_INTERVAL_MS);
}

function logStep(deps: Pick<Deps, 'log'>, serverId: string, step: RotationStep): void {
  const messages: Record<RotationStep['kind'], string> = {
    'create-active': 'no signing key was active: created one that signs at once',
    'create-next': 'staged the next signing key (published now, signs after the pre-publication window)',
    promote: 'the next signing key is now active; the previous one is retired and stays published',
    retire: 'retired a second active signing key',
    expire: 'unpublished a signing key that no valid token can carry any more',
  };
  const entry = { serverId, ...step };
  if (step.kind === 'create-active') deps.log.warn(entry, messages[step.kind]);
  else deps.log.info(entry, messages[step.kind]);
}
