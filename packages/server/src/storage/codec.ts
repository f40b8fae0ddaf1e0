// Row <-> column mapping, derived from the row types so that a column missing from schema.ts, or typed
// differently there, fails to compile at the insert/select that uses it (instead of at run time).

type SnakeCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}`
  : S;

type Defined<V> = Exclude<V, undefined>;
type IsBool<V> = [Defined<V>] extends [boolean] ? true : false;
type IsJson<V> = [Defined<V>] extends [readonly unknown[] | Record<string, string>] ? true : false;
type ColumnOf<V> = IsBool<V> extends true ? number : IsJson<V> extends true ? string : Defined<V>;

/** The columns that store a row of type R. */
export type Encoded<R> = { [K in keyof R as K extends string ? SnakeCase<K> : never]: ColumnOf<R[K]> };

/** Every boolean and JSON field of R must be listed, or decoding would hand back raw 0/1 or text. */
export type Kinds<R> = {
  [K in keyof R as IsBool<R[K]> extends true ? K : IsJson<R[K]> extends true ? K : never]: IsBool<
    R[K]
  > extends true
    ? 'bool'
    : 'json';
};

// Every row of every request goes through these: the names are few, so each is converted once.
const memo = (convert: (name: string) => string): ((name: string) => string) => {
  const known = new Map<string, string>();
  return (name) => {
    let converted = known.get(name);
    if (converted === undefined) {
      converted = convert(name);
      if (known.size < 10_000) known.set(name, converted);
    }
    return converted;
  };
};
const toSnake = memo((key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const toCamel = memo((column) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));

export function encode<R extends object>(row: R): Encoded<R> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    out[toSnake(key)] =
      typeof value === 'boolean'
        ? Number(value)
        : value !== null && typeof value === 'object'
          ? JSON.stringify(value)
          : value;
  }
  return out as Encoded<R>;
}

export function decode<R>(columns: Encoded<R>, kinds: Kinds<R>): R {
  const kindOf: Record<string, 'bool' | 'json'> = kinds;
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(columns)) {
    const key = toCamel(column);
    const kind = kindOf[key];
    out[key] =
      kind === 'bool' ? value === 1 || value === true : kind === 'json' ? JSON.parse(String(value)) : value;
  }
  return out as R;
}

export function affected(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): number {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);
}
