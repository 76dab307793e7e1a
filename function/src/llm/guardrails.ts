// Guardrails after the model: the model proposes, the engine's rules dispose. The strategy must be
// one the engine found feasible (and not denied, and the requested one if the claim names one);
// sizes are the engine's sizing for that strategy with only allowlisted fields taken from the
// answer, each clamped to the catalog, the policies (max-replicas, high availability) and the
// CloudProvider quotas; the result is priced again and must not break the budget where the
// engine's pick keeps it, nor any policy. Whatever the answer, the budget stage after this one
// applies exactly as without the model. Pure.
import { INSTANCE_LADDER } from '../cost/prices.js';
import { estimateCost, type Traffic } from '../cost/estimate.js';
import { deniedStrategies, type DecideOutput, type ScoredStrategy } from '../decision/decide.js';
import type { DecisionFacts } from '../decision/facts.js';
import { policyViolations } from '../decision/policy.js';
import { isHighlyAvailable } from '../decision/sizing.js';
import type { Alternative, DeploymentConfig, Strategy } from '../types.js';
import { SIZE_ALLOWLIST, type LlmAnswer } from './answer.js';
import { llmEngine } from './config.js';

export interface GuardrailInput {
  engine: DecideOutput;
  answer: LlmAnswer;
  model: string;
  /** Strategies the model was allowed to choose. */
  feasible: readonly Strategy[];
  facts: DecisionFacts;
  region: string;
  traffic: Traffic;
}

export type Guarded =
  | { ok: true; out: DecideOutput; adjusted: string[] }
  | { ok: false; reason: string };

const money = (n: number): string => `$${n.toFixed(2)}`;

/** Why a strategy is not open to the model, in the engine's words. */
function notOpen(s: Strategy, g: GuardrailInput): string {
  if (deniedStrategies(g.facts.policies).has(s)) return `denied by policy deny-strategy:${s}`;
  const ex = g.engine.feasibility.excluded[s];
  if (ex) return `cannot work: ${ex.reason}`;
  return `the claim requests spec.strategy ${g.feasible.join(', ')}`;
}

/** The engine's sizing for the strategy with the answer's allowlisted fields, clamped; notes say what was changed. */
export function clampConfig(strategy: Strategy, base: DeploymentConfig, proposed: LlmAnswer['config'], g: Pick<GuardrailInput, 'facts' | 'engine'>): { config: DeploymentConfig; adjusted: string[] } {
  const { facts } = g;
  const adjusted: string[] = [];
  const config: DeploymentConfig = { ...base };
  const single = g.engine.feasibility.singleInstance !== undefined;
  const countCap = single ? 1 : Math.min(SIZE_ALLOWLIST.replicas.max, facts.maxReplicas ?? Infinity);
  const instanceCap = Math.min(SIZE_ALLOWLIST.instances.max, countCap);
  const nodeCap = Math.min(SIZE_ALLOWLIST.nodes.max, facts.maxNodes ?? Infinity);
  const floor = Math.min(isHighlyAvailable(facts) ? 2 : 1, countCap);
  const capWhy = single ? 'single instance: local state' : facts.maxReplicas !== undefined ? 'max-replicas policy or quotas.maxInstances' : 'allowlist';

  const count = (field: 'minInstances' | 'maxInstances' | 'replicas' | 'nodeCount', lo: number, hi: number, why: string) => {
    const v = proposed[field];
    if (v === undefined) return;
    const c = Math.max(lo, Math.min(hi, v));
    if (c !== v) adjusted.push(`${field} ${v} → ${c} (${v > hi ? why : 'minimum'})`);
    config[field] = c;
  };
  const oneOf = <T extends string | number>(field: 'instanceType' | 'cpu' | 'memoryMb', allowed: readonly T[]) => {
    const v = proposed[field] as T | undefined;
    if (v === undefined) return;
    if (allowed.includes(v)) (config as unknown as Record<string, T>)[field] = v;
    else adjusted.push(`${field} ${JSON.stringify(v)} not in the catalog, kept ${JSON.stringify(base[field])}`);
  };

  if (strategy === 'vm') {
    oneOf('instanceType', INSTANCE_LADDER[facts.cloud]);
    count('minInstances', floor, instanceCap, capWhy);
    count('maxInstances', floor, instanceCap, capWhy);
    if ((config.maxInstances ?? 1) < (config.minInstances ?? 1)) config.maxInstances = config.minInstances;
  } else if (strategy === 'kubernetes') {
    oneOf('instanceType', INSTANCE_LADDER[facts.cloud]);
    count('nodeCount', Math.min(floor, nodeCap), nodeCap, facts.maxNodes !== undefined ? 'quotas.maxNodes' : 'allowlist');
    count('replicas', floor, countCap, capWhy);
    oneOf('cpu', SIZE_ALLOWLIST.cpu);
    oneOf('memoryMb', SIZE_ALLOWLIST.memoryMb);
  } else {
    oneOf('memoryMb', SIZE_ALLOWLIST.memoryMb);
  }
  return { config, adjusted };
}

export function applyGuardrails(g: GuardrailInput): Guarded {
  const { engine, answer, facts } = g;
  const strategy = answer.strategy;
  if (!g.feasible.includes(strategy)) return { ok: false, reason: `infeasible strategy "${strategy}": ${notOpen(strategy, g)}` };
  const candidate = engine.candidates.find((c) => c.strategy === strategy) as ScoredStrategy;
  const { config, adjusted } = clampConfig(strategy, candidate.decision, answer.config, g);
  const cost = estimateCost({ cloud: facts.cloud, region: g.region, strategy, config, policies: facts.policies, traffic: g.traffic, ...(facts.prebuiltImage ? { prebuiltImage: true } : {}) });

  const limit = facts.budget.limit;
  const mine = cost.estimatedMonthly;
  const theirs = engine.cost.estimatedMonthly;
  if (limit !== undefined && mine > limit && (theirs <= limit || mine > theirs)) {
    const where = theirs <= limit ? `the engine's ${engine.decision.strategy} fits at ${money(theirs)}` : `the engine's ${engine.decision.strategy} costs less (${money(theirs)})`;
    return { ok: false, reason: `over budget: ${strategy} at ${money(mine)}/month against the ${money(limit)} limit (${facts.budget.source ?? 'budget'}), where ${where}` };
  }

  const agrees = strategy === engine.decision.strategy;
  const confidence = agrees ? engine.decision.confidence : Math.round(Math.min(answer.confidence, engine.decision.confidence) * 100) / 100;
  const positive = candidate.hits.filter((h) => (h.points[strategy] ?? 0) > 0).map((h) => h.reason);
  const budgetNote = limit !== undefined ? `${money(mine)}/month ${mine > limit ? 'exceeds' : 'within'} the ${money(limit)} budget` : `${money(mine)}/month`;
  const reason = [
    `${strategy}: proposed by ${llmEngine(g.model)}, checked against the engine's feasibility, catalog, quotas and budget`,
    ...(positive.length ? positive : []),
    ...(agrees ? [] : [`rules/v2 would choose ${engine.decision.strategy}`]),
    budgetNote,
  ].join('; ');
  const alternatives: Alternative[] = [
    ...(agrees ? [] : [{ strategy: engine.decision.strategy, reason: `the engine's pick: ${engine.decision.reason}`, estimatedMonthly: theirs }]),
    ...engine.decision.alternatives.filter((a) => a.strategy !== strategy && a.strategy !== engine.decision.strategy),
  ];
  const decision = { strategy, confidence, reason, alternatives, config, engine: llmEngine(g.model) };
  const violations = policyViolations(decision, facts.policies);
  if (violations.length) return { ok: false, reason: `policy: ${violations.join('; ')}` };
  return { ok: true, out: { ...engine, decision, cost }, adjusted };
}
