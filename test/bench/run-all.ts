// npm run bench: every test/bench/*.bench.ts in its own process (so RSS figures do not mix),
// in name order. BENCH_ONLY=rag runs only the files whose name contains "rag".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const only = process.env.BENCH_ONLY;
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
let failed = 0;
for (const f of files) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, f)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`!! ${f} exited ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
