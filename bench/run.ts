// The benchmark: Latchkey against node-oidc-provider (the peer), in the same run, on the same machine, with
// the same client and concurrency. Run by hand: `npm run bench` (see bench/README.md); never part of
// `npm test`. Writes bench/RESULTS.md (or BENCH_OUTPUT), keeping its hand-written "Reading" section.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { CookieJar, connection, expectStatus, send } from './lib/http.ts';
import { startLatchkey } from './lib/latchkey.ts';
import { closedLoop, type LoadResult, type Operation } from './lib/load.ts';
import { startPeer } from './lib/peer.ts';
import { idleNodeMemory, type Memory, memoryOf, REPO_ROOT } from './lib/process.ts';
import type { Target } from './lib/target.ts';

const settings = {
  peerDir: process.env['PEER_DIR'] ?? '/tmp/bench-peer',
  connections: positive('BENCH_CONNECTIONS', 32),
  warmupMs: positive('BENCH_WARMUP_SECONDS', 3) * 1000,
  durationMs: positive('BENCH_DURATION_SECONDS', 15) * 1000,
  runs: positive('BENCH_RUNS', 2),
  output: process.env['BENCH_OUTPUT'] ?? join(REPO_ROOT, 'bench/RESULTS.md'),
  scenarios: process.env['BENCH_SCENARIOS']?.split(',').map((name) => name.trim()),
};

// The load generator runs on the core the servers do not use (BENCH_LOAD_CPUS, default 1).
const loadCpus = process.env['BENCH_LOAD_CPUS'] ?? '1';
/** What Latchkey stores in (`BENCH_DATABASE_URL`; see lib/latchkey.ts). */
const STORAGE = process.env['BENCH_DATABASE_URL']?.startsWith('postgres')
  ? 'PostgreSQL (a fresh database on the same machine; synchronous_commit on)'
  : 'SQLite (WAL, group commit, every commit fsynced) in a temporary folder';
if (loadCpus !== '') execFileSync('taskset', ['-apc', loadCpus, String(process.pid)], { stdio: 'ignore' });

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}

interface Scenario {
  id: string;
  title: string;
  unit: string;
  /** What one operation is, for the report. */
  operation: string;
  comparable: boolean;
  /** Builds one operation per virtual user; anything done here (signing in first) is not measured. */
  prepare(target: Target, agent: Agent): Promise<Operation>;
}

const getJson =
  (agent: Agent, url: string): Operation =>
  async () => {
    expectStatus(await send(agent, url), [200], `GET ${url}`);
  };

const SCENARIOS: Scenario[] = [
  {
    id: 'discovery',
    title: '1. Discovery document',
    unit: 'requests/s',
    operation: 'GET /.well-known/openid-configuration',
    comparable: true,
    prepare: async (target, agent) => getJson(agent, target.discoveryUrl),
  },
  {
    id: 'jwks',
    title: '2. JWKS',
    unit: 'requests/s',
    operation: 'GET the JWKS (Latchkey /v1/keys, peer /jwks)',
    comparable: true,
    prepare: async (target, agent) => getJson(agent, target.jwksUrl),
  },
  {
    id: 'code',
    title: '3. Code exchange with an SSO session',
    unit: 'flows/s',
    operation:
      'GET /authorize with the session cookie (302 with the code, no page) + POST /token ' +
      '(authorization_code, PKCE S256, public client): ID token + JWT access token, no refresh token',
    comparable: true,
    prepare: async (target, agent) => {
      const browser = { agent, jar: new CookieJar() };
      await target.signIn(browser, { offline: false });
      return async () => {
        await target.silent(browser);
      };
    },
  },
  {
    id: 'refresh',
    title: '4. Refresh token grant (rotation)',
    unit: 'grants/s',
    operation:
      'POST /token grant_type=refresh_token: new ID token, JWT access token and refresh token; the ' +
      'presented one is rotated out',
    comparable: true,
    prepare: async (target, agent) => {
      const tokens = await target.signIn({ agent, jar: new CookieJar() }, { offline: true });
      let refreshToken = tokens.refresh_token!;
      return async () => {
        refreshToken = (await target.refresh(agent, refreshToken)).refresh_token!;
      };
    },
  },
  {
    id: 'cold',
    title: '5. Cold sign-in (not comparable)',
    unit: 'flows/s',
    operation:
      'a browser without a session: GET /authorize, the sign-in page, POST the password, the redirect ' +
      'with the code, POST /token. Latchkey checks the password with argon2id (m=19456, t=2, p=1); the ' +
      "peer's development login accepts any password without hashing",
    comparable: false,
    prepare: async (target, agent) => async () => {
      await target.signIn({ agent, jar: new CookieJar() }, { offline: false });
    },
  },
];

interface Measured extends LoadResult {
  /** CPU time of the server process per operation, ms (user + system). */
  serverCpuPerOp: number;
  /** Share of one core the server process used during the measured window (and warm-up). */
  serverCpuShare: number;
  /** Share of one core the load generator (this process) used. */
  clientCpuShare: number;
}

interface TargetRun {
  readyMs: number;
  before: Memory;
  after: Memory;
  results: Map<string, Measured>;
}

interface RunResult {
  index: number;
  order: string[];
  targets: Map<string, TargetRun>;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime + stime of a process, in ms, from /proc/<pid>/stat. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5); the slice starts at field 3.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

async function measure(scenario: Scenario, target: Target): Promise<Measured> {
  const agents = Array.from({ length: settings.connections }, () => connection());
  try {
    const operations: Operation[] = [];
    for (const agent of agents) operations.push(await scenario.prepare(target, agent));
    const serverCpu = cpuMsOf(target.pid);
    const clientCpu = process.cpuUsage();
    const started = Date.now();
    const result = await closedLoop(operations, settings);
    const wallMs = Date.now() - started;
    const serverCpuMs = cpuMsOf(target.pid) - serverCpu;
    const clientCpuUsage = process.cpuUsage(clientCpu);
    return {
      ...result,
      serverCpuPerOp: serverCpuMs / result.allOps,
      serverCpuShare: serverCpuMs / wallMs,
      clientCpuShare: (clientCpuUsage.user + clientCpuUsage.system) / 1000 / wallMs,
    };
  } finally {
    for (const agent of agents) agent.destroy();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const running = new Set<Target>();
const stopAll = async (): Promise<void> => {
  await Promise.all([...running].map((target) => target.stop()));
  running.clear();
};
process.on('SIGINT', () => {
  void stopAll().finally(() => process.exit(130));
});

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function oneRun(index: number): Promise<RunResult> {
  log(`run ${index}: starting Latchkey (${STORAGE}) and oidc-provider (memory)`);
  const latchkey = await startLatchkey(await freePort());
  running.add(latchkey);
  const peer = await startPeer(await freePort(), settings.peerDir);
  running.add(peer);
  try {
    // Alternate who goes first, so neither always runs on a machine the other has just warmed or loaded.
    const order = index % 2 === 1 ? [latchkey, peer] : [peer, latchkey];
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const targets = new Map<string, TargetRun>();
    for (const target of order) {
      targets.set(target.name, {
        readyMs: target.readyMs,
        before: memoryOf(target.pid),
        after: memoryOf(target.pid),
        results: new Map(),
      });
    }
    const scenarios = SCENARIOS.filter((s) => settings.scenarios?.includes(s.id) ?? true);
    for (const scenario of scenarios) {
      for (const target of order) {
        log(`run ${index}: ${scenario.id} on ${target.name}`);
        const measured = await measure(scenario, target);
        targets.get(target.name)!.results.set(scenario.id, measured);
        log(
          `  ${fmt(measured.perSecond)} ${scenario.unit}, p50 ${fmt(measured.p50)} ms, p99 ${fmt(measured.p99)} ms, ` +
            `${measured.errors} errors${measured.firstError ? ` (${measured.firstError})` : ''}`,
        );
      }
    }
    for (const target of order) targets.get(target.name)!.after = memoryOf(target.pid);
    return { index, order: order.map((target) => target.name), targets };
  } finally {
    await stopAll();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Report

function fmt(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : 'n/a';
}

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function machine(peerVersion: string, latchkeyRevision: string): string {
  const cpu = cpus()[0]?.model ?? 'unknown';
  const nproc = execFileSync('nproc').toString().trim();
  const kernel = execFileSync('uname', ['-sr']).toString().trim();
  return [
    '| | |',
    '|---|---|',
    `| date | ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC |`,
    `| CPU | ${cpu}, \`nproc\` = ${nproc} |`,
    `| memory | ${(totalmem() / 2 ** 30).toFixed(0)} GiB |`,
    `| OS | ${kernel} |`,
    `| Node.js | ${process.version} (both servers and the load generator) |`,
    `| load average at start | ${loadavg()
      .map((value) => value.toFixed(2))
      .join(', ')} (shared machine) |`,
    `| Latchkey | ${latchkeyRevision}, ${STORAGE} |`,
    `| peer | oidc-provider ${peerVersion}, in-memory adapter (\`PEER_DIR\`=${settings.peerDir}) |`,
    `| load | ${settings.connections} connections (keep-alive, closed loop), ${settings.warmupMs / 1000} s warm-up + ${settings.durationMs / 1000} s measured per scenario and server, ${settings.runs} run(s) |`,
  ].join('\n');
}

function scenarioTable(scenario: Scenario, runs: RunResult[]): string {
  const rows: string[] = [
    `| run | Latchkey ${scenario.unit} | peer ${scenario.unit} | ratio L/P | Latchkey p50 ms | peer p50 ms | ratio L/P | Latchkey p99 ms | peer p99 ms | ratio L/P | server CPU ms/op L / P | errors L / P |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const collected = { lr: [] as number[], pr: [] as number[], l50: [] as number[], p50: [] as number[] };
  const more = { l99: [] as number[], p99: [] as number[], lc: [] as number[], pc: [] as number[] };
  for (const run of runs) {
    const l = run.targets.get('Latchkey')?.results.get(scenario.id);
    const p = run.targets.get('oidc-provider')?.results.get(scenario.id);
    if (l === undefined || p === undefined) continue;
    collected.lr.push(l.perSecond);
    collected.pr.push(p.perSecond);
    collected.l50.push(l.p50);
    collected.p50.push(p.p50);
    more.l99.push(l.p99);
    more.p99.push(p.p99);
    more.lc.push(l.serverCpuPerOp);
    more.pc.push(p.serverCpuPerOp);
    rows.push(
      `| ${run.index} | ${fmt(l.perSecond)} | ${fmt(p.perSecond)} | ${ratio(l.perSecond, p.perSecond)} | ` +
        `${fmt(l.p50)} | ${fmt(p.p50)} | ${ratio(l.p50, p.p50)} | ${fmt(l.p99)} | ${fmt(p.p99)} | ${ratio(l.p99, p.p99)} | ` +
        `${fmt(l.serverCpuPerOp)} / ${fmt(p.serverCpuPerOp)} | ${l.errors} / ${p.errors} |`,
    );
  }
  if (runs.length > 1) {
    const m = (values: number[]) => median(values);
    rows.push(
      `| **median** | **${fmt(m(collected.lr))}** | **${fmt(m(collected.pr))}** | **${ratio(m(collected.lr), m(collected.pr))}** | ` +
        `${fmt(m(collected.l50))} | ${fmt(m(collected.p50))} | **${ratio(m(collected.l50), m(collected.p50))}** | ` +
        `${fmt(m(more.l99))} | ${fmt(m(more.p99))} | **${ratio(m(more.l99), m(more.p99))}** | ` +
        `${fmt(m(more.lc))} / ${fmt(m(more.pc))} | |`,
    );
  }
  return rows.join('\n');
}

function cpuNotes(scenario: Scenario, runs: RunResult[]): string {
  const parts: string[] = [];
  for (const run of runs) {
    for (const name of run.order) {
      const result = run.targets.get(name)?.results.get(scenario.id);
      if (result === undefined) continue;
      parts.push(
        `run ${run.index} ${name}: server ${(result.serverCpuShare * 100).toFixed(0)} % of a core, load generator ${(result.clientCpuShare * 100).toFixed(0)} %` +
          (result.firstError ? `; first error: \`${result.firstError.slice(0, 160)}\`` : ''),
      );
    }
  }
  return parts.map((part) => `- ${part}`).join('\n');
}

function memoryTable(runs: RunResult[], idle: { bare: number; tsx: number }): string {
  // The peer does not need the tsx loader in production; what the loader alone costs, measured on an idle
  // process, is taken off for the second ratio (an estimate, labelled so).
  const loader = idle.tsx - idle.bare;
  const rows = [
    '| run | Latchkey ready ms | peer ready ms | Latchkey before | peer before | ratio L/P | Latchkey after | peer after | ratio L/P | ratio L/(P − loader) | Latchkey peak | peer peak | ratio L/P |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const run of runs) {
    const l = run.targets.get('Latchkey');
    const p = run.targets.get('oidc-provider');
    if (l === undefined || p === undefined) continue;
    rows.push(
      `| ${run.index} | ${fmt(l.readyMs)} | ${fmt(p.readyMs)} | ${fmt(l.before.rss)} | ${fmt(p.before.rss)} | ${ratio(l.before.rss, p.before.rss)} | ` +
        `${fmt(l.after.rss)} | ${fmt(p.after.rss)} | ${ratio(l.after.rss, p.after.rss)} | ${ratio(l.after.rss, p.after.rss - loader)} | ` +
        `${fmt(l.after.peak)} | ${fmt(p.after.peak)} | ${ratio(l.after.peak, p.after.peak)} |`,
    );
  }
  return rows.join('\n');
}

const READING_START = '<!-- reading:start -->';
const READING_END = '<!-- reading:end -->';

function keptReading(): string {
  if (!existsSync(settings.output)) return '';
  const text = readFileSync(settings.output, 'utf8');
  const start = text.indexOf(READING_START);
  const end = text.indexOf(READING_END);
  return start >= 0 && end > start ? text.slice(start + READING_START.length, end).trim() : '';
}

function report(runs: RunResult[], idle: { bare: number; tsx: number }, peerVersion: string): string {
  const revision = (() => {
    try {
      const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT })
        .toString()
        .trim();
      const dirty =
        execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT }).toString().trim() !== '';
      return `commit ${head}${dirty ? ' plus uncommitted changes in the working tree' : ''}`;
    } catch {
      return 'unknown revision';
    }
  })();
  const scenarios = SCENARIOS.filter((s) => settings.scenarios?.includes(s.id) ?? true);
  const reading =
    keptReading() || '_Not written yet: read the tables, then write here where Latchkey is slower and why._';
  return `# Benchmark results: Latchkey vs node-oidc-provider

Generated by \`npm run bench\` (bench/run.ts; how to run it: bench/README.md). Everything outside the
"Reading" section is rewritten by every run.

**Ratios are Latchkey / peer.** For throughput, below 1 means Latchkey is slower; for latency and memory,
above 1 means Latchkey is slower or bigger. The machine is shared with other work while this runs, so
absolute numbers are noisy and differ between runs; the ratio *within one run* (both servers measured
minutes apart, same client, same concurrency) is what to compare. Server CPU ms per operation (from
/proc/<pid>/stat) is the least noisy column.

**Not a like-for-like storage comparison:** Latchkey runs on ${STORAGE}, and every
answered write is durable (it waits for the disk); the peer keeps everything in memory (its development
adapter, an LRU of 1000 entries, lost on restart), which favours the peer on every scenario that writes
(3, 4, 5).

## Machine

${machine(peerVersion, revision)}

Both servers run as child processes of the load generator, one at a time under load (the other idle).
Latchkey runs its build (\`packages/server/dist\`, plain \`node\`, as \`npm start\` does); the peer's
launcher is TypeScript, so it runs with \`node --import tsx\`. An idle \`node\` process takes
${fmt(idle.bare)} MiB RSS here, an idle \`node --import tsx\` ${fmt(idle.tsx)} MiB.

## What is compared

Both servers: one public native client (\`token_endpoint_auth_method=none\`, redirect URI
\`http://127.0.0.1/callback\`), PKCE S256 required, RS256 signatures with a 2048-bit RSA key, JWT access
tokens for the audience \`api://default\`, ID tokens, rotating refresh tokens, the app treated as first-party
(no consent page). Latchkey is started as \`latchkey serve\` does, except that its per-IP limit on sign-in
and token requests (300/min) is raised, since all traffic comes from 127.0.0.1; the limiter still runs
(one database upsert per hit). The peer is oidc-provider with \`devInteractions\` (its built-in login page),
\`resourceIndicators\` for JWT access tokens, \`issueRefreshToken\` / \`rotateRefreshToken\`, and the
\`native_client_prompt\` consent check removed plus a \`loadExistingGrant\` that grants a first-party app
what it asks. Each virtual user has its own connection and cookie jar; flows follow every redirect and
page as a browser would (no redirect is skipped).

${scenarios
  .map(
    (scenario) => `## ${scenario.title}

One operation: ${scenario.operation}.${scenario.comparable ? '' : ' **Not comparable**: the peer does no password hashing at all; the row is here to show what a password sign-in costs in Latchkey.'}

${scenarioTable(scenario, runs)}

${cpuNotes(scenario, runs)}`,
  )
  .join('\n\n')}

## Memory (RSS of each server process, MiB)

Read from \`/proc/<pid>/status\`: *before* = VmRSS after start-up (and, for Latchkey, the CLI set-up), idle;
*after* = VmRSS after all the scenarios above; *peak* = VmHWM. *L/(P − loader)* takes the idle cost of
the tsx loader (${fmt(idle.tsx - idle.bare)} MiB, measured above) off the peer, which would not load it in
production; Latchkey does not load it. *ready* = milliseconds from spawning \`node\` to serving (Latchkey:
opening the database, migrations, keys).

${memoryTable(runs, idle)}

## Reading

${READING_START}
${reading}
${READING_END}
`;
}

function peerVersionOf(dir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules/oidc-provider/package.json'), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    throw new Error(
      `oidc-provider is not installed in ${dir}. Install it there (see bench/README.md):\n` +
        `  mkdir -p ${dir} && cd ${dir} && npm init -y && npm i oidc-provider@9`,
    );
  }
}

async function main(): Promise<void> {
  const peerVersion = peerVersionOf(settings.peerDir);
  const idle = { bare: await idleNodeMemory(false), tsx: await idleNodeMemory(true) };
  const runs: RunResult[] = [];
  for (let index = 1; index <= settings.runs; index++) runs.push(await oneRun(index));
  writeFileSync(settings.output, report(runs, idle, peerVersion));
  log(`wrote ${settings.output}`);
}

main().catch(async (error: unknown) => {
  await stopAll();
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
