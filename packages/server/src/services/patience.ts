// Rule 4 (SECURITY-MATRIX RL-05): what can be answered from memory (discovery, /keys) waits for the
// database only briefly; the query keeps running and refreshes the memory when it completes.

/** How long a request that can be answered from memory waits for the database first. */
export const MEMORY_PATIENCE_MS = 150;

/** `fresh`, or `fallback()` when `fresh` fails or takes longer than `patienceMs` (it keeps running). */
export function freshOr<T>(
  fresh: Promise<T>,
  fallback: () => T,
  patienceMs = MEMORY_PATIENCE_MS,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), patienceMs);
  });
  return Promise.race([fresh.catch(fallback), late]).finally(() => clearTimeout(timer));
}
