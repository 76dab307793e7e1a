// Budget: the one monthly ceiling that applies to a decision (claim budget, a price stated in the
// prompt, the CloudProvider's per-deployment quota: the tightest wins), computed once per render,
// and the verdict on an estimate against it.
import type { CloudProviderSpec, DeploymentSpec } from '../api/claim.js';

/** Fraction of the limit at which an estimate is "near" it, when neither claim nor provider says. */
export const DEFAULT_ALERT_THRESHOLD = 0.8;

export interface BudgetLimit {
  /** The tightest ceiling in USD/month; undefined when none applies. */
  limit?: number;
  /** The field it came from, quoted in messages. */
  source?: string;
  mode: 'soft' | 'hard';
  /** Fraction of the limit from which an estimate is reported as near it. */
  threshold: number;
}

export interface BudgetVerdict {
  limit?: number;
  limitSource?: string;
  mode: 'soft' | 'hard';
  withinBudget: boolean;
  /** True when the estimate passes the alert threshold but not the limit. */
  nearLimit: boolean;
  message: string;
}

export function budgetLimit(spec: DeploymentSpec, provider: CloudProviderSpec, statedInPrompt?: number): BudgetLimit {
  const ceilings: Array<[number, string]> = [];
  if (spec.budget) ceilings.push([spec.budget.maxMonthlyCost, 'spec.budget.maxMonthlyCost']);
  if (statedInPrompt !== undefined) ceilings.push([statedInPrompt, 'spec.prompt']);
  const quota = provider.quotas.maxMonthlyCostPerDeployment;
  if (quota !== undefined) ceilings.push([quota, 'CloudProvider spec.quotas.maxMonthlyCostPerDeployment']);
  ceilings.sort((a, b) => a[0] - b[0]);
  const tightest = ceilings[0];
  // A quota set by the platform team is never soft: the app team cannot waive it.
  const mode = tightest?.[1].startsWith('CloudProvider') ? 'hard' : (spec.budget?.enforcementMode ?? 'soft');
  const threshold = spec.budget?.alertThreshold ?? provider.costControl.alertThreshold ?? DEFAULT_ALERT_THRESHOLD;
  return { ...(tightest ? { limit: tightest[0], source: tightest[1] } : {}), mode, threshold };
}

export function checkBudget(estimate: number, budget: BudgetLimit): BudgetVerdict {
  const { limit, source, mode, threshold } = budget;
  if (limit === undefined) {
    return { mode, withinBudget: true, nearLimit: false, message: `no budget set; estimated $${estimate.toFixed(2)}/month` };
  }
  const withinBudget = estimate <= limit;
  const nearLimit = withinBudget && estimate >= threshold * limit;
  const pct = Math.round((estimate / limit) * 100);
  const message = withinBudget
    ? `estimated $${estimate.toFixed(2)}/month is ${pct}% of the $${limit.toFixed(2)} limit (${source})`
    : `estimated $${estimate.toFixed(2)}/month exceeds the $${limit.toFixed(2)} limit (${source}) by $${(estimate - limit).toFixed(2)}`;
  return { limit, ...(source ? { limitSource: source } : {}), mode, withinBudget, nearLimit, message };
}
