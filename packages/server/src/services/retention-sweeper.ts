// The retention sweeper (issue 8 §7): every instance deletes, once a minute, what can no longer be used,
// so that under a constant load every table stays bounded. It is off the request path (a timer), works in
// bounded batches that each commit on their own, yields to requests between batches, and is idempotent:
// two instances sweeping at once only repeat deletes, and a missed run is caught up by the next.

import { setImmediate } from 'node:timers/promises';
import type { Deps } from '../deps.ts';
import type { RetentionKind } from '../storage/store.ts';
import { type PeriodicJob, startPeriodic } from './periodic.ts';

export const SWEEP_INTERVAL_MS = 60_000;
const BATCH_SIZE = 500;
/** At most this many batches per kind per run, so one run is bounded too; the next run goes on. */
const MAX_BATCHES = 200;
/**
 * Redeemed codes are kept 10 minutes past their expiry: a replay within that time is still recognised and
 * revokes the tokens issued for the code (RFC 6749 §4.1.2); later, the code is just unknown.
 */
const CODE_REPLAY_WINDOW_SECONDS = 600;
const DAY_SECONDS = 86_400;

export type SweepReport = Partial<Record<RetentionKind, number>>;

/** `run()` resolves with what was deleted. */
export type RetentionSweeper = PeriodicJob<SweepReport>;

/** Each kind with the cutoff at `now`; events only when a retention is set (0 keeps them forever). */
export function retentionCutoffs(now: number, eventRetentionDays: number): [RetentionKind, number][] {
  return [
    ['authorizationRequests', now],
    ['authorizationCodes', now - CODE_REPLAY_WINDOW_SECONDS],
    ['accessTokens', now],
    ['refreshTokens', now],
    ['sessions', now],
    ['adminSessions', now],
    ['consoleState', now],
    ['rateLimits', now],
    ['clientAssertions', now],
    ...(eventRetentionDays > 0
      ? [['events', now - eventRetentionDays * DAY_SECONDS] as [RetentionKind, number]]
      : []),
  ];
}

export function startRetentionSweeper(
  deps: Pick<Deps, 'store' | 'clock' | 'config' | 'log'>,
  options: { intervalMs?: number } = {},
): RetentionSweeper {
  const runOnce = async (): Promise<SweepReport> => {
    const report: SweepReport = {};
    for (const [kind, cutoff] of retentionCutoffs(deps.clock.now(), deps.config.eventRetentionDays)) {
      try {
        let deleted = 0;
        for (let batch = 0; batch < MAX_BATCHES && !job.stopped; batch++) {
          const count = await deps.store.retention.sweep(kind, cutoff, BATCH_SIZE);
          deleted += count;
          if (count < BATCH_SIZE) break;
          await setImmediate();
        }
        if (deleted > 0) report[kind] = deleted;
      } catch (error) {
        // The database is down or busy: nothing is lost by waiting for the next run.
        deps.log.warn({ err: error, kind }, 'retention sweep skipped; retrying in a minute');
      }
    }
    if (Object.keys(report).length > 0) deps.log.debug({ deleted: report }, 'retention sweep');
    return report;
  };

  const job = startPeriodic(runOnce, options.intervalMs ?? SWEEP_INTERVAL_MS);
  return job;
}
