// Contract: the single-winner rules (SECURITY-MATRIX rule 5) hold for whole transactions as the token
// endpoint runs them (consume or rotate, then the token rows), also when many commit together in one
// group commit on SQLite.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessRow, codeRow, type GetStore, NOW, refreshRow, uid } from './fixtures.ts';

const CALLERS = 50;

export function raceContract(store: GetStore): void {
  describe('single winner across whole transactions', () => {
    it('AC-01: 50 concurrent redemptions of one code commit exactly one set of tokens', async () => {
      const code = codeRow();
      await store().authorizationCodes.create(code);
      const jtis = Array.from({ length: CALLERS }, () => uid('AT.'));
      const results = await Promise.all(
        jtis.map((jti) =>
          store().transaction(async (tx) => {
            if (!(await tx.authorizationCodes.consume(code.codeHash, NOW + 1))) return false;
            await tx.accessTokens.create(accessRow({ jti, grantId: code.grantId }));
            return true;
          }),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const stored = await Promise.all(jtis.map((jti) => store().accessTokens.get(jti)));
      assert.deepEqual(
        stored.map((row) => row !== undefined),
        results,
        'exactly the winner stored its token',
      );
    });

    it('RT-02: 50 concurrent rotations of one refresh token (grace 0) store exactly one successor', async () => {
      const token = refreshRow();
      await store().refreshTokens.create(token);
      const successors = Array.from({ length: CALLERS }, (_, i) =>
        refreshRow({ familyId: token.familyId, generation: token.generation + 1, tokenHash: uid(`s${i}`) }),
      );
      const results = await Promise.all(
        successors.map((successor) =>
          store().transaction(async (tx) => {
            const won = await tx.refreshTokens.rotate(token.tokenHash, {
              now: NOW + 1,
              successorSealed: successor.tokenHash,
            });
            if (won) await tx.refreshTokens.create(successor);
            return won;
          }),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const winner = successors[results.indexOf(true)];
      assert.equal((await store().refreshTokens.get(token.tokenHash))?.successorSealed, winner?.tokenHash);
      const stored = await Promise.all(successors.map((s) => store().refreshTokens.get(s.tokenHash)));
      assert.equal(stored.filter((row) => row !== undefined).length, 1);
    });
  });
}
