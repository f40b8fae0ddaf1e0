// JSON lines for machines (the default), readable lines for a person at a terminal: when stdout is a TTY
// or LOG_FORMAT=pretty, and pino-pretty is installed (it is optional: `npm i pino-pretty` next to
// Latchkey). LOG_FORMAT=json keeps JSON on a terminal too. pino-pretty runs as a pino transport (a worker
// thread), so formatting never blocks a request.
import { createRequire } from 'node:module';
import type { Config } from '../config/schema.ts';

export interface LogOutput {
  /** pino's transport option, for pretty output; none for JSON on stdout. */
  transport?: { target: string; options: Record<string, unknown> };
  /** Said once at start-up when pretty output was asked for but cannot be given. */
  warning?: string;
}

export function chooseLogOutput(
  format: Config['logFormat'],
  stdoutIsTerminal: boolean,
  resolve: (name: string) => string = createRequire(import.meta.url).resolve,
): LogOutput {
  const pretty = format === 'pretty' || (format === undefined && stdoutIsTerminal);
  if (!pretty) return {};
  let target: string;
  try {
    target = resolve('pino-pretty');
  } catch {
    return format === 'pretty'
      ? { warning: 'LOG_FORMAT=pretty needs pino-pretty (npm i pino-pretty); logging JSON lines instead.' }
      : {};
  }
  return { transport: { target, options: { colorize: stdoutIsTerminal, translateTime: 'SYS:HH:MM:ss.l' } } };
}
