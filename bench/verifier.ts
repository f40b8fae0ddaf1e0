// Micro-benchmark of @latchkey/verifier (issue 8): verifier.verifyAccessToken against raw node:crypto RS256
// verification of the same token, in one process pinned to one core. Run by hand, never by `npm test`:
//
//   node --import tsx bench/verifier.ts
//
// The token has the shape of a Latchkey access token (OKTA-COMPAT §2.3; about 800 bytes, RSA-2048) and the
// key cache is warm (the JWK Set is fetched once before measuring). The baseline is `crypto.verify('sha256',
// signingInput, publicKey, signature)` with the input and signature already decoded: the floor of any
// RS256 verifier. The two loops alternate in short rounds so that load from other processes on the machine
// hits both alike; the ratio reported is the median of the rounds' ratios. Each rate is given per second of
// wall time and per second of this process's CPU time (process.cpuUsage): on a shared core the second is
// the steadier, since time the core spends on other processes counts in neither loop.
//
// Settings (environment): BENCH_VERIFIER_CPU (core to pin to, default 0; empty: not pinned),
// BENCH_VERIFIER_ROUNDS (default 15), BENCH_VERIFIER_ROUND_MS (per loop and round, default 500).

import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createVerifier } from '../packages/verifier/src/index.ts';

const cpu = process.env['BENCH_VERIFIER_CPU'] ?? '0';
const rounds = positive('BENCH_VERIFIER_ROUNDS', 15);
const roundMs = positive('BENCH_VERIFIER_ROUND_MS', 500);
if (cpu !== '') execFileSync('taskset', ['-apc', cpu, String(process.pid)], { stdio: 'ignore' });

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, not ${raw}`);
  return value;
}

const ISSUER = 'https://id.example.com/oauth2/default';
const AUDIENCE = 'api://default';
const KID = `kid-${randomBytes(16).toString('base64url')}`;
const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'messages:read'];

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };

// The claims Latchkey's signAccessToken writes, in its order.
const now = Math.floor(Date.now() / 1000);
const claims = {
  ver: 1,
  jti: `AT.${randomBytes(32).toString('base64url')}`,
  iss: ISSUER,
  aud: AUDIENCE,
  iat: now,
  exp: now + 3600,
  cid: '0oa1ab2cd3EF4gh5i6j7',
  uid: '00u1ab2cd3EF4gh5i6j7',
  scp: SCOPES,
  auth_time: now - 60,
  sub: 'alice.liddell@example.com',
};
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const signingInput = `${encode({ alg: 'RS256', kid: KID })}.${encode(claims)}`;
const signature = sign('sha256', Buffer.from(signingInput), privateKey);
const token = `${signingInput}.${signature.toString('base64url')}`;

const verifier = createVerifier({
  issuer: ISSUER,
  audience: AUDIENCE,
  fetch: async () =>
    new Response(JSON.stringify({ keys: [jwk] }), {
      headers: { 'content-type': 'application/json', 'cache-control': 'max-age=86400' },
    }),
});
const verifyOptions = { requiredScopes: ['messages:read'] };

interface Rate {
  /** Operations per second of wall time. */
  wall: number;
  /** Operations per second of CPU time (user + system) of this process. */
  cpu: number;
}

function rate(count: number, startWall: number, startCpu: NodeJS.CpuUsage): Rate {
  const wall = (performance.now() - startWall) / 1000;
  const cpuUsed = process.cpuUsage(startCpu);
  return { wall: count / wall, cpu: count / ((cpuUsed.user + cpuUsed.system) / 1e6) };
}

const inputBytes = Buffer.from(signingInput);
function rawLoop(ms: number): Rate {
  let count = 0;
  const startWall = performance.now();
  const startCpu = process.cpuUsage();
  const end = startWall + ms;
  do {
    for (let i = 0; i < 32; i += 1) {
      if (!verify('sha256', inputBytes, publicKey, signature)) throw new Error('raw verify failed');
    }
    count += 32;
  } while (performance.now() < end);
  return rate(count, startWall, startCpu);
}

async function verifierLoop(ms: number): Promise<Rate> {
  let count = 0;
  const startWall = performance.now();
  const startCpu = process.cpuUsage();
  const end = startWall + ms;
  do {
    for (let i = 0; i < 32; i += 1) await verifier.verifyAccessToken(token, verifyOptions);
    count += 32;
  } while (performance.now() < end);
  return rate(count, startWall, startCpu);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const verified = await verifier.verifyAccessToken(token, verifyOptions);
if (verified.sub !== claims.sub) throw new Error('the verifier returned other claims');
// Warm-up: JIT both paths before measuring.
rawLoop(300);
await verifierLoop(300);

const raw: Rate[] = [];
const ours: Rate[] = [];
for (let round = 0; round < rounds; round += 1) {
  // Alternate which loop goes first, so a drift in machine load favours neither.
  let r: Rate;
  let v: Rate;
  if (round % 2 === 0) {
    r = rawLoop(roundMs);
    v = await verifierLoop(roundMs);
  } else {
    v = await verifierLoop(roundMs);
    r = rawLoop(roundMs);
  }
  raw.push(r);
  ours.push(v);
  console.log(
    `round ${String(round + 1).padStart(2)}: raw ${r.wall.toFixed(0)}/s (${r.cpu.toFixed(0)}/CPU-s), ` +
      `verifier ${v.wall.toFixed(0)}/s (${v.cpu.toFixed(0)}/CPU-s), ratio ${(v.wall / r.wall).toFixed(3)} ` +
      `(CPU ${(v.cpu / r.cpu).toFixed(3)})`,
  );
}

const summary = (kind: keyof Rate, label: string) => {
  const ratios = ours.map((v, index) => v[kind] / (raw[index]?.[kind] ?? Number.NaN));
  return [
    `${label}:`,
    `  raw crypto.verify           ${median(raw.map((r) => r[kind])).toFixed(0)} verifications/s (median)`,
    `  verifier.verifyAccessToken  ${median(ours.map((v) => v[kind])).toFixed(0)} verifications/s (median)`,
    `  ratio verifier / raw        ${median(ratios).toFixed(3)} (median of rounds; min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)})`,
  ];
};

console.log(
  [
    '',
    `@latchkey/verifier vs raw crypto.verify, RS256 (RSA-2048), token of ${token.length} bytes, warm key cache`,
    `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, pinned to core ${cpu === '' ? '(none)' : cpu}`,
    `rounds: ${rounds} × ${roundMs} ms per loop`,
    ...summary('wall', 'per second of wall time'),
    ...summary('cpu', 'per second of CPU time'),
  ].join('\n'),
);
