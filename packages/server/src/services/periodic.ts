// A background job run on a timer on every instance: one run at a time (a tick that finds one in progress
// joins it), a timer that never keeps the process alive on its own, and a stop that waits for the run in
// progress so the store can be closed after it.

export interface PeriodicJob<T> {
  /** One run now; resolves when it is done (tests call it after clock.advance). */
  run(): Promise<T>;
  stop(): Promise<void>;
  /** True once stop() was called: long runs check it between steps. */
  readonly stopped: boolean;
}

export function startPeriodic<T>(runOnce: () => Promise<T>, intervalMs: number): PeriodicJob<T> {
  let running: Promise<T> | undefined;
  let stopped = false;
  const run = (): Promise<T> => {
    running ??= runOnce().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void run();
  }, intervalMs);
  timer.unref();
  return {
    run,
    get stopped() {
      return stopped;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
