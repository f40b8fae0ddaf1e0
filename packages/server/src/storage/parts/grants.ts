// Pending /authorize requests and authorization codes: both are redeemed by one conditional UPDATE that
// only a single caller can win, on any number of instances (SECURITY-MATRIX rule 5).
import { affected, decode, encode, type Kinds } from '../codec.ts';
import { changed, insertTemplate, queryTemplate } from '../query-template.ts';
import type { AuthorizationCodesTable, Executor } from '../schema.ts';
import type {
  AuthorizationCodeRow,
  AuthorizationCodeStore,
  AuthorizationRequestRow,
  AuthorizationRequestStore,
} from '../store.ts';

const REQUEST: Kinds<AuthorizationRequestRow> = { params: 'json' };
const CODE: Kinds<AuthorizationCodeRow> = { amr: 'json' };

export function authorizationRequestPart(db: Executor): AuthorizationRequestStore {
  return {
    async create(row) {
      await db().insertInto('authorization_requests').values(encode(row)).execute();
    },
    async get(id) {
      const row = await db()
        .selectFrom('authorization_requests')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && decode<AuthorizationRequestRow>(row, REQUEST);
    },
    async complete(id, now) {
      const result = await db()
        .updateTable('authorization_requests')
        .set({ completed_at: now })
        .where('id', '=', id)
        .where('completed_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return affected(result) === 1;
    },
  };
}

export function authorizationCodePart(db: Executor): AuthorizationCodeStore {
  // Issue 8: every code flow runs these three, compiled once (query-template.ts).
  const insert = insertTemplate(db, 'authorization_codes');
  const select = queryTemplate(db, 1, (kysely, codeHash: string) =>
    kysely.selectFrom('authorization_codes').selectAll().where('code_hash', '=', codeHash),
  );
  const consume = queryTemplate(db, 3, (kysely, now: number, codeHash: string, notExpiredAt: number) =>
    kysely
      .updateTable('authorization_codes')
      .set({ consumed_at: now })
      .where('code_hash', '=', codeHash)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', notExpiredAt),
  );
  return {
    async create(row) {
      await insert(encode(row));
    },
    async find(codeHash) {
      const row = (await select<AuthorizationCodesTable>(codeHash)).rows[0];
      return row && decode<AuthorizationCodeRow>(row, CODE);
    },
    async consume(codeHash, now) {
      // SECURITY-MATRIX rule 5: the WHERE clause is the whole race; a second caller updates no row.
      return changed(await consume(now, codeHash, now)) === 1;
    },
  };
}
