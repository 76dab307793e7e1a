// Prints the corpus's repositories (owner/name, one per line) in the order to fetch them under a per-session cap on
// new repositories: held-out ones first, so the reported half is whole, then dev-only ones.
//   node --import tsx eval/fetch-order.ts [--missing MIRRORS] [--sample N]
//   (--missing: only those not yet in MIRRORS/<owner>+<name>; --sample: N of each half, in a fixed hashed order)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkoutName, fetchOrder, loadCorpus, sampleOrder } from './cases.js';

// A reader that stops early (`| head`) closes the pipe: that is the end of the list, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});
const { values } = parseArgs({ options: { missing: { type: 'string' }, sample: { type: 'string' } } });
const mirrors = values.missing;
const perSplit = values.sample === undefined ? undefined : Number(values.sample);
if (perSplit !== undefined && !(Number.isInteger(perSplit) && perSplit > 0)) {
  console.error(`eval/fetch-order.ts: --sample takes a whole number above 0, not "${values.sample}"`);
  process.exit(2);
}
const cases = loadCorpus(join(import.meta.dirname, 'corpus.json')).cases;
const repos = perSplit === undefined ? fetchOrder(cases) : sampleOrder(cases, perSplit);
for (const repo of repos) if (mirrors === undefined || !existsSync(join(mirrors, checkoutName(repo)))) console.log(repo);
