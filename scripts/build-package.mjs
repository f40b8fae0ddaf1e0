// Builds a publishable library package (@latchkey/client, @latchkey/verifier) into dist/ (issue 11):
// ESM (.js) and CommonJS (.cjs) with declarations for each (.d.ts, .d.cts). Run from the package folder:
// `node ../../scripts/build-package.mjs`.
//
// esbuild writes the JavaScript, one output file per source file (not one bundle per entry), so that
// `@latchkey/client` and `@latchkey/client/node` share one copy of each module and `instanceof
// LatchkeyClientError` holds across them; the ESM files also load as they are from a browser's
// `<script type="module">`. esbuild keeps import specifiers as written, so a plugin marks every import
// external and rewrites the relative `./x.ts` ones to `./x.js` or `./x.cjs`. tsc writes the declarations
// (esbuild cannot); the `.d.cts` are copies of the `.d.ts` with `.cjs` specifiers, since a CommonJS
// declaration file that imports `./x.js` of a `"type": "module"` package would import ESM types.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const dist = 'dist';
const sources = readdirSync('src', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => join('src', file));

/** Rewrites the `.ts` extension of a relative specifier; leaves packages and `node:` builtins alone. */
const relativeTs = /^(\.{1,2}\/.*)\.ts$/;

/** @param {'esm' | 'cjs'} format */
async function buildJavaScript(format) {
  const extension = format === 'esm' ? '.js' : '.cjs';
  await build({
    entryPoints: sources,
    outdir: dist,
    outbase: 'src',
    outExtension: { '.js': extension },
    bundle: true, // only so that onResolve runs: every import below is external
    format,
    platform: 'neutral',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'external-with-extension',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point') return undefined;
            return { path: args.path.replace(relativeTs, `$1${extension}`), external: true };
          });
        },
      },
    ],
  });
}

/** tsc from the root devDependencies; missing in a production install (`npm ci --omit=dev`). */
function findTsc() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

function buildDeclarations(tsc) {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  const specifier = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*)\.ts(['"])/g;
  for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.d.ts')) continue;
    const path = join(dist, file);
    const base = basename(path, '.d.ts');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace(specifier, '$1$2.js$3'));
    writeFileSync(
      path.replace(/\.d\.ts$/, '.d.cts'),
      text
        .replace(specifier, '$1$2.cjs$3')
        .replace(`//# sourceMappingURL=${base}.d.ts.map`, `//# sourceMappingURL=${base}.d.cts.map`),
    );
    const map = JSON.parse(readFileSync(`${path}.map`, 'utf8'));
    writeFileSync(path.replace(/\.d\.ts$/, '.d.cts.map'), JSON.stringify({ ...map, file: `${base}.d.cts` }));
  }
}

const tsc = findTsc();
const name = JSON.parse(readFileSync('package.json', 'utf8')).name;
if (tsc === undefined) {
  // The root `prepare` builds every package, but the server needs neither library: a production install
  // of the server (dev dependencies omitted) skips them, while packing one without its types must fail.
  if (process.env['npm_lifecycle_event'] === 'prepack') {
    throw new Error(`${name}: typescript is not installed, so its declarations cannot be built. Run npm ci.`);
  }
  console.warn(
    `${name}: not built, typescript is not installed (a production install). Run npm ci to build it.`,
  );
  process.exit(0);
}
rmSync(dist, { recursive: true, force: true });
await Promise.all([buildJavaScript('esm'), buildJavaScript('cjs')]);
buildDeclarations(tsc);
