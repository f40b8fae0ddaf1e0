// Rule 6 (SECURITY-MATRIX RL-11): the injected clock follows the database clock; an instance whose own
// clock is more than 10 s off reports not ready and logs why. In process, on a real SQLite store (whose
// clock is this machine's), with the local clock shifted the way LATCHKEY_TEST_CLOCK_OFFSET_MS does.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Logger } from '../../src/deps.ts';
import { DatabaseClock, MAX_CLOCK_OFFSET_MS, startClockSync } from '../../src/services/database-clock.ts';
import { Readiness } from '../../src/services/readiness.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (_fields: unknown, message?: string) => {
    lines.push(String(message));
  };
  return { lines, info: write, warn: write, error: write, debug: write } as unknown as Logger & {
    lines: string[];
  };
}

describe('RL-11 database clock', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-clock-'));
    store = await openStore(`sqlite:${join(dir, 'clock.db')}`);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const shiftMs of [90_000, -90_000, 3_000]) {
    it(`RL-11 a local clock ${shiftMs / 1000} s off is corrected to the database's time`, async () => {
      const clock = new DatabaseClock(() => Date.now() + shiftMs);
      const readiness = new Readiness();
      const log = recordingLog();
      const sync = await startClockSync(clock, { store, readiness, log });
      try {
        assert.ok(Math.abs(clock.offsetMs + shiftMs) < 1000, `offset ${clock.offsetMs}`);
        assert.ok(Math.abs(clock.now() - Math.floor(Date.now() / 1000)) <= 1, 'now() is database time');
        const reason = readiness.notReadyReason();
        if (Math.abs(shiftMs) > MAX_CLOCK_OFFSET_MS) {
          assert.match(
            reason ?? '',
            new RegExp(`${Math.abs(shiftMs) / 1000}\\.\\d s ${shiftMs > 0 ? 'ahead of' : 'behind'}`),
          );
          assert.ok(
            log.lines.some((line) => line.startsWith('not ready: the local clock is')),
            log.lines.join(),
          );
        } else {
          assert.equal(reason, undefined, 'within 10 s: ready');
        }
      } finally {
        await sync.stop();
      }
    });
  }

  it('RL-11 a later measurement within bounds makes the instance ready again', async () => {
    let shiftMs = 60_000;
    const clock = new DatabaseClock(() => Date.now() + shiftMs);
    const readiness = new Readiness();
    const sync = await startClockSync(clock, { store, readiness, log: recordingLog() });
    try {
      assert.ok(readiness.notReadyReason());
      shiftMs = 0;
      await sync.run();
      assert.equal(readiness.notReadyReason(), undefined);
    } finally {
      await sync.stop();
    }
  });

  it('RL-13 draining is not ready, whatever the clock says', () => {
    const readiness = new Readiness();
    readiness.startDraining();
    assert.equal(readiness.notReadyReason(), 'shutting down');
    assert.equal(readiness.draining, true);
  });
});
