// Scoring, pure: one engine's answers against the labels. Strategy: exact, acceptable, macro recall
// (mean recall over the expected outcomes, so a constant answer cannot score well on a skewed corpus);
// analyser facts: the share of labelled facts the analysis states the same way; calibration:
// exact accuracy per confidence band.
import type { Case, LabelledFacts, Outcome } from './cases.js';

/** The facts an analysis states, in the labels' vocabulary (see observedFacts in engines.ts). */
export type ObservedFacts = Partial<Pick<LabelledFacts, 'kind' | 'language' | 'framework' | 'port' | 'startCommand' | 'stateful' | 'state'>> & {
  serviceCount?: number;
};

export interface EngineAnswer {
  outcome: Outcome;
  confidence?: number;
  reason?: string;
  facts?: ObservedFacts;
  /** Set when the engine failed in a way that is not a refusal (a crash, a bad checkout). */
  error?: string;
  /** Who decided, as the report says (rules/v2, llm/<model>, llm-fallback). */
  engine?: string;
}

export const FACTS = ['kind', 'language', 'framework', 'port', 'startCommand', 'stateful', 'services', 'state'] as const;
export type FactName = (typeof FACTS)[number];

/** Whitespace and quoting differ between a Dockerfile's exec form and a shell line; the command does not. */
export const normalizeCommand = (c: string | null | undefined): string | null =>
  c ? c.replace(/["']/g, '').replace(/\s+/g, ' ').trim() : null;

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

export function factMatches(name: FactName, label: LabelledFacts, seen: ObservedFacts | undefined): boolean {
  if (!seen) return false;
  switch (name) {
    case 'kind': return seen.kind === label.kind;
    case 'language': return (seen.language ?? null) === label.language;
    case 'framework': return (seen.framework ?? null) === label.framework;
    case 'port': return (seen.port ?? null) === label.port;
    case 'startCommand': return normalizeCommand(seen.startCommand) === normalizeCommand(label.startCommand);
    case 'stateful': return seen.stateful !== undefined && sameSet(seen.stateful, label.stateful);
    case 'services': return seen.serviceCount === Math.max(1, label.services.length);
    case 'state': return seen.state === label.state;
  }
}

export interface CaseResult {
  id: string;
  expected: Outcome;
  acceptable: readonly Outcome[];
  answer: EngineAnswer;
  exact: boolean;
  ok: boolean;
  factHits: Partial<Record<FactName, boolean>>;
}

export function scoreCase(c: Case, answer: EngineAnswer): CaseResult {
  const factHits: Partial<Record<FactName, boolean>> = {};
  // A library has no port, start command or services to compare: only what it is.
  const facts = c.facts.kind === 'library' ? (['kind', 'language'] as const) : FACTS;
  for (const f of facts) factHits[f] = factMatches(f, c.facts, answer.facts);
  return {
    id: c.id,
    expected: c.expected,
    acceptable: c.acceptable,
    answer,
    exact: answer.outcome === c.expected,
    ok: c.acceptable.includes(answer.outcome),
    factHits,
  };
}

export interface Summary {
  cases: number;
  exact: number;
  acceptable: number;
  macroRecall: number;
  facts: number;
  perFact: Partial<Record<FactName, number>>;
  /** Exact accuracy by confidence band, for answers that carry a confidence. */
  calibration: Array<{ band: string; cases: number; exact: number }>;
}

const share = (n: number, d: number): number => (d === 0 ? 0 : n / d);
export const BANDS: ReadonlyArray<[number, number]> = [[0, 0.5], [0.5, 0.65], [0.65, 0.8], [0.8, 1.01]];

export function summarize(results: readonly CaseResult[]): Summary {
  const byExpected = new Map<Outcome, CaseResult[]>();
  for (const r of results) byExpected.set(r.expected, [...(byExpected.get(r.expected) ?? []), r]);
  const recalls = [...byExpected.values()].map((rs) => share(rs.filter((r) => r.exact).length, rs.length));
  const perFact: Partial<Record<FactName, number>> = {};
  let hits = 0;
  let total = 0;
  for (const f of FACTS) {
    const judged = results.filter((r) => r.factHits[f] !== undefined);
    if (!judged.length) continue;
    const n = judged.filter((r) => r.factHits[f]).length;
    perFact[f] = share(n, judged.length);
    hits += n;
    total += judged.length;
  }
  const calibration = BANDS.map(([lo, hi]) => {
    const inBand = results.filter((r) => r.answer.confidence !== undefined && r.answer.confidence >= lo && r.answer.confidence < hi);
    return { band: `${lo.toFixed(2)}–${Math.min(hi, 1).toFixed(2)}`, cases: inBand.length, exact: share(inBand.filter((r) => r.exact).length, inBand.length) };
  });
  return {
    cases: results.length,
    exact: share(results.filter((r) => r.exact).length, results.length),
    acceptable: share(results.filter((r) => r.ok).length, results.length),
    macroRecall: share(recalls.reduce((a, b) => a + b, 0), recalls.length),
    facts: share(hits, total),
    perFact,
    calibration,
  };
}
