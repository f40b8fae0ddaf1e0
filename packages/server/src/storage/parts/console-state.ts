// The console's Post/Redirect/Get state (issue 12): flashes shown once (taken with one DELETE … RETURNING)
// and spent one-time form tokens (one INSERT that a second use conflicts with), so exactly one request
// wins on any number of instances.
import { decode, encode, type Kinds } from '../codec.ts';
import type { Executor } from '../schema.ts';
import type { ConsoleFlashRow, ConsoleStateStore } from '../store.ts';

const FLASH: Kinds<ConsoleFlashRow> = {};

export function consoleStatePart(db: Executor): ConsoleStateStore {
  return {
    async putFlash(row) {
      const values = encode(row);
      await db()
        .insertInto('console_flashes')
        .values(values)
        .onConflict((conflict) =>
          conflict
            .columns(['session_hash', 'subject'])
            .doUpdateSet({ sealed: values.sealed, expires_at: values.expires_at }),
        )
        .execute();
    },
    async takeFlash(sessionHash, subject, now) {
      const row = await db()
        .deleteFrom('console_flashes')
        .where('session_hash', '=', sessionHash)
        .where('subject', '=', subject)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const flash = decode<ConsoleFlashRow>(row, FLASH);
      return flash.expiresAt > now ? flash.sealed : undefined;
    },
    async spendFormToken(row) {
      const result = await db()
        .insertInto('console_form_tokens')
        .values(encode(row))
        .onConflict((conflict) => conflict.column('token_hash').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
  };
}
