// Latchkey as `npm start` runs it: the built server (packages/server/dist, plain JavaScript, no loader),
// with one difference: the rate-limit budgets are raised, because the benchmark is one client on one
// address and the defaults would turn the token scenarios into a measure of the limiter. The limiter
// itself still runs and counts every hit.

import { startServer } from '../../packages/server/dist/main.js';

const budget = process.env.BENCH_RATE_LIMIT_PER_MINUTE ?? '999999999';
const server = await startServer({
  LATCHKEY_TOKEN_RATE_LIMIT: budget,
  LATCHKEY_SIGNIN_RATE_LIMIT: budget,
  LATCHKEY_AUTHORIZE_RATE_LIMIT: budget,
  ...process.env,
});
process.stdout.write(`READY ${server.address}\n`);

const stop = () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
