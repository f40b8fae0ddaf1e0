// Where an installation keeps its default database and secret (issue 12): one folder whatever the
// working directory. `npm start` runs in packages/server while `npx latchkey` and the example scripts run
// in the repository root; resolving against the working directory gave them two different databases.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, parse, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@latchkey/server';

function readPackage(dir: string): { name?: unknown; workspaces?: unknown } | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; workspaces?: unknown };
  } catch {
    return undefined;
  }
}

function ancestors(start: string): string[] {
  const dirs: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    dirs.push(dir);
    if (dir === parse(dir).root) return dirs;
  }
}

/**
 * The installation folder, found from where this code lives: the repository root (the nearest folder
 * above the server package whose package.json declares workspaces), else the project that installed
 * Latchkey (the folder holding the outermost node_modules), else the server package itself.
 */
export function installationRoot(moduleFile: string = fileURLToPath(import.meta.url)): string {
  const packageDir = ancestors(dirname(moduleFile)).find((dir) => readPackage(dir)?.name === PACKAGE_NAME);
  if (packageDir === undefined) return process.cwd();
  const workspace = ancestors(dirname(packageDir)).find((dir) => readPackage(dir)?.workspaces !== undefined);
  if (workspace !== undefined) return workspace;
  const inModules = packageDir.indexOf(`${sep}node_modules${sep}`);
  return inModules === -1 ? packageDir : packageDir.slice(0, inModules);
}

/** `LATCHKEY_HOME` (relative to the working directory when relative), else the installation folder. */
export function resolveHome(value: string | undefined): string {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? installationRoot() : resolve(trimmed);
}

/** A relative `sqlite:` path is made absolute against the home; anything else is returned unchanged. */
export function resolveDatabaseUrl(databaseUrl: string, home: string): string {
  const match = /^sqlite:(.*)$/i.exec(databaseUrl.trim());
  const path = match?.[1];
  if (path === undefined || path === '' || path === ':memory:' || path.startsWith('//') || isAbsolute(path)) {
    return databaseUrl;
  }
  return `sqlite:${resolve(home, path)}`;
}
