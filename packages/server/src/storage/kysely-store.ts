// The one Store implementation, shared by SQLite and PostgreSQL. Dialect differences live in the
// drivers (sqlite.ts, postgres.ts, guarded-driver.ts); the parts only write portable SQL.
import { AsyncLocalStorage } from 'node:async_hooks';
import { type Kysely, sql, type Transaction } from 'kysely';
import { isRetryableConflict } from './errors.ts';
import { adminSessionPart } from './parts/admin-sessions.ts';
import { apiTokenPart } from './parts/api-tokens.ts';
import { claimPart } from './parts/claims.ts';
import { clientAssertionPart } from './parts/client-assertions.ts';
import { clientMetadataDocumentPart } from './parts/client-metadata-documents.ts';
import { clientRegistrationPart, registrationTokenPart } from './parts/client-registrations.ts';
import { clientPart } from './parts/clients.ts';
import { consentPart } from './parts/consents.ts';
import { consoleStatePart } from './parts/console-state.ts';
import { eventPart } from './parts/events.ts';
import { authorizationCodePart, authorizationRequestPart } from './parts/grants.ts';
import { signingKeyPart } from './parts/keys.ts';
import { rateLimitPart, settingPart } from './parts/limits.ts';
import { retentionPart } from './parts/retention.ts';
import { authorizationServerPart } from './parts/servers.ts';
import { sessionPart } from './parts/sessions.ts';
import { accessTokenPart, refreshTokenPart } from './parts/tokens.ts';
import { userPart } from './parts/users.ts';
import type { Database, Executor } from './schema.ts';
import type { Store } from './store.ts';

/** Runs of one transaction on serialization failures and deadlocks before the 503 (RL-12). */
const TRANSACTION_TRIES = 4;

interface Scope {
  trx: Transaction<Database>;
  open: boolean;
}

export function createKyselyStore(db: Kysely<Database>, dialect: Store['dialect']): Store {
  // The open transaction follows the async call chain, so inside `transaction(fn)` every call reaches
  // it, whether made through the store handed to fn or through this one. That is what makes nested
  // calls reuse the transaction, and on SQLite (one connection) it avoids waiting on ourselves forever.
  const current = new AsyncLocalStorage<Scope>();
  const executor: Executor = () => {
    const scope = current.getStore();
    return scope?.open ? scope.trx : db;
  };

  const store: Store = {
    dialect,
    authorizationServers: authorizationServerPart(executor),
    clients: clientPart(executor),
    users: userPart(executor),
    sessions: sessionPart(executor),
    adminSessions: adminSessionPart(executor),
    consoleState: consoleStatePart(executor),
    authorizationRequests: authorizationRequestPart(executor),
    authorizationCodes: authorizationCodePart(executor),
    accessTokens: accessTokenPart(executor),
    refreshTokens: refreshTokenPart(executor),
    signingKeys: signingKeyPart(executor),
    consents: consentPart(executor),
    events: eventPart(executor),
    rateLimits: rateLimitPart(executor),
    retention: retentionPart(executor),
    settings: settingPart(executor),
    apiTokens: apiTokenPart(executor),
    claims: claimPart(executor),
    clientAssertions: clientAssertionPart(executor),
    clientMetadataDocuments: clientMetadataDocumentPart(executor),
    registrationTokens: registrationTokenPart(executor),
    clientRegistrations: clientRegistrationPart(executor),

    async transaction(fn) {
      if (current.getStore()?.open) return fn(store);
      const attempt = () =>
        db.transaction().execute(async (trx) => {
          const scope: Scope = { trx, open: true };
          try {
            return await current.run(scope, () => fn(store));
          } finally {
            // Work that fn left running (a forgotten promise, a timer) must not reach a finished
            // transaction; it falls back to the database.
            scope.open = false;
          }
        });
      // RL-12: PostgreSQL rolled the whole transaction back on a serialization failure or deadlock, so
      // running it again is safe (its writes are all or nothing); a few tries, with a jittered pause.
      for (let tries = 1; ; tries += 1) {
        try {
          return await attempt();
        } catch (error) {
          if (tries >= TRANSACTION_TRIES || !isRetryableConflict(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * tries));
        }
      }
    },

    async ping() {
      await sql`select 1`.execute(executor());
    },

    async databaseTimeMs() {
      // clock_timestamp(), not now(): now() is the start of the transaction.
      const query =
        dialect === 'postgres'
          ? sql<{ ms: number | string }>`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`
          : sql<{ ms: number | string }>`select (julianday('now') - 2440587.5) * 86400000.0 as ms`;
      const { rows } = await query.execute(executor());
      return Number(rows[0]?.ms);
    },

    async close() {
      await db.destroy();
    },
  };
  return store;
}
