// Hot queries, built and compiled once (issue 8). Kysely builds an immutable query tree and compiles it to
// SQL on every call, which costs more than SQLite takes to run a query by key. A template builds its
// query once per store, with a placeholder for each argument, and afterwards only puts the values in
// place of the placeholders. The SQL text and the query tree (which the query metrics read) are those
// Kysely made, for the store's own dialect, so a template runs exactly what the builder would have run.
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database, Executor } from './schema.ts';

/** Where a compiled parameter comes from: an argument of the call, or a value fixed in the query. */
type Slot = { arg: number } | { value: unknown };

interface Compiled {
  sql: string;
  query: CompiledQuery['query'];
  queryId: CompiledQuery['queryId'];
  slots: Slot[];
}

const placeholder = (index: number): string => `\u0000latchkey-parameter-${index}\u0000`;

function compileTemplate(
  db: Kysely<Database>,
  build: (db: Kysely<Database>, ...args: unknown[]) => Compilable<unknown>,
  arity: number,
): Compiled {
  const names = Array.from({ length: arity }, (_, index) => placeholder(index));
  const compiled = build(db, ...names).compile();
  const slots = compiled.parameters.map((value): Slot => {
    const arg = typeof value === 'string' ? names.indexOf(value) : -1;
    return arg === -1 ? { value } : { arg };
  });
  for (let index = 0; index < arity; index += 1) {
    // An argument that became SQL text, or vanished, cannot be swapped in later: refuse the template.
    if (!slots.some((slot) => 'arg' in slot && slot.arg === index)) {
      throw new Error(`query template: argument ${index} is not a parameter of ${compiled.sql}`);
    }
  }
  return { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, slots };
}

/**
 * A query over `arity` arguments, compiled at its first run. `build` must pass each argument to Kysely as
 * a value (where, set, values), never inspect it: at compile time it receives placeholders.
 */
export function queryTemplate<A extends unknown[]>(
  executor: Executor,
  arity: A['length'],
  build: (db: Kysely<Database>, ...args: A) => Compilable<unknown>,
): <R>(...args: A) => Promise<QueryResult<R>> {
  let compiled: Compiled | undefined;
  return (...args) => {
    const db = executor();
    compiled ??= compileTemplate(db, build as never, arity);
    const { sql, query, queryId, slots } = compiled;
    const parameters = slots.map((slot) => ('arg' in slot ? args[slot.arg] : slot.value));
    return db.executeQuery({ sql, query, queryId, parameters });
  };
}

/**
 * Inserts of encoded rows into one table, one template per set of columns (a row leaves out the columns it
 * has no value for, which then take their defaults, as with `insertInto(table).values(row)`).
 */
export function insertTemplate<T extends keyof Database & string>(
  executor: Executor,
  table: T,
): (row: object) => Promise<void> {
  const byColumns = new Map<string, (...values: unknown[]) => Promise<QueryResult<unknown>>>();
  return async (row) => {
    const columns = Object.keys(row);
    const key = columns.join(',');
    let insert = byColumns.get(key);
    if (insert === undefined) {
      insert = queryTemplate<unknown[]>(executor, columns.length, (db, ...values) =>
        db
          .insertInto(table)
          .values(Object.fromEntries(columns.map((column, index) => [column, values[index]])) as never),
      );
      byColumns.set(key, insert);
    }
    await insert(...Object.values(row));
  };
}

/** Rows an UPDATE or DELETE run through a template changed. */
export function changed(result: QueryResult<unknown>): number {
  return Number(result.numAffectedRows ?? 0n);
}
