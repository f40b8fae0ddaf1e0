// WAL checkpoints off the event loop. A checkpoint copies the log into the database file and fsyncs
// both; left to SQLite's auto-checkpoint it would run inside whichever commit crossed 1000 pages, on the
// event loop. Here a worker thread with its own connection runs a PASSIVE checkpoint (never blocks readers
// or the writer) every half second, and a TRUNCATE one when the log has grown large.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.filename, { timeout: 1000 });
db.pragma('busy_timeout = 1000');
let stopped = false;
const tick = () => {
  if (stopped) return;
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    // A log this large means readers kept old snapshots; reset it once they are gone.
    if (row && row.log > workerData.truncatePages) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {}
  setTimeout(tick, workerData.intervalMs);
};
setTimeout(tick, workerData.intervalMs);
parentPort.on('message', () => { stopped = true; try { db.pragma('wal_checkpoint(PASSIVE)'); db.close(); } catch {} parentPort.close(); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(filename: string, options: { intervalMs?: number } = {}): Checkpointer {
  const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { filename, driverPath, intervalMs: options.intervalMs ?? 500, truncatePages: 16_384 },
    // The loader of the parent (tsx in development) is not needed for this plain script.
    execArgv: [],
  });
  worker.unref();
  worker.on('error', () => {});
  let running = true;
  worker.once('exit', () => {
    running = false;
  });
  return {
    async stop() {
      if (!running) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      const timeout = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
