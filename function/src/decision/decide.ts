// The deterministic engine (v2): feasibility first (hard facts of the repository rule strategies
// out or settle the choice, each with its evidence), then preference among what is feasible (rule
// scores, size and price, budget), then the pick. Pure: no clock, no I/O.
import { estimateCost, type Traffic } from '../cost/estimate.js';
import { STRATEGIES, type Alternative, type Analysis, type CostEstimate, type Decision, type Strategy } from '../types.js';
import type { DecisionFacts } from './facts.js';
import { feasibility, type Feasibility } from './feasibility.js';
import { applyRules, type RuleHit } from './rules.js';
import { sizeFor } from './sizing.js';

export const ENGINE = 'rules/v2';

/** The claim cannot be decided (a library, a denied or infeasible strategy): its message names the field. */
export class DecisionError extends Error {
  override readonly name = 'DecisionError';
}

export interface DecideInput {
  facts: DecisionFacts;
  requested: Strategy | 'auto';
  region: string;
  traffic: Traffic;
}

/** One strategy as the engine weighed it: rule score, size, price. */
export interface ScoredStrategy {
  strategy: Strategy;
  score: number;
  hits: RuleHit[];
  decision: Decision['config'];
  cost: CostEstimate;
  overBudget: boolean;
}

export interface DecideOutput {
  decision: Decision;
  cost: CostEstimate;
  candidates: ScoredStrategy[];
  feasibility: Feasibility;
}

const ORDER: Record<Strategy, number> = { vm: 0, serverless: 1, kubernetes: 2 };
const money = (n: number): string => `$${n.toFixed(2)}`;

export function deniedStrategies(policies: readonly string[]): Set<Strategy> {
  const out = new Set<Strategy>();
  for (const p of policies) if (p.startsWith('deny-strategy:')) out.add(p.slice('deny-strategy:'.length) as Strategy);
  return out;
}

/** An empty tree, or one whose only manifest could not be read: deciding would be a guess. */
export function nothingToDeploy(a: Analysis): boolean {
  return a.kind === 'unknown' && a.language === null && a.framework === null && !a.hasDockerfile && !a.startCommand && !a.serverless && !(a.platforms ?? []).length && !a.monorepo;
}

/** Confidence that means something: settled by the repository's own facts > only one feasible > a margin of rule points. */
function confidenceOf(requested: Strategy | 'auto', settledBy: string | undefined, feasibleCount: number, margin: number): number {
  if (requested !== 'auto') return 1;
  if (settledBy === 'shipped-manifests') return 0.95;
  if (settledBy) return 0.9;
  if (feasibleCount === 1) return 0.85;
  return Math.round(Math.min(0.8, Math.max(0.4, 0.5 + 0.08 * margin)) * 100) / 100;
}

export function decide(input: DecideInput): DecideOutput {
  const { facts, requested, region, traffic } = input;
  if (facts.analysis.kind === 'library') {
    throw new DecisionError('spec.repository: looks like a library, not a deployable app (no server, worker or start command found)');
  }
  if (nothingToDeploy(facts.analysis)) {
    throw new DecisionError('spec.repository: nothing deployable found (no readable manifest, Dockerfile, platform manifest or start command); check spec.repository.path and ref');
  }
  const denied = deniedStrategies(facts.policies);
  if (requested !== 'auto' && denied.has(requested)) {
    throw new DecisionError(`spec.strategy "${requested}" is denied by policy deny-strategy:${requested}`);
  }
  const feas = feasibility(facts.analysis, facts.cloud);
  if (requested !== 'auto' && feas.excluded[requested]) {
    throw new DecisionError(`spec.strategy "${requested}" cannot work for this repository: ${feas.excluded[requested]?.reason}`);
  }
  const allowed = STRATEGIES.filter((s) => !denied.has(s) && !feas.excluded[s]);
  if (allowed.length === 0) {
    const why = STRATEGIES.map((s) => (denied.has(s) ? `${s}: denied by policy` : `${s}: ${feas.excluded[s]?.reason}`)).join('; ');
    throw new DecisionError(`spec.policies: no strategy is both allowed and feasible (${why})`);
  }

  const sized: DecisionFacts = feas.singleInstance ? { ...facts, maxReplicas: 1 } : facts;
  const limit = facts.budget.limit;
  const hits = applyRules(sized);
  const order = requested === 'auto' ? allowed : [requested, ...allowed.filter((s) => s !== requested)];
  const candidates: ScoredStrategy[] = order.map((strategy) => {
    const mine = hits.filter((h) => h.points[strategy] !== undefined);
    const score = Math.round(mine.reduce((s, h) => s + (h.points[strategy] ?? 0), 0) * 100) / 100;
    const config = sizeFor(strategy, sized);
    const cost = estimateCost({ cloud: facts.cloud, region, strategy, config, policies: facts.policies, traffic, ...(facts.prebuiltImage ? { prebuiltImage: true } : {}) });
    const overBudget = limit !== undefined && cost.estimatedMonthly > limit;
    return { strategy, score, hits: mine, decision: config, cost, overBudget };
  });

  const ranked = [...candidates].sort(
    (a, b) =>
      Number(a.overBudget) - Number(b.overBudget) ||
      b.score - a.score ||
      a.cost.estimatedMonthly - b.cost.estimatedMonthly ||
      ORDER[a.strategy] - ORDER[b.strategy],
  );
  const settled = requested === 'auto' && feas.settled ? candidates.find((c) => c.strategy === feas.settled?.strategy) : undefined;
  const chosen = requested !== 'auto' ? (candidates[0] as ScoredStrategy) : (settled ?? (ranked[0] as ScoredStrategy));
  const others = ranked.filter((c) => c !== chosen);

  const positive = chosen.hits.filter((h) => (h.points[chosen.strategy] ?? 0) > 0).map((h) => h.reason);
  const budgetNote =
    limit !== undefined
      ? `${money(chosen.cost.estimatedMonthly)}/month ${chosen.overBudget ? 'exceeds' : 'within'} the ${money(limit)} budget`
      : `${money(chosen.cost.estimatedMonthly)}/month`;
  const ruledOut = STRATEGIES.filter((s) => feas.excluded[s]).map((s) => `not ${s}: ${feas.excluded[s]?.reason}`);
  const why =
    requested !== 'auto'
      ? ['requested by spec.strategy']
      : settled && feas.settled
        ? [feas.settled.reason, ...ruledOut]
        : [...ruledOut, ...(positive.length > 0 ? positive : ['best score among the feasible strategies'])];
  const reason = `${chosen.strategy}: ${why.join('; ')}; ${budgetNote}`;

  const runnerUp = others[0];
  const margin = runnerUp ? chosen.score - runnerUp.score : 3;
  const confidence = confidenceOf(requested, settled ? feas.settled?.rule : undefined, allowed.length, margin);

  const alternatives: Alternative[] = others.map((c) => {
    const negative = c.hits.filter((h) => (h.points[c.strategy] ?? 0) < 0).map((h) => h.reason);
    const because =
      settled && feas.settled
        ? `the repository settles it: ${feas.settled.reason}`
        : c.overBudget && !chosen.overBudget
          ? `over budget at ${money(c.cost.estimatedMonthly)}/month`
          : negative.length > 0
            ? negative.join('; ')
            : `fewer reasons in its favour (score ${c.score} against ${chosen.score}), ${money(c.cost.estimatedMonthly)}/month against ${money(chosen.cost.estimatedMonthly)}`;
    return { strategy: c.strategy, reason: because, estimatedMonthly: c.cost.estimatedMonthly };
  });
  for (const s of STRATEGIES) {
    if (denied.has(s)) alternatives.push({ strategy: s, reason: `denied by policy deny-strategy:${s}` });
    else if (feas.excluded[s]) alternatives.push({ strategy: s, reason: `cannot work: ${feas.excluded[s]?.reason}` });
  }

  return {
    decision: { strategy: chosen.strategy, confidence, reason, alternatives, config: chosen.decision, engine: ENGINE },
    cost: chosen.cost,
    candidates,
    feasibility: feas,
  };
}
