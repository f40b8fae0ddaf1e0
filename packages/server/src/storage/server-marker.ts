// Which process serves a SQLite database, so that `latchkey restore` does not replace the file under a
// running server. A server writes `<database>.server.pid` when it starts and removes it when it closes;
// restore refuses while the named process is alive on this host. A marker left by a crash names a dead
// process and is ignored. (An idle SQLite connection in WAL mode holds no lock that another process could
// test, so a lock attempt alone cannot tell that a server is running between requests.)
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { secureFile } from './file-permissions.ts';

export interface ServerMarker {
  pid: number;
  hostname: string;
  startedAt: string;
}

export const markerFile = (filename: string): string => `${filename}.server.pid`;

/** Writes the marker; the returned function removes it (only if it is still ours). */
export function markServing(filename: string): () => void {
  const file = markerFile(filename);
  const marker: ServerMarker = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
  };
  secureFile(file);
  writeFileSync(file, `${JSON.stringify(marker)}\n`);
  return () => {
    if (readMarker(file)?.pid === process.pid) rmSync(file, { force: true });
  };
}

/** The live server process named by the marker, if any. */
export function runningServer(filename: string): ServerMarker | undefined {
  const marker = readMarker(markerFile(filename));
  if (marker === undefined) return undefined;
  // On another host (a shared volume) liveness cannot be checked here: take the marker at its word.
  if (marker.hostname !== hostname()) return marker;
  try {
    process.kill(marker.pid, 0);
    return marker;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? marker : undefined;
  }
}

function readMarker(file: string): ServerMarker | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServerMarker>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return undefined;
    return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return undefined;
  }
}
