// Stage "decide": the rules engine over the facts the earlier stages gathered, then the claim's
// policies checked against its answer. Pure.
import { decide as decideWithRules, DecisionError, type DecideOutput } from '../decision/decide.js';
import { appWeight, type DecisionFacts } from '../decision/facts.js';
import { maxReplicasPolicy, policyViolations } from '../decision/policy.js';
import type { Analysis } from '../types.js';
import type { ClaimFacts } from './provider.js';
import { StageError } from './result.js';
import type { Retrieved } from './retrieve.js';

export function decisionFacts(facts: ClaimFacts, analysis: Analysis, retrieved: Retrieved): DecisionFacts {
  const { spec, provider } = facts;
  const caps = [maxReplicasPolicy(spec.policies), provider.quotas.maxInstances].filter((n): n is number => n !== undefined);
  return {
    analysis,
    intent: facts.intent,
    cloud: provider.type,
    policies: spec.policies,
    neighbors: [...retrieved.neighbors, ...retrieved.avoid],
    weight: appWeight(analysis),
    budget: facts.budget,
    ...(caps.length ? { maxReplicas: Math.min(...caps) } : {}),
    ...(provider.quotas.maxNodes !== undefined ? { maxNodes: provider.quotas.maxNodes } : {}),
    ...(spec.image ? { prebuiltImage: true } : {}),
  };
}

export function decide(facts: ClaimFacts, analysis: Analysis, retrieved: Retrieved): DecideOutput {
  let out: DecideOutput;
  try {
    out = decideWithRules({ facts: decisionFacts(facts, analysis, retrieved), requested: facts.spec.strategy, region: facts.region, traffic: facts.settings.traffic });
  } catch (e) {
    if (e instanceof DecisionError) throw new StageError('decide', e.message);
    throw e;
  }
  const violations = policyViolations(out.decision, facts.spec.policies);
  if (violations.length) throw new StageError('policy', violations.join('; '));
  return out;
}
