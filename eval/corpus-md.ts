// node --import tsx eval/corpus-md.ts — regenerates the table part of eval/CORPUS.md from corpus.json:
// one row per case (by split, family, id) and the expected strategies per split. Everything from the
// first "## Cases added" heading on is hand-written history and is kept as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus, OUTCOMES, type Case } from './cases.js';

const dir = import.meta.dirname;
const HISTORY = /^## Cases added/m;

/** The deciding rule(s) a rationale starts with: `R4: …` → R4, `R4/R5: …` → R4/R5. */
export const ruleOf = (rationale: string): string => /^(R\d(?:\/R\d)*)\b/.exec(rationale)?.[1] ?? '-';

export function corpusTable(cases: readonly Case[]): string {
  const sorted = [...cases].sort((a, b) => a.split.localeCompare(b.split) || a.family.localeCompare(b.family) || a.id.localeCompare(b.id));
  const row = (c: Case) => `| ${c.id} | ${c.split} | ${c.family} | ${c.repo}${c.path ? ` (${c.path})` : ''} | ${c.facts.language ?? '-'} / ${c.facts.framework ?? '-'} | ${c.expected} | ${c.acceptable.join(', ')} | ${ruleOf(c.rationale)} |`;
  const perSplit = (['dev', 'heldout'] as const).map((split) => {
    const inSplit = cases.filter((c) => c.split === split);
    return `- ${split}: ${inSplit.length} cases — ${OUTCOMES.map((o) => `${o} ${inSplit.filter((c) => c.expected === o).length}`).join(', ')}`;
  });
  return [
    '# eval corpus (generated from corpus.json by eval/corpus-md.ts; labels follow RUBRIC.md)',
    '',
    `${cases.length} cases. Columns: split, family, repository (path), language/framework, expected (acceptable), deciding rule.`,
    '',
    '| id | split | family | repo (path) | lang / framework | expected | acceptable | rule |',
    '|---|---|---|---|---|---|---|---|',
    ...sorted.map(row),
    '',
    '## Expected strategy per split',
    '',
    ...perSplit,
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = join(dir, 'CORPUS.md');
  const old = readFileSync(file, 'utf8');
  const at = old.search(HISTORY);
  writeFileSync(file, `${corpusTable(loadCorpus(join(dir, 'corpus.json')).cases)}${at >= 0 ? `\n${old.slice(at)}` : ''}`);
}
