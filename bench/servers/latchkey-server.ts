// Latchkey as `latchkey serve` starts it (same startServer, same tsx loader), with one difference: the
// per-IP budget of sign-in and token requests (300 a minute by default) is raised, because every request
// of the benchmark comes from 127.0.0.1 and the default would turn the token scenarios into a measure of
// the limiter. The limiter itself still runs: each hit is still one upsert in the database.

import { startServer } from '../../packages/server/src/main.ts';

const rateLimitPerMinute = Number(process.env['BENCH_RATE_LIMIT_PER_MINUTE'] ?? 1_000_000_000);
const server = await startServer(process.env, { rateLimitPerMinute });
process.stdout.write(`READY ${server.address}\n`);

const stop = (): void => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
