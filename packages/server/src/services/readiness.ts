// What /readyz reports besides the database answering: an instance that is draining (SIGTERM, RL-13) or
// whose clock is too far from the database clock (rule 6, RL-11) asks the load balancer for no new traffic.

export class Readiness {
  private drainingSince: number | undefined;
  private clockProblem: string | undefined;

  /** From now on /readyz answers 503 and responses carry `Connection: close`. */
  startDraining(): void {
    this.drainingSince ??= Date.now();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Undefined clears it (the next measurement was within bounds). */
  setClockProblem(reason: string | undefined): void {
    this.clockProblem = reason;
  }

  /** Why this instance should get no new requests, or undefined when it may. */
  notReadyReason(): string | undefined {
    if (this.draining) return 'shutting down';
    return this.clockProblem;
  }
}
