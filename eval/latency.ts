// Decision latency over the corpus, in process: `runClaim` (read the checkout, analyse, decide) of
// the scai tree at --root (this checkout by default, or a baseline checkout), p50/p95 over the cases.
//   node --import tsx eval/latency.ts --repos DIR [--root DIR] [--rounds N]   (N ≥ 2: round 0 is an untimed warm-up; default 3)
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkoutName, loadCorpus } from './cases.js';
import { neutralClaim } from './engines.js';

const { values } = parseArgs({ options: { repos: { type: 'string' }, root: { type: 'string' }, rounds: { type: 'string', default: '3' } } });
if (!values.repos) {
  console.error('usage: node --import tsx eval/latency.ts --repos DIR [--root DIR] [--rounds N]');
  process.exit(2);
}
// Round 0 only warms the JIT and the page cache: fewer than two rounds would time nothing and print NaN.
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 2) {
  console.error(`eval/latency: --rounds must be a whole number of at least 2 (round 0 is an untimed warm-up), not ${values.rounds}`);
  process.exit(2);
}
const root = resolve(values.root ?? join(import.meta.dirname, '..'));
const { runClaim } = (await import(pathToFileURL(join(root, 'function/src/cli/scai.ts')).href)) as {
  runClaim: (o: { claimFile: string; repoDir: string; now: string }) => Promise<unknown>;
};
const corpus = loadCorpus(join(import.meta.dirname, 'corpus.json'));
const dir = mkdtempSync(join(tmpdir(), 'scai-latency-'));
const times: number[] = [];
// A case with no checkout would only time a failed read: it is left out, and counted.
const repos = resolve(values.repos);
const cases = corpus.cases.filter((c) => existsSync(join(repos, checkoutName(c.repo))));
for (let round = 0; round < rounds; round++) {
  for (const c of cases) {
    const claimFile = join(dir, `${c.id}.yaml`);
    writeFileSync(claimFile, neutralClaim(c, corpus.prompt));
    const t = performance.now();
    await runClaim({ claimFile, repoDir: join(repos, checkoutName(c.repo)), now: '2026-11-30T00:00:00Z' }).catch(() => undefined);
    if (round > 0) times.push(performance.now() - t); // round 0 warms the JIT and the page cache
  }
}
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN;
if (cases.length < corpus.cases.length) console.log(`no checkout for ${corpus.cases.length - cases.length} case(s): left out (run eval/checkout.sh)`);
console.log(`${root}: ${times.length} decisions, p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${q(1).toFixed(1)} ms`);
