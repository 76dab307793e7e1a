// npm run eval -- --repos DIR [--baseline DIR] [--split dev|heldout|all] [--only ID] [--json FILE]
//                 [--llm HOST --llm-model MODEL]
//
// Asks every engine about every case of eval/corpus.json, prints one line per case and a table per
// split: strategy exact / acceptable / macro recall, analyser facts, calibration. DIR holds the
// checkouts (`owner+name/`, at the pinned commit: eval/checkout.sh makes them); --baseline is a
// built scai checkout of the previous engine (eval/baseline.sh makes it). --llm adds `scai+llm`: the
// same checkout with the LLM step on (function input spec.llm: that Ollama host and model).
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkoutName, loadCorpus, type Case } from './cases.js';
import { alwaysVm, cliEngine, llmInput, type Engine } from './engines.js';
import { FACTS, scoreCase, summarize, type CaseResult, type Summary } from './score.js';

const USAGE = 'usage: npm run eval -- --repos DIR [--baseline DIR] [--corpus FILE] [--split dev|heldout|all] [--only ID[,ID]] [--json FILE] [--llm HOST --llm-model MODEL]';

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`.padStart(4);
const mark = (r: CaseResult): string => (r.exact ? '✓' : r.ok ? '~' : '✗');

function caseLine(c: Case, results: ReadonlyMap<string, CaseResult>): string {
  const cells = [...results].map(([engine, r]) => {
    const conf = r.answer.confidence !== undefined ? ` ${r.answer.confidence.toFixed(2)}` : '';
    const facts = Object.values(r.factHits);
    const f = facts.length ? ` facts ${facts.filter(Boolean).length}/${facts.length}` : '';
    return `${engine}: ${mark(r)} ${r.answer.outcome}${conf}${f}`;
  });
  return `${c.split.padEnd(7)} ${c.id.padEnd(40)} expect ${c.expected}${c.acceptable.length > 1 ? ` (ok ${c.acceptable.join('|')})` : ''}\n          ${cells.join('   ')}`;
}

function table(title: string, rows: ReadonlyArray<[string, Summary]>): string {
  const head = `${title}\n  ${'engine'.padEnd(12)} cases exact  ok  macro facts  ${FACTS.map((f) => f.slice(0, 7).padStart(7)).join(' ')}`;
  const lines = rows.map(([name, s]) =>
    `  ${name.padEnd(12)} ${String(s.cases).padStart(5)} ${pct(s.exact)} ${pct(s.acceptable)} ${pct(s.macroRecall)}  ${pct(s.facts)}  ${FACTS.map((f) => (s.perFact[f] === undefined ? '-' : pct(s.perFact[f] as number)).padStart(7)).join(' ')}`,
  );
  return [head, ...lines].join('\n');
}

function calibration(name: string, s: Summary): string {
  return `  ${name}: ${s.calibration.filter((b) => b.cases).map((b) => `[${b.band}] ${b.cases} cases, ${pct(b.exact).trim()} exact`).join('; ') || 'no confidences'}`;
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { repos: { type: 'string' }, baseline: { type: 'string' }, corpus: { type: 'string' }, split: { type: 'string', default: 'all' }, only: { type: 'string' }, json: { type: 'string' }, llm: { type: 'string' }, 'llm-model': { type: 'string' } },
    }));
  } catch (e) {
    console.error(`eval: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.repos || !['dev', 'heldout', 'all'].includes(values.split) || !values.llm !== !values['llm-model']) {
    console.error(USAGE);
    return 2;
  }
  const root = resolve(import.meta.dirname, '..');
  if (!existsSync(join(root, 'dist/function/src/cli/main.js'))) {
    console.error('eval: this checkout is not built: run npm run build');
    return 2;
  }
  const corpus = loadCorpus(values.corpus ?? join(root, 'eval/corpus.json'));
  const only = values.only ? new Set(values.only.split(',')) : undefined;
  const cases = corpus.cases.filter((c) => (values.split === 'all' || c.split === values.split) && (!only || only.has(c.id)));
  const engines: Engine[] = [
    cliEngine('scai', root),
    ...(values.llm && values['llm-model'] ? [cliEngine('scai+llm', root, llmInput(values.llm, values['llm-model']))] : []),
    ...(values.baseline ? [cliEngine('previous', resolve(values.baseline))] : []),
    alwaysVm,
  ];

  const byEngine = new Map<string, CaseResult[]>(engines.map((e) => [e.name, []]));
  const missing: string[] = [];
  for (const c of cases) {
    const checkout = join(resolve(values.repos), checkoutName(c.repo));
    if (!existsSync(checkout)) {
      missing.push(c.id);
      continue;
    }
    const results = new Map<string, CaseResult>();
    for (const e of engines) {
      const r = scoreCase(c, e.answer(c, checkout, corpus.prompt));
      results.set(e.name, r);
      byEngine.get(e.name)?.push(r);
    }
    console.log(caseLine(c, results));
    const mine = results.get('scai');
    if (mine && !mine.exact) console.log(`          why: ${(mine.answer.reason ?? mine.answer.error ?? '').slice(0, 300)}`);
  }
  if (missing.length) console.log(`\nno checkout for ${missing.length} case(s): ${missing.join(', ')} (run eval/checkout.sh)`);

  const splits = values.split === 'all' ? (['dev', 'heldout', 'all'] as const) : ([values.split] as const);
  const report: Record<string, Record<string, Summary>> = {};
  for (const split of splits) {
    const inSplit = (r: CaseResult) => split === 'all' || cases.find((c) => c.id === r.id)?.split === split;
    const rows = engines.map((e): [string, Summary] => [e.name, summarize((byEngine.get(e.name) ?? []).filter(inSplit))]);
    report[split] = Object.fromEntries(rows);
    console.log(`\n${table(`split ${split}`, rows)}`);
    for (const [name, s] of rows) if (name !== 'always-vm') console.log(calibration(name, s));
  }
  const llm = byEngine.get('scai+llm');
  if (llm) {
    const by = new Map<string, number>();
    for (const r of llm) by.set(r.answer.engine ?? r.answer.outcome, (by.get(r.answer.engine ?? r.answer.outcome) ?? 0) + 1);
    console.log(`\nscai+llm decided by: ${[...by].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  if (values.json) writeFileSync(values.json, JSON.stringify({ report, cases: Object.fromEntries(byEngine) }, null, 2));
  return missing.length === cases.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main(process.argv.slice(2)));
