// A closed-loop load generator: N virtual users, each on its own keep-alive connection, each starting its
// next operation as soon as the previous one ends (no coordinated-omission correction needed, since no
// request rate is promised). A warm-up phase runs the same loop and is discarded.

import { performance } from 'node:perf_hooks';

/** One operation of one virtual user: a single request, or a whole flow of several. */
export type Operation = () => Promise<void>;

export interface LoadResult {
  /** Operations that completed successfully inside the measured window. */
  ops: number;
  /** Successful operations including the warm-up, for per-operation CPU over the whole loop. */
  allOps: number;
  errors: number;
  firstError: string | undefined;
  seconds: number;
  perSecond: number;
  /** Latencies of one operation, in milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

export interface LoadOptions {
  warmupMs: number;
  durationMs: number;
}

export async function closedLoop(users: Operation[], options: LoadOptions): Promise<LoadResult> {
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let allOps = 0;
  let firstError: string | undefined;

  const loop = async (operation: Operation): Promise<void> => {
    while (performance.now() < end) {
      const began = performance.now();
      try {
        await operation();
        const finished = performance.now();
        allOps += 1;
        if (began >= measureFrom && finished <= end) latencies.push(finished - began);
      } catch (error) {
        if (began >= measureFrom) errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
        // Do not spin on a server that refuses everything.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  };
  await Promise.all(users.map(loop));

  latencies.sort((a, b) => a - b);
  const seconds = options.durationMs / 1000;
  return {
    ops: latencies.length,
    allOps,
    errors,
    firstError,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p90: percentile(latencies, 0.9),
    p99: percentile(latencies, 0.99),
    mean:
      latencies.length === 0
        ? Number.NaN
        : latencies.reduce((sum, value) => sum + value, 0) / latencies.length,
  };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}
