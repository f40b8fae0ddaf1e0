// Composition root: loadConfig -> openStore -> keyRing -> buildApp -> listen (ARCHITECTURE "Layout").

import type { FastifyInstance } from 'fastify';
import { type BootstrapOutcome, bootstrapAdmin } from './accounts/bootstrap-admin.ts';
import { loadConfig } from './config/load.ts';
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
import { startRetentionSweeper } from './services/retention-sweeper.ts';
import { openStore, parseDatabaseUrl } from './storage/open-store.ts';
import { withReadCache } from './storage/read-cache.ts';
import { markServing } from './storage/server-marker.ts';

export interface RunningServer {
  app: FastifyInstance;
  deps: Deps;
  /** Where it listens, e.g. http://127.0.0.1:8080 (differs from the public URL behind a proxy or on port 0). */
  address: string;
  /** The separate metrics listener (LATCHKEY_METRICS_ADDRESS), when configured. */
  metricsAddress: string | undefined;
  close(): Promise<void>;
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
  const clock = options.clock ?? systemClock;
  // Made before the store, which reports its query timings to it; one Registry per server.
  const metrics = createMetrics();
  const store = withReadCache(await openStore(config.databaseUrl, { observer: metrics.database }), clock);
  const keys = new KeyRing({ store, clock, secret: config.secret });
  await ensureDefaultServer({ store, clock, keys });
  const instanceId = await store.settings.setIfAbsent('instance_id', generateId('00o'));
  // Issue 5: the first admin, from the environment or through a one-time setup link (printed below).
  const admin = await bootstrapAdmin({ store, clock, config }, env).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const { app, deps } = await buildApp({ store, keys, clock, config, instanceId }, { metrics });
  // With the banner, warnings are part of it (readable), not JSON lines in the middle of it.
  if (!options.banner) for (const warning of warnings) app.log.warn(warning);
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
  // Rule 7: stages, promotes and unpublishes signing keys; runs now, then every minute.
  const rotation = startRotationSchedule(deps, { policy: options.keyRotation });
  void rotation.run();
  // Issue 8 §7: expired codes, requests, tokens, sessions and old events go, so every table stays bounded.
  const sweeper = startRetentionSweeper(deps);
  if (options.banner) printBanner(config.publicUrl, address, admin, warnings);
  return {
    app,
    deps,
    address,
    metricsAddress: metricsListener?.address,
    async close() {
      await rotation.stop();
      await sweeper.stop();
      await metricsListener?.close();
      await app.close();
      await store.close();
      unmark();
    },
  };
}

function printBanner(publicUrl: string, address: string, admin: BootstrapOutcome, warnings: string[]): void {
  const issuer = issuerFor(publicUrl, 'default');
  const lines = [
    '',
    `  Latchkey is running (listening on ${address}).`,
    '',
    ...warnings.flatMap((warning) => [`  Warning: ${warning}`, '']),
    `  Issuer:     ${issuer}`,
    `  Discovery:  ${issuer}/.well-known/openid-configuration`,
    `  Console:    ${publicUrl}/console`,
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
