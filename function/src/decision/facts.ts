// The inputs every decision rule reads, gathered once so rules stay one-liners.
import type { Analysis, Cloud, Neighbor } from '../types.js';
import type { BudgetLimit } from './budget.js';
import type { Intent } from './intent.js';

export type Weight = 'light' | 'medium' | 'heavy';

export interface DecisionFacts {
  analysis: Analysis;
  intent: Intent;
  cloud: Cloud;
  policies: readonly string[];
  /** The render's one budget: the tightest of spec.budget, a price in the prompt and the provider's quota. */
  budget: BudgetLimit;
  neighbors: readonly Neighbor[];
  weight: Weight;
  /** Cap on instances/replicas from policies (max-replicas:N) and CloudProvider quotas. */
  maxReplicas?: number;
  maxNodes?: number;
  /** The claim names a prebuilt image: nothing is built (no build minutes, no registry of ours). */
  prebuiltImage?: boolean;
}

const MEDIUM_FRAMEWORKS = new Set(['django', 'rails', 'nextjs']);

export function appWeight(a: Analysis): Weight {
  const deps = a.dependencies.length;
  if (deps > 40 || (a.stateful.length >= 2 && a.backgroundJobs.length > 0)) return 'heavy';
  if (deps > 15 || (a.framework !== null && MEDIUM_FRAMEWORKS.has(a.framework))) return 'medium';
  return 'light';
}
