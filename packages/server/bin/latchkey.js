#!/usr/bin/env node
// The `latchkey` command. TypeScript sources run through tsx's loader, so there is no build step. The
// package's own tsconfig is named explicitly: tsx would otherwise take the one of the current directory,
// and the hosted pages (TSX) would not compile when `npx latchkey` runs from the repository root.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/index.ts');
