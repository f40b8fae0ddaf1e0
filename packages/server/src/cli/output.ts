// How every command speaks: data on stdout (JSON with --json, aligned text otherwise), everything else on
// stderr, so `latchkey … --json | jq` always receives clean JSON. Errors map to fixed exit codes that
// scripts can branch on.

import { ConfigError } from '../config/schema.ts';
import { NotFoundError, ValidationError } from '../services/errors.ts';

export const EXIT = {
  ok: 0,
  failure: 1,
  /** Bad input: commander usage errors and ValidationError (like BSD EX_USAGE's spirit, kept at 2). */
  usage: 2,
  notFound: 3,
  /** sysexits.h EX_CONFIG. */
  config: 78,
} as const;

export interface JsonOption {
  json?: boolean | undefined;
}

export type Field = readonly [label: string, value: unknown];

/** Prints `data` as JSON, or the text from `render` (called only when needed). */
export function emit(options: JsonOption, data: unknown, render: () => string[]): void {
  if (options.json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else writeLines(render());
}

export function writeLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

/** Messages for the operator that are not data (warnings, hints): stderr keeps stdout parseable. */
export function notice(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** `label  value` lines with the values aligned; a list value continues on the following lines. */
export function fields(pairs: readonly Field[]): string[] {
  const width = Math.max(0, ...pairs.map(([label]) => label.length)) + 2;
  const lines: string[] = [];
  for (const [label, value] of pairs) {
    const values = Array.isArray(value) ? value.map(text) : [text(value)];
    if (values.length === 0) values.push('-');
    values.forEach((entry, index) => {
      lines.push(`${(index === 0 ? `${label}:` : '').padEnd(width)}${entry}`);
    });
  }
  return lines;
}

/** A table with a header row; columns padded to their widest cell. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  empty: string,
): string[] {
  if (rows.length === 0) return [empty];
  const cells = [headers, ...rows.map((row) => row.map(text))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** Epoch seconds (the store's unit) to the ISO 8601 time the JSON output uses. */
export function isoTime(epochSeconds: number): string;
export function isoTime(epochSeconds: number | null): string | null;
export function isoTime(epochSeconds: number | null): string | null {
  return epochSeconds === null ? null : new Date(epochSeconds * 1000).toISOString();
}

/** Prints an error the way an operator can act on it and returns the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof ValidationError) {
    notice(`Error: ${error.field}: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof NotFoundError) {
    notice(`Error: ${error.message}`);
    return EXIT.notFound;
  }
  if (error instanceof ConfigError) {
    notice(`Configuration error: ${error.message}`);
    return EXIT.config;
  }
  const message = error instanceof Error ? error.message : String(error);
  notice(`Error: ${message}`);
  // Unexpected failures (database down, bugs) say what caused them; the stack only when debugging.
  if (error instanceof Error && error.cause instanceof Error) notice(`  caused by: ${error.cause.message}`);
  if (error instanceof Error && /^(debug|trace)$/.test(process.env['LOG_LEVEL'] ?? ''))
    notice(error.stack ?? '');
  return EXIT.failure;
}
