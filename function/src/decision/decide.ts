// The deterministic engine: score strategies with the rules, size and price each candidate, keep
// the ones the policies and budget allow, pick the best. Pure: no clock, no I/O.
import { estimateCost, type Traffic } from '../cost/estimate.js';
import { STRATEGIES, type Alternative, type CostEstimate, type Decision, type Strategy } from '../types.js';
import type { DecisionFacts } from './facts.js';
import { applyRules, type RuleHit } from './rules.js';
import { sizeFor } from './sizing.js';

export const ENGINE = 'rules/v1';

/** The claim cannot be decided (a library, a denied strategy): its message names the field. */
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
}

const ORDER: Record<Strategy, number> = { vm: 0, serverless: 1, kubernetes: 2 };
const money = (n: number): string => `$${n.toFixed(2)}`;

export function deniedStrategies(policies: readonly string[]): Set<Strategy> {
  const out = new Set<Strategy>();
  for (const p of policies) if (p.startsWith('deny-strategy:')) out.add(p.slice('deny-strategy:'.length) as Strategy);
  return out;
}

export function decide(input: DecideInput): DecideOutput {
  const { facts, requested, region, traffic } = input;
  if (facts.analysis.kind === 'library') {
    throw new DecisionError('spec.repository: looks like a library, not a deployable app (no server, worker or start command found)');
  }
  const denied = deniedStrategies(facts.policies);
  if (requested !== 'auto' && denied.has(requested)) {
    throw new DecisionError(`spec.strategy "${requested}" is denied by policy deny-strategy:${requested}`);
  }
  const allowed = STRATEGIES.filter((s) => !denied.has(s));
  if (allowed.length === 0) throw new DecisionError('spec.policies: policies deny every strategy');

  const limit = facts.budget.limit;
  const hits = applyRules(facts);
  const candidates: ScoredStrategy[] = (requested === 'auto' ? allowed : [requested, ...allowed.filter((s) => s !== requested)]).map(
    (strategy) => {
      const mine = hits.filter((h) => h.points[strategy] !== undefined);
      const score = Math.round(mine.reduce((s, h) => s + (h.points[strategy] ?? 0), 0) * 100) / 100;
      const config = sizeFor(strategy, facts);
      const cost = estimateCost({ cloud: facts.cloud, region, strategy, config, policies: facts.policies, traffic });
      const overBudget = limit !== undefined && cost.estimatedMonthly > limit;
      return { strategy, score, hits: mine, decision: config, cost, overBudget };
    },
  );

  const ranked = [...candidates].sort(
    (a, b) =>
      Number(a.overBudget) - Number(b.overBudget) ||
      b.score - a.score ||
      a.cost.estimatedMonthly - b.cost.estimatedMonthly ||
      ORDER[a.strategy] - ORDER[b.strategy],
  );
  const chosen = requested === 'auto' ? (ranked[0] as ScoredStrategy) : (candidates[0] as ScoredStrategy);
  const others = ranked.filter((c) => c !== chosen);

  const positive = chosen.hits.filter((h) => (h.points[chosen.strategy] ?? 0) > 0).map((h) => h.reason);
  const budgetNote =
    limit !== undefined
      ? `${money(chosen.cost.estimatedMonthly)}/month ${chosen.overBudget ? 'exceeds' : 'within'} the ${money(limit)} budget`
      : `${money(chosen.cost.estimatedMonthly)}/month`;
  const why =
    requested !== 'auto'
      ? [`requested by spec.strategy`]
      : positive.length > 0
        ? positive
        : ['best score among the allowed strategies'];
  const reason = `${chosen.strategy}: ${why.join('; ')}; ${budgetNote}`;

  const runnerUp = others[0];
  const margin = runnerUp ? chosen.score - runnerUp.score : 3;
  const confidence =
    requested !== 'auto' ? 1 : Math.round(Math.min(0.95, Math.max(0.35, 0.55 + 0.1 * margin)) * 100) / 100;

  const alternatives: Alternative[] = others.map((c) => {
    const negative = c.hits.filter((h) => (h.points[c.strategy] ?? 0) < 0).map((h) => h.reason);
    const because = c.overBudget && !chosen.overBudget
      ? `over budget at ${money(c.cost.estimatedMonthly)}/month`
      : negative.length > 0
        ? negative.join('; ')
        : `fewer reasons in its favour (score ${c.score} against ${chosen.score}), ${money(c.cost.estimatedMonthly)}/month against ${money(chosen.cost.estimatedMonthly)}`;
    return { strategy: c.strategy, reason: because, estimatedMonthly: c.cost.estimatedMonthly };
  });
  for (const s of denied) alternatives.push({ strategy: s, reason: `denied by policy deny-strategy:${s}` });

  return {
    decision: { strategy: chosen.strategy, confidence, reason, alternatives, config: chosen.decision, engine: ENGINE },
    cost: chosen.cost,
    candidates,
  };
}
