// The one Store contract suite. sqlite.test.ts and postgres.test.ts run it unchanged, so both databases
// are held to exactly the same behaviour. Every test uses fresh random ids: the suite shares one
// database and must not depend on what other tests wrote.
import { after, before, describe } from 'node:test';
import type { Store } from '../../src/storage/store.ts';
import { adminSessionContract } from './contract/admin-sessions.ts';
import { apiTokenContract } from './contract/api-tokens.ts';
import { clientMetadataDocumentContract } from './contract/client-metadata-documents.ts';
import { clientRegistrationContract } from './contract/client-registrations.ts';
import { consentContract } from './contract/consents.ts';
import {
  authorizationCodeContract,
  authorizationRequestContract,
  sessionContract,
  signingKeyContract,
  tokenContract,
} from './contract/grants.ts';
import { authorizationServerContract, clientContract, userContract } from './contract/identity.ts';
import { machineTokenContract } from './contract/machine-tokens.ts';
import { raceContract } from './contract/races.ts';
import {
  eventContract,
  rateLimitContract,
  settingContract,
  transactionContract,
} from './contract/records.ts';
import { retentionContract } from './contract/retention.ts';

export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract (${name})`, () => {
    let opened: Store | undefined;
    const store = (): Store => {
      if (opened === undefined) throw new Error('The store under test did not open');
      return opened;
    };
    before(async () => {
      opened = await open();
    });
    after(async () => {
      await opened?.close();
    });

    authorizationServerContract(store);
    clientContract(store);
    userContract(store);
    sessionContract(store);
    adminSessionContract(store);
    authorizationRequestContract(store);
    authorizationCodeContract(store);
    consentContract(store);
    tokenContract(store);
    signingKeyContract(store);
    eventContract(store);
    rateLimitContract(store);
    retentionContract(store);
    settingContract(store);
    apiTokenContract(store);
    clientMetadataDocumentContract(store);
    clientRegistrationContract(store);
    transactionContract(store);
    raceContract(store);
    machineTokenContract(store);
  });
}
