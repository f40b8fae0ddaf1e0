// RFC 6749 §10.10: credentials must be unguessable. Every secret artifact has 256 bits from the CSPRNG,
// encoded base64url (the RFC 6749 Appendix A charset) and stored only as a SHA-256 hash.

import { createHash, randomFillSync, timingSafeEqual } from 'node:crypto';

// Issue 8: bytes from the CSPRNG in batches, as Node's own randomUUID does. Each randomBytes call is a
// crypto job with its async-hooks bookkeeping (about 8 µs under the server's AsyncLocalStorage, five
// calls a code flow); one 4 KiB fill serves about a hundred tokens. Each byte is handed out once.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** `size` bytes from the CSPRNG (at most POOL_BYTES), never handed out before. */
export function randomOctets(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    poolOffset = 0;
  }
  const octets = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return octets;
}

export function generateOpaqueToken(): string {
  return randomOctets(32).toString('base64url');
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
    for (const byte of randomOctets(32)) {
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
  return `${time}${monotonic}${randomOctets(6).toString('hex')}`;
}
