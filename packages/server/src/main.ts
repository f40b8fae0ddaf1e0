// Composition root: loadConfig -> openStore -> keyRing -> buildApp -> listen (ARCHITECTURE "Layout").

import type { FastifyInstance } from 'fastify';
import { type BootstrapOutcome, bootstrapAdmin } from './accounts/bootstrap-admin.ts';
import { installationLines, loadConfig } from './config/load.ts';
import type { Config } from './config/schema.ts';
import { type Clock, type Deps, systemClock } from './deps.ts';
import { buildApp } from './http/app.ts';
import { type MetricsListener, startMetricsListener } from './metrics/http.ts';
import { createMetrics } from './metrics/metrics.ts';
import { issuerFor } from './oauth/discovery.ts';
import { KeyRing } from './oauth/keys/key-ring.ts';
import type { RotationPolicy } from './oauth/keys/rotation.ts';
import { startRotationSchedule } from './oauth/keys/rotation-schedule.ts';
import { generateId } from './oauth/random.ts';
import { ensureDefaultServer } from './services/authorization-servers.ts';
import { DatabaseClock, startClockSync } from './services/database-clock.ts';
import type { PeriodicJob } from './services/periodic.ts';
import { Readiness } from './services/readiness.ts';
import { startRetentionSweeper } from './services/retention-sweeper.ts';
import { openStore, parseDatabaseUrl } from './storage/open-store.ts';
import { withReadCache } from './storage/read-cache.ts';
import { markServing } from './storage/server-marker.ts';

const FIRST_ROTATION_DELAY_MS = 2000;

export interface RunningServer {
  app: FastifyInstance;
  deps: Deps;
  /** Where it listens, e.g. http://127.0.0.1:8080 (differs from the public URL behind a proxy or on port 0). */
  address: string;
  /** The separate metrics listener (LATCHKEY_METRICS_ADDRESS), when configured. */
  metricsAddress: string | undefined;
  readiness: Readiness;
  close(): Promise<void>;
  /**
   * RL-13: /readyz turns 503 at once and responses carry `Connection: close`; after
   * LATCHKEY_DRAIN_SECONDS the listener closes, in-flight requests finish and idle sockets are closed.
   * Whatever is still open `forceAfterMs` later is cut, so the process exits in bounded time.
   */
  drain(forceAfterMs?: number): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Print the start-up banner (the CLI does; tests do not). */
  banner?: boolean;
  /** Key-rotation windows; tests shorten them here (never from the environment). */
  keyRotation?: RotationPolicy;
}

export async function startServer(
  env: NodeJS.ProcessEnv = process.env,
  options: StartOptions = {},
): Promise<RunningServer> {
  const { config, warnings } = loadConfig(env);
  const readiness = new Readiness();
  // Made before the store, which reports its query timings to it; one Registry per server.
  const metrics = createMetrics();
  const raw = await openStore(config.databaseUrl, {
    timeoutMs: config.dbTimeoutMs,
    poolSize: config.dbPoolSize,
    observer: metrics.database,
  });
  // Rule 6: on PostgreSQL, time follows the database clock (measured below, before any request).
  const { testClockOffsetMs } = config;
  const databaseClock =
    options.clock === undefined && raw.dialect === 'postgres'
      ? new DatabaseClock(() => Date.now() + testClockOffsetMs)
      : undefined;
  const clock =
    options.clock ??
    databaseClock ??
    (testClockOffsetMs === 0
      ? systemClock
      : { now: () => Math.floor((Date.now() + testClockOffsetMs) / 1000) });
  // Measured once before anything is written, so even the first rows carry database time.
  await databaseClock?.measure(raw).catch(() => undefined);
  const store = withReadCache(raw, clock);
  const keys = new KeyRing({ store, clock, secret: config.secret });
  await ensureDefaultServer({ store, clock, keys });
  const instanceId = await store.settings.setIfAbsent('instance_id', generateId('00o'));
  // Issue 5: the first admin, from the environment or through a one-time setup link (printed below).
  const admin = await bootstrapAdmin({ store, clock, config }, env).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const { app, deps } = await buildApp({ store, keys, clock, config, instanceId }, { metrics, readiness });
  // With the banner, warnings are part of it (readable), not JSON lines in the middle of it.
  if (!options.banner) for (const warning of warnings) app.log.warn(warning);
  let clockSync: PeriodicJob<void> | undefined;
  if (databaseClock !== undefined) {
    clockSync = await startClockSync(databaseClock, { store, readiness, log: app.log });
  }
  const address = await app.listen({ port: config.port, host: config.host });
  let metricsListener: MetricsListener | undefined;
  if (config.metrics.address !== undefined) {
    metricsListener = await startMetricsListener(metrics, config.metrics.address, (error) =>
      app.log.error({ err: error }, 'could not collect the metrics'),
    ).catch(async (error: unknown) => {
      await app.close();
      await store.close();
      throw error;
    });
  }
  const location = parseDatabaseUrl(config.databaseUrl);
  // `latchkey restore` refuses to replace the database of a running server (see server-marker.ts).
  const unmark =
    location.dialect === 'sqlite' && location.filename !== ':memory:'
      ? markServing(location.filename)
      : () => {};
  // Rule 7: stages, promotes and unpublishes signing keys; every minute, the first run soon after start.
  // Not before the first requests: on a new database it generates the next key (RSA), which the 24 h
  // pre-publication window does not need within the first seconds (issue 11: ready in under 1 s).
  const rotation = startRotationSchedule(deps, { policy: options.keyRotation });
  const firstRotation = setTimeout(() => void rotation.run(), FIRST_ROTATION_DELAY_MS);
  firstRotation.unref();
  // Issue 8 §7: expired codes, requests, tokens, sessions and old events go, so every table stays bounded.
  const sweeper = startRetentionSweeper(deps);
  if (options.banner) printBanner(config, address, admin, warnings);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await clockSync?.stop();
      clearTimeout(firstRotation);
      await rotation.stop();
      await sweeper.stop();
      await metricsListener?.close();
      await app.close();
      await store.close();
      unmark();
    })();
    return closing;
  };
  return {
    app,
    deps,
    address,
    metricsAddress: metricsListener?.address,
    readiness,
    close,
    async drain(forceAfterMs = 5000) {
      readiness.startDraining();
      app.log.info({ drainSeconds: config.drainSeconds }, 'draining: /readyz answers 503');
      await new Promise((resolve) => setTimeout(resolve, config.drainSeconds * 1000));
      // Requests still running get forceAfterMs to finish; keep-alive sockets that stay open are cut then.
      const force = setTimeout(() => app.server.closeAllConnections(), forceAfterMs);
      force.unref();
      const closed = close();
      // Node closes idle keep-alive sockets when the listener closes; one that was busy then and idle now
      // would otherwise wait for its keep-alive timeout.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
      try {
        await closed;
      } finally {
        clearInterval(sweep);
        clearTimeout(force);
      }
    },
  };
}

function printBanner(
  config: Readonly<Config>,
  address: string,
  admin: BootstrapOutcome,
  warnings: string[],
): void {
  const { publicUrl } = config;
  const issuer = issuerFor(publicUrl, 'default');
  const lines = [
    '',
    `  Latchkey is running (listening on ${address}).`,
    '',
    ...warnings.flatMap((warning) => [`  Warning: ${warning}`, '']),
    `  Issuer:     ${issuer}`,
    `  Discovery:  ${issuer}/.well-known/openid-configuration`,
    `  Console:    ${publicUrl}/console`,
    ...installationLines(config).map((line) => `  ${line}`),
    '  (`npx latchkey` and the examples must run with the same settings: see `npx latchkey config`.)',
    ...(admin.kind === 'setup-link'
      ? ['', `  Set up the first admin: ${admin.url}`, '  (the link works once and expires in 24 hours)']
      : admin.kind === 'created'
        ? ['', `  Created the first admin, ${admin.user.login}, from LATCHKEY_BOOTSTRAP_ADMIN_EMAIL.`]
        : []),
    '',
    '  Register a native app and a user, in another terminal:',
    '    npx latchkey apps create --name "My Native App" --type native --redirect-uri com.example.app:/callback --redirect-uri http://127.0.0.1/callback --json',
    `    printf '%s' 'a long passphrase' | npx latchkey users create --email alice@example.com --name "Alice Liddell" --password-stdin --json`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
