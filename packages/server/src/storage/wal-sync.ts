// Group commit for SQLite in WAL mode. Commits are appended to the write-ahead log without waiting for the
// disk (synchronous=NORMAL); before anything that depends on a commit is answered, the caller awaits
// `sync()`, an fdatasync of the WAL file run on libuv's thread pool, never on the event loop. Every commit
// written before a sync starts is durable when it resolves, so concurrent requests share one fsync.
// That is synchronous=FULL's guarantee (RL-08: an answered commit survives power loss) at one fsync per
// batch instead of one per transaction. SQLite itself syncs the WAL before each checkpoint and the
// database after it (https://sqlite.org/pragma.html#pragma_synchronous, WAL mode with NORMAL).

import { type FileHandle, open } from 'node:fs/promises';

type Waiter = { resolve: () => void; reject: (error: unknown) => void };

export class WalSync {
  private next: Waiter[] = [];
  private running = false;
  private handle: FileHandle | undefined;
  /** Completed fsyncs, and how many waiters they served: for tests and the benchmark. */
  readonly stats = { syncs: 0, waiters: 0 };

  constructor(private readonly walPath: string) {}

  /** Resolves once every commit made before this call is on disk. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.next.push({ resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.next.length > 0) {
      // Waiters that arrive while this fsync runs may have written after it started: they wait for the next.
      const batch = this.next;
      this.next = [];
      try {
        await this.fdatasync();
        this.stats.syncs += 1;
        this.stats.waiters += batch.length;
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.running = false;
  }

  private async fdatasync(): Promise<void> {
    if (this.handle === undefined) {
      try {
        this.handle = await open(this.walPath, 'r');
      } catch (error) {
        // No WAL file yet: nothing was committed to a log, so there is nothing to make durable.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
    }
    // The handle stays open: SQLite deletes the WAL file only when the last connection to the database
    // closes, and this process keeps its connections open until close(), which closes this handle first.
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}
