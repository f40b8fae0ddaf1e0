// The pg pool as Kysely sees it, with two repairs for a database that stops answering (SECURITY-MATRIX
// RL-03, RL-05; issue 10):
// - A connection whose query timed out or failed at the network level is destroyed, not returned to the
//   pool: pg keeps an unanswered query at the head of that connection's queue, so every later query on it
//   would wait behind it, and requests would keep failing after the database is back.
// - After a client-side wait that ran out its whole bound (connect, checkout, read), the pool fails fast for a short while (FAIL_FAST_MS): requests arriving during a partition or while every
//   connection is stuck get their 503 at once instead of each waiting out its own timeout, and the first
//   request after the window probes the database again, so recovery needs no restart.
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** How long the pool refuses at once after a timeout, before it tries the database again. */
export const FAIL_FAST_MS = 1000;

const TIMEOUT_MESSAGE = /timeout exceeded when trying to connect|query read timeout|connection timeout/i;

interface ErrorFields {
  code?: unknown;
  message?: unknown;
}

const fieldsOf = (error: unknown): ErrorFields =>
  typeof error === 'object' && error !== null ? (error as ErrorFields) : {};

/**
 * A client-side wait that ran out its whole bound: the database is stalled or unreachable. A statement or
 * lock timeout reported by the server (57014, 55P03) is not: the server answers, one statement was slow
 * or contended, and shedding every request for it would turn one hot row into an outage.
 */
function isTimeout(error: unknown): boolean {
  const { code, message } = fieldsOf(error);
  if (code === 'ETIMEDOUT') return true;
  return typeof message === 'string' && TIMEOUT_MESSAGE.test(message);
}

/** The connection is no longer usable: no SQLSTATE (network, timeout) or a connection-class one. */
function breaksConnection(error: unknown): boolean {
  const { code } = fieldsOf(error);
  if (typeof code !== 'string') return true;
  return !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57P');
}

/** The error of a fail-fast refusal; SQLSTATE class 08 makes it a StoreUnavailableError (errors.ts). */
function refusal(): Error {
  return Object.assign(new Error('connection timeout: the database did not answer a moment ago'), {
    code: '08006',
  });
}

export function guardPool(pool: pg.Pool, now: () => number = Date.now): PostgresPool {
  let failFastUntil = 0;
  const noteFailure = (error: unknown): void => {
    if (isTimeout(error)) failFastUntil = now() + FAIL_FAST_MS;
  };

  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let broken = false;
    const query = (sqlOrCursor: unknown, parameters?: ReadonlyArray<unknown>): unknown => {
      if (broken) return Promise.reject(refusal());
      if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as pg.Submittable);
      return client.query(sqlOrCursor, parameters as unknown[]).catch((error: unknown) => {
        if (breaksConnection(error)) broken = true;
        noteFailure(error);
        throw error;
      });
    };
    return {
      query: query as PostgresPoolClient['query'],
      release(destroy?: boolean) {
        client.release(broken || destroy === true ? true : undefined);
      },
    };
  };

  return {
    async connect() {
      if (now() < failFastUntil) throw refusal();
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        noteFailure(error);
        throw error;
      }
      // A request that waited for a free connection while another one timed out gives up too, instead
      // of starting its own wait on the same stalled database.
      if (now() < failFastUntil) {
        client.release();
        throw refusal();
      }
      // A new wrapper per checkout: `broken` describes this checkout's connection only.
      return wrap(client);
    },
    end: () => pool.end(),
  };
}
