// Group commit for SQLite, the commit half (issue 8 §3: concurrent requests' transactions share one commit
// and one fsync; wal-sync.ts is the fsync half). Transactions that queue for the writer while another
// runs join one SQLite transaction: each is a savepoint inside it, released when it succeeds and rolled
// back to when it fails, and the last one in the queue commits them all. One COMMIT writes each page the
// batch changed once (the events table's last leaf, shared index pages) where separate commits wrote it
// once each, and BEGIN / COMMIT take and drop SQLite's locks once per batch, not once per request.
//
// Nothing is answered before the batch's COMMIT and its fsync, so a member that committed its savepoint
// but whose batch then failed is told so, not answered with 200 (RL-08). Members run one after another on
// the one writer, each seeing the ones before it: a batch is a serial schedule, so the single-winner
// rules (SECURITY-MATRIX rule 5) hold inside it exactly as between separate transactions.

import { StoreUnavailableError } from './store.ts';

/** One waiter at a time holds the writer; everyone else queues in order. */
export class WriterLock {
  private tail: Promise<void> = Promise.resolve();
  /** True while someone holds the writer, and while it is handed from one holder to the next in line. */
  held = false;
  /** Callers queued for the writer that do not hold it yet. */
  waiting = 0;

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise((resolve) => {
      release = resolve;
    });
    this.waiting += 1;
    await previous;
    this.waiting -= 1;
    this.held = true;
    return () => {
      // Handed straight on when someone waits: a batch may still be open on the writer in between, and a
      // statement from outside must not run inside it unseen.
      this.held = this.waiting > 0;
      release();
    };
  }
}

/** A bound on how long the first member of a batch waits for the last: members, and milliseconds open. */
const MAX_MEMBERS = 32;
const MAX_OPEN_MS = 10;

/** The SQLite transaction that one or more request transactions have joined. */
export class Batch {
  members = 0;
  private readonly openedAt = performance.now();
  private settle!: { resolve: () => void; reject: (error: unknown) => void };
  /** Resolves when the batch is committed (not yet synced), rejects when it is rolled back. */
  readonly committed = new Promise<void>((resolve, reject) => {
    this.settle = { resolve, reject };
  });

  constructor() {
    // Members that rolled themselves back do not wait for the outcome; the rejection is theirs to ignore.
    this.committed.catch(() => {});
  }

  /** Whether the holder that leaves now should commit, rather than hand the batch to the next in line. */
  shouldCommit(lock: WriterLock): boolean {
    return (
      lock.waiting === 0 || this.members >= MAX_MEMBERS || performance.now() - this.openedAt >= MAX_OPEN_MS
    );
  }

  resolve(): void {
    this.settle.resolve();
  }

  reject(error: unknown): void {
    this.settle.reject(error);
  }
}

/**
 * What the batch's members are told when SQLite rolled it back on its own (SQLITE_FULL, IOERR, NOMEM in
 * one member's statement): unavailable, as that member is (a 503: nothing was saved, a retry may succeed).
 */
export function batchLost(): StoreUnavailableError {
  return new StoreUnavailableError(
    new Error('SQLite rolled back the transaction this write was batched in; nothing of it was saved'),
  );
}
