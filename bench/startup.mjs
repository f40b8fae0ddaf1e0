// Start-up from the build (issue 11): time from spawning `latchkey serve` (what `npm start` runs after its
// build) to the first 200 of /readyz, and the server's RSS once it has settled, on a new and on an
// existing database, next to a bare `node` process's RSS. Run by hand on a quiet machine:
//
//   node bench/startup.mjs              # 3 starts of each kind, server pinned to core 0
//   STARTUP_RUNS=5 STARTUP_CPUS= node bench/startup.mjs   # 5 each, not pinned
//
// Plain JavaScript, no dependency: it measures the build, so it must not load a TypeScript loader itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../packages/server/bin/latchkey.js', import.meta.url));
const runs = Number(process.env.STARTUP_RUNS ?? 3);
const cpus = process.env.STARTUP_CPUS ?? '0';
const SETTLE_MS = 1500;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Pinned with taskset when cores are given (the core bench/run.ts gives each server). */
function spawnPinned(args, env) {
  const [file, rest] =
    cpus === '' ? [process.execPath, args] : ['taskset', ['-c', cpus, process.execPath, ...args]];
  return spawn(file, rest, { env, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** VmRSS of a process in MiB (taskset execs node, so the pid is node's). */
function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

async function waitReady(port, child, started) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
    } catch {
      // Not listening yet.
    }
    await sleep(5);
  }
}

async function start(home) {
  const port = await freePort();
  const env = {
    ...process.env,
    LATCHKEY_HOME: home,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
  delete env.DATABASE_URL;
  const started = performance.now();
  const child = spawnPinned([cli, 'serve'], env);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  try {
    const readyMs = await waitReady(port, child, started);
    await sleep(SETTLE_MS);
    return { readyMs, rss: rssMiB(child.pid) };
  } catch (error) {
    throw new Error(`${error.message}\n${stderr}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
  }
}

async function bareNode() {
  const child = spawnPinned(['-e', 'setTimeout(() => {}, 60000)'], process.env);
  await sleep(SETTLE_MS);
  const rss = rssMiB(child.pid);
  child.kill();
  return rss;
}

const rows = { 'new database': [], 'existing database': [] };
for (let run = 0; run < runs; run++) {
  const home = mkdtempSync(join(tmpdir(), 'latchkey-startup-'));
  try {
    rows['new database'].push(await start(home));
    rows['existing database'].push(await start(home));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
const bare = await bareNode();

const range = (values) => {
  const low = Math.min(...values).toFixed(0);
  const high = Math.max(...values).toFixed(0);
  return low === high ? low : `${low}–${high}`;
};
console.log(`node ${process.version}, server on ${cpus === '' ? 'any core' : `core ${cpus}`}, ${runs} runs`);
console.log('| start | ready ms (each run) | idle RSS MiB |');
console.log('|---|--:|--:|');
for (const [kind, results] of Object.entries(rows)) {
  const ready = results.map((result) => result.readyMs.toFixed(0)).join(', ');
  console.log(`| ${kind} | ${ready} | ${range(results.map((result) => result.rss))} |`);
}
console.log(`| bare \`node -e 'setTimeout(…)'\` | — | ${bare.toFixed(1)} |`);
