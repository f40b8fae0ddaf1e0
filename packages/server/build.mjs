// Builds the server into dist/ (issue 11): the CLI and the programmatic entry (startServer), bundled by
// esbuild with the npm dependencies left external, so that `npm start` and `npx latchkey` run plain
// JavaScript with no TypeScript loader. esbuild rather than tsc: it takes the `.ts` import specifiers and
// the TSX settings as they are, and builds in well under a second, so `npm start` can always build first.
// Types are checked by `npm run typecheck` (tsc), which `npm test` runs.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'src/cli/index.ts', main: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
});
