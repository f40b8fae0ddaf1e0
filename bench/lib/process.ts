// Starting the servers under test as child processes, and reading their memory from /proc.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  process: ChildProcess;
  pid: number;
  /** Where it listens, from its READY line. */
  address: string;
  /** Milliseconds from spawning `node` to its READY line: start-up until it serves. */
  readyMs: number;
  /** The last lines it wrote to stderr, for error messages. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `node <script>` in `cwd` (through tsx when the script is TypeScript) and waits for
 * `READY <address>` on its stdout.
 */
export async function startChild(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<Child> {
  // e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the servers under load.
  const extra = process.env['BENCH_SERVER_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  // Each server is pinned to one core (BENCH_SERVER_CPUS, default 0) and the load generator to the other
  // (run.ts), so the servers compete for the same, whole core; taskset execs node, keeping the pid.
  const cpus = process.env['BENCH_SERVER_CPUS'] ?? '0';
  // TypeScript (the peer's launcher) through tsx; Latchkey's launcher is JavaScript over the built server.
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const command = [process.execPath, ...extra, ...loader, script];
  const spawnedAt = performance.now();
  const child = spawn(
    cpus === '' ? command[0]! : 'taskset',
    cpus === '' ? command.slice(1) : ['-c', cpus, ...command],
    {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const address = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start in time: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /READY (\S+)/.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}: ${stderr}`));
    });
  });
  const readyMs = performance.now() - spawnedAt;
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${script}: no pid`);
  return {
    process: child,
    pid,
    address,
    readyMs,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export interface Memory {
  /** Resident set size now, MiB. */
  rss: number;
  /** Peak resident set size so far, MiB. */
  peak: number;
}

/** VmRSS and VmHWM of a process, from /proc/<pid>/status. */
export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (match?.[1] === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) / 1024;
  };
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** The memory of an idle `node --import tsx` process: what the loader alone costs, before any server code. */
export async function idleNodeMemory(withTsx: boolean): Promise<number> {
  const args = [...(withTsx ? ['--import', 'tsx'] : []), '-e', 'setTimeout(() => {}, 60000)'];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const rss = child.pid === undefined ? Number.NaN : memoryOf(child.pid).rss;
  child.kill('SIGTERM');
  return rss;
}

/** Runs the Latchkey CLI to completion and returns its stdout. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['packages/server/bin/latchkey.js', ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`latchkey ${args[0]} failed (${code}): ${stderr}`)),
    );
    child.stdin.end(input ?? '');
  });
}
