// Deleting what has expired, in bounded batches (issue 8 §7). Each call deletes at most `limit` rows in
// one statement and commits, so a sweep never holds a long transaction or a large lock, and running it on
// several instances at once only repeats idempotent deletes.
import { sql } from 'kysely';
import { affected } from '../codec.ts';
import type { Executor } from '../schema.ts';
import type { RetentionKind, RetentionStore } from '../store.ts';

type Expiring =
  | 'authorization_codes'
  | 'authorization_requests'
  | 'access_tokens'
  | 'sessions'
  | 'admin_sessions'
  | 'console_flashes'
  | 'console_form_tokens'
  | 'rate_limits'
  | 'client_assertions';

const BY_EXPIRY: Record<
  Exclude<RetentionKind, 'refreshTokens' | 'events' | 'consoleState'>,
  [Expiring, string]
> = {
  authorizationCodes: ['authorization_codes', 'code_hash'],
  authorizationRequests: ['authorization_requests', 'id'],
  accessTokens: ['access_tokens', 'jti'],
  sessions: ['sessions', 'id_hash'],
  adminSessions: ['admin_sessions', 'id_hash'],
  rateLimits: ['rate_limits', 'key'],
  // A stored jti outlives its assertion's `exp` (plus the allowed skew); after that a replay is refused
  // as expired, so the row may go (RFC 7523 §3 item 7).
  clientAssertions: ['client_assertions', 'jti_hash'],
};

export function retentionPart(db: Executor): RetentionStore {
  return {
    async sweep(kind, cutoff, limit) {
      if (kind === 'events') {
        const old = db().selectFrom('events').select('id').where('time', '<', cutoff).limit(limit);
        return affected(await db().deleteFrom('events').where('id', 'in', old).executeTakeFirst());
      }
      if (kind === 'refreshTokens') return sweepRefreshFamilies(db, cutoff, limit);
      if (kind === 'consoleState') {
        // Flashes and form tokens expire with their admin session at the latest.
        let deleted = 0;
        for (const [table, key] of [
          ['console_flashes', 'session_hash'],
          ['console_form_tokens', 'token_hash'],
        ] as const) {
          deleted += await sweepByExpiry(db, table, key, cutoff, limit);
        }
        return deleted;
      }
      const [table, key] = BY_EXPIRY[kind];
      return sweepByExpiry(db, table, key, cutoff, limit);
    },
  };
}

async function sweepByExpiry(
  db: Executor,
  table: Expiring,
  key: string,
  cutoff: number,
  limit: number,
): Promise<number> {
  // rate_limits and console_flashes have two-column keys; rows of one key expire together or apart, so
  // they are deleted by expiry within the chosen keys.
  const chosen = sql`(select ${sql.ref(key)} from ${sql.table(table)} where expires_at <= ${cutoff} limit ${limit})`;
  return affected(
    await db()
      .deleteFrom(table)
      .where(sql.ref(key), 'in', chosen)
      .where('expires_at', '<=', cutoff)
      .executeTakeFirst(),
  );
}

/**
 * A refresh token is deleted only with its whole family, once no member can be used any more: a rotated
 * token is the evidence that a replay is a reuse, which revokes the family (RFC 9700 §4.14.2), so it is
 * kept until the family has expired (SECURITY-MATRIX RL-14).
 */
async function sweepRefreshFamilies(db: Executor, cutoff: number, limit: number): Promise<number> {
  const families = await sql<{ family_id: string }>`
    select distinct r.family_id from refresh_tokens r
    where (r.idle_expires_at <= ${cutoff} or r.expires_at <= ${cutoff})
      and not exists (
        select 1 from refresh_tokens l
        where l.family_id = r.family_id and l.idle_expires_at > ${cutoff}
          and (l.expires_at is null or l.expires_at > ${cutoff})
      )
    limit ${limit}`.execute(db());
  const ids = families.rows.map((row) => row.family_id);
  if (ids.length === 0) return 0;
  return affected(await db().deleteFrom('refresh_tokens').where('family_id', 'in', ids).executeTakeFirst());
}
