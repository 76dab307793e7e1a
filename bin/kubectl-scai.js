#!/usr/bin/env node
// `kubectl scai …` when this directory is on PATH (kubectl runs kubectl-<name> plugins); runs the build.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/function/src/cli/kubectl-main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('kubectl-scai: not built yet; run `npm run build` first\n');
  process.exit(1);
}
await import(entry.href);
