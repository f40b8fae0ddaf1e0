import { affected, decode, encode, type Kinds } from '../codec.ts';
import type { Executor } from '../schema.ts';
import type {
  ClientRegistrationRow,
  ClientRegistrationStore,
  RegistrationTokenRow,
  RegistrationTokenStore,
} from '../store.ts';

const TOKEN: Kinds<RegistrationTokenRow> = {};
const REGISTRATION: Kinds<ClientRegistrationRow> = {};

export function registrationTokenPart(db: Executor): RegistrationTokenStore {
  return {
    async create(row) {
      await db().insertInto('registration_tokens').values(encode(row)).execute();
    },
    async getByHash(tokenHash) {
      const row = await db()
        .selectFrom('registration_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row && decode<RegistrationTokenRow>(row, TOKEN);
    },
    async list() {
      const rows = await db()
        .selectFrom('registration_tokens')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((row) => decode<RegistrationTokenRow>(row, TOKEN));
    },
    async revoke(id, now) {
      const result = await db()
        .updateTable('registration_tokens')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result) > 0;
    },
  };
}

export function clientRegistrationPart(db: Executor): ClientRegistrationStore {
  return {
    async create(row) {
      await db().insertInto('client_registrations').values(encode(row)).execute();
    },
    async get(clientId) {
      const row = await db()
        .selectFrom('client_registrations')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row && decode<ClientRegistrationRow>(row, REGISTRATION);
    },
    async delete(clientId) {
      const result = await db()
        .deleteFrom('client_registrations')
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return affected(result) > 0;
    },
  };
}
