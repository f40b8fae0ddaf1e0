#!/usr/bin/env node
// The `latchkey` command: the built CLI (dist/, made by `npm run build`, which `npm ci` runs through the
// repository's `prepare` script and `npm start` runs first). Plain JavaScript: no TypeScript loader.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'latchkey: the server is not built yet. Run `npm run build -w @latchkey/server` (or `npm ci`).\n',
  );
  process.exit(1);
}
await import(cli.href);
