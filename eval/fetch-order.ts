// Prints the corpus's repositories (owner/name, one per line) in the order to fetch them under a per-session cap on
// new repositories: held-out ones first, so the reported half is whole, then dev-only ones.
//   node --import tsx eval/fetch-order.ts [--missing MIRRORS]   (--missing: only those not yet in MIRRORS/<owner>+<name>)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkoutName, fetchOrder, loadCorpus } from './cases.js';

const { values } = parseArgs({ options: { missing: { type: 'string' } } });
const mirrors = values.missing;
const repos = fetchOrder(loadCorpus(join(import.meta.dirname, 'corpus.json')).cases);
for (const repo of repos) if (mirrors === undefined || !existsSync(join(mirrors, checkoutName(repo)))) console.log(repo);
