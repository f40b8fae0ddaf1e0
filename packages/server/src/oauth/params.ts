// RFC 6749 §3.1 and §3.2: "Request and response parameters MUST NOT be included more than once."
// Parameters may come from the query and the form body together; a name present in both is a repeat.

import { OAuthError } from './errors.ts';

/** The most parameters one request may carry; more is refused rather than parsed (TE-05). */
export const MAX_PARAMETERS = 100;

export interface ParameterBag {
  get(name: string): string | undefined;
  has(name: string): boolean;
  /** Names that appeared more than once, across every source. */
  readonly repeated: ReadonlySet<string>;
}

export function collectParameters(...sources: URLSearchParams[]): ParameterBag {
  const values = new Map<string, string>();
  const repeated = new Set<string>();
  let count = 0;
  for (const source of sources) {
    for (const [name, value] of source) {
      count += 1;
      if (values.has(name)) repeated.add(name);
      else values.set(name, value);
    }
  }
  if (count > MAX_PARAMETERS) {
    throw new OAuthError('invalid_request', `The request has more than ${MAX_PARAMETERS} parameters.`);
  }
  return {
    get: (name) => (name === '' ? undefined : values.get(name)),
    has: (name) => values.has(name),
    repeated,
  };
}

export const REPEATED_PARAMETER_DESCRIPTION = 'The request contained multiple parameters with the same name.';

/** Throws Okta's error when any of `names` (or, without names, any parameter) was sent twice. */
export function rejectRepeated(bag: ParameterBag, names?: readonly string[]): void {
  const offending = names === undefined ? [...bag.repeated] : names.filter((name) => bag.repeated.has(name));
  if (offending.length > 0) {
    throw new OAuthError('invalid_request', REPEATED_PARAMETER_DESCRIPTION, {
      cause: `repeated: ${offending.join(', ')}`,
    });
  }
}

/** A present, non-empty value (RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they were omitted"). */
export function optional(bag: ParameterBag, name: string): string | undefined {
  const value = bag.get(name);
  return value === undefined || value === '' ? undefined : value;
}

export function required(bag: ParameterBag, name: string): string {
  const value = optional(bag, name);
  if (value === undefined) {
    throw new OAuthError('invalid_request', `The required parameter '${name}' is missing.`);
  }
  return value;
}
