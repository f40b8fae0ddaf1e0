// RFC 6749 §10.10: credentials must be unguessable. Every secret artifact has 256 bits from the CSPRNG,
// encoded base64url (the RFC 6749 Appendix A charset) and stored only as a SHA-256 hash.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function generateOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a stored SHA-256 hash (ASVS 11.2.4). */
export function matchesHash(presented: string, storedHashHex: string): boolean {
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  const expected = Buffer.from(storedHashHex, 'hex');
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Okta-style ids: a 3-character type prefix and 17 random alphanumerics (`0oa…` apps, `00u…` users). */
export function generateId(prefix: string, length = 17): string {
  let id = prefix;
  // Rejection sampling keeps the distribution uniform over the 62 characters.
  while (id.length < prefix.length + length) {
    for (const byte of randomBytes(32)) {
      if (byte < 248 && id.length < prefix.length + length) id += ALPHANUMERIC[byte % 62];
    }
  }
  return id;
}

/**
 * Sortable event ids: the event's time (epoch seconds), then this process's monotonic clock, then
 * randomness. The monotonic part keeps the events of one second in order; the wall clock's milliseconds
 * would wrap within a second of the injected clock (and a test's manual clock never moves by itself).
 */
export function generateEventId(nowSeconds: number): string {
  const time = nowSeconds.toString(36).padStart(7, '0');
  const monotonic = process.hrtime.bigint().toString(36).padStart(13, '0');
  return `${time}${monotonic}${randomBytes(6).toString('hex')}`;
}
