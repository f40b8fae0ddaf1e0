// The server's version, from its package.json. Found by walking up from this module, so that it is the
// same from the sources (src/version.ts) and from the build (dist/*.js).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@latchkey/server' && pkg.version !== undefined) return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('The package.json of @latchkey/server was not found');
    dir = parent;
  }
}

export const VERSION = readVersion();
