// Rule 6 (SECURITY-MATRIX RL-11): one time source. On PostgreSQL every instance measures how far its own
// clock is from the database clock, at start-up and every minute, and the injected clock adds that offset,
// so that code, token and session expiry and every `iat` agree across instances whatever their local
// clocks say. Beyond MAX_CLOCK_OFFSET_MS the local clock is broken: the instance stays correct but reports
// not ready (the operator should fix NTP), and says why in the log.

import type { Clock, Logger } from '../deps.ts';
import type { Store } from '../storage/store.ts';
import { type PeriodicJob, startPeriodic } from './periodic.ts';
import type { Readiness } from './readiness.ts';

export const MAX_CLOCK_OFFSET_MS = 10_000;
export const CLOCK_SYNC_INTERVAL_MS = 60_000;

export class DatabaseClock implements Clock {
  private offset = 0;

  /** `localMs` is this machine's clock in epoch ms (Date.now, or shifted in tests). */
  constructor(private readonly localMs: () => number = Date.now) {}

  now(): number {
    return Math.floor((this.localMs() + this.offset) / 1000);
  }

  /** Database clock minus local clock, in ms, as last measured. */
  get offsetMs(): number {
    return this.offset;
  }

  /**
   * One measurement: the database's time is taken to be read halfway through the round trip. A round trip
   * slower than the bound says nothing useful, so it keeps the previous offset.
   */
  async measure(store: Pick<Store, 'databaseTimeMs'>): Promise<number> {
    const sent = this.localMs();
    const databaseMs = await store.databaseTimeMs();
    const received = this.localMs();
    if (received - sent <= MAX_CLOCK_OFFSET_MS / 2 && Number.isFinite(databaseMs)) {
      this.offset = Math.round(databaseMs - (sent + received) / 2);
    }
    return this.offset;
  }
}

export interface ClockSyncDeps {
  store: Pick<Store, 'databaseTimeMs'>;
  readiness: Readiness;
  log: Logger;
}

/** Measures now (awaited), then every minute; a failed measurement keeps the last offset. */
export async function startClockSync(
  clock: DatabaseClock,
  deps: ClockSyncDeps,
  intervalMs = CLOCK_SYNC_INTERVAL_MS,
): Promise<PeriodicJob<void>> {
  const runOnce = async (): Promise<void> => {
    try {
      const offset = await clock.measure(deps.store);
      if (Math.abs(offset) > MAX_CLOCK_OFFSET_MS) {
        const reason = `the local clock is ${Math.abs(offset / 1000).toFixed(1)} s ${offset < 0 ? 'ahead of' : 'behind'} the database clock (more than ${MAX_CLOCK_OFFSET_MS / 1000} s allowed); fix this machine's time sync (NTP)`;
        if (deps.readiness.notReadyReason() !== reason)
          deps.log.error({ clockOffsetMs: offset }, `not ready: ${reason}`);
        deps.readiness.setClockProblem(reason);
      } else {
        deps.readiness.setClockProblem(undefined);
      }
    } catch (error) {
      deps.log.warn(
        { err: error },
        'could not measure the clock offset from the database; keeping the last one',
      );
    }
  };
  await runOnce();
  return startPeriodic(runOnce, intervalMs);
}
