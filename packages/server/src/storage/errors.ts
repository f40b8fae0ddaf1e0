// Turns driver errors into the two errors the rest of Latchkey acts on: a taken unique value
// (DuplicateError), an unreachable or stalled database (StoreUnavailableError, answered with 503) and text
// PostgreSQL cannot hold (UnstorableTextError, answered with 400).
import { DuplicateError, StoreUnavailableError, UnstorableTextError } from './store.ts';

const ENTITIES: Record<string, string> = {
  authorization_servers: 'authorization server',
  scopes: 'scope',
  clients: 'client',
  users: 'user',
  sessions: 'session',
  authorization_requests: 'authorization request',
  authorization_codes: 'authorization code',
  access_tokens: 'access token',
  refresh_tokens: 'refresh token',
  signing_keys: 'signing key',
  events: 'event',
  settings: 'setting',
  api_tokens: 'API token',
  claims: 'claim',
  client_assertions: 'client assertion',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

// SQLSTATEs meaning "not now": 57P01-03 shutdown/starting, 57014 statement timeout, 55P03 lock timeout,
// 53300 too many connections, 25P03 idle-in-transaction timeout, and 40001 serialization failure and
// 40P01 deadlock once the transaction retry (kysely-store.ts, RL-12) has given up. Class 08 by prefix.
const PG_UNAVAILABLE = new Set([
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '55P03',
  '53300',
  '25P03',
  '40001',
  '40P01',
]);

/** SQLSTATEs after which the whole transaction may simply run again (RL-12). */
const PG_RETRYABLE = new Set(['40001', '40P01']);

/** A serialization failure or deadlock: PostgreSQL rolled the transaction back, and a rerun may succeed. */
export function isRetryableConflict(error: unknown): boolean {
  const { code } = fields(error);
  if (typeof code === 'string' && PG_RETRYABLE.has(code)) return true;
  const cause = error instanceof Error ? error.cause : undefined;
  return cause !== undefined && cause !== error && PG_RETRYABLE.has(fields(cause).code as string);
}

// 22021 character_not_in_repertoire (a NUL in text), 22P05 untranslatable_character (\u0000 in jsonb).
const PG_UNSTORABLE_TEXT = new Set(['22021', '22P05']);

const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|connection terminated|query read timeout|not queryable|connection timeout|database connection is not open/i;

const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|PROTOCOL)/;

interface DriverError {
  code?: unknown;
  message?: unknown;
  table?: unknown;
  errors?: unknown;
}

function fields(error: unknown): DriverError {
  return typeof error === 'object' && error !== null ? (error as DriverError) : {};
}

function isUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 3) return false;
  const { code, message, errors } = fields(error);
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || PG_UNAVAILABLE.has(code) || code.startsWith('08')) return true;
    if (SQLITE_UNAVAILABLE.test(code)) return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  // Node reports a refused dual-stack connect as an AggregateError of per-address errors.
  if (Array.isArray(errors)) return errors.some((e) => isUnavailable(e, depth + 1));
  return false;
}

function duplicateOf(error: unknown): string | undefined {
  const { code, message, table } = fields(error);
  if (code === '23505') return typeof table === 'string' ? table : 'row';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: users.login_lower"
    const match = typeof message === 'string' ? /failed: (\w+)\./.exec(message) : null;
    return match?.[1] ?? 'row';
  }
  return undefined;
}

export function toStoreError(error: unknown): unknown {
  if (
    error instanceof DuplicateError ||
    error instanceof StoreUnavailableError ||
    error instanceof UnstorableTextError
  ) {
    return error;
  }
  const table = duplicateOf(error);
  if (table !== undefined) return new DuplicateError(ENTITIES[table] ?? table);
  if (PG_UNSTORABLE_TEXT.has(fields(error).code as string)) return new UnstorableTextError(error);
  if (isUnavailable(error)) return new StoreUnavailableError(error);
  return error;
}
