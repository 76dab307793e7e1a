// Budget enforcement: compares the estimate with every ceiling that applies (claim budget, a price
// stated in the prompt, the CloudProvider's per-deployment quota) and says what to do.
import type { CloudProviderSpec, DeploymentSpec } from '../api/claim.js';

export interface BudgetVerdict {
  /** The tightest ceiling, and where it came from; undefined when no ceiling applies. */
  limit?: number;
  limitSource?: string;
  mode: 'soft' | 'hard';
  withinBudget: boolean;
  /** True when the estimate passes the alert threshold but not the limit. */
  nearLimit: boolean;
  message: string;
}

export function effectiveBudget(
  spec: DeploymentSpec,
  provider: CloudProviderSpec,
  statedInPrompt?: number,
): { limit?: number; source?: string } {
  const ceilings: Array<[number, string]> = [];
  if (spec.budget) ceilings.push([spec.budget.maxMonthlyCost, 'spec.budget.maxMonthlyCost']);
  if (statedInPrompt !== undefined) ceilings.push([statedInPrompt, 'spec.prompt']);
  const quota = provider.quotas.maxMonthlyCostPerDeployment;
  if (quota !== undefined) ceilings.push([quota, 'CloudProvider spec.quotas.maxMonthlyCostPerDeployment']);
  ceilings.sort((a, b) => a[0] - b[0]);
  const tightest = ceilings[0];
  return tightest ? { limit: tightest[0], source: tightest[1] } : {};
}

export function checkBudget(
  estimate: number,
  spec: DeploymentSpec,
  provider: CloudProviderSpec,
  statedInPrompt?: number,
): BudgetVerdict {
  const { limit, source } = effectiveBudget(spec, provider, statedInPrompt);
  // A quota set by the platform team is never soft: the app team cannot waive it.
  const mode = source?.startsWith('CloudProvider') ? 'hard' : (spec.budget?.enforcementMode ?? 'soft');
  if (limit === undefined) {
    return { mode, withinBudget: true, nearLimit: false, message: `no budget set; estimated $${estimate.toFixed(2)}/month` };
  }
  const threshold = spec.budget?.alertThreshold ?? provider.costControl.alertThreshold ?? 0.8;
  const withinBudget = estimate <= limit;
  const nearLimit = withinBudget && estimate >= threshold * limit;
  const pct = Math.round((estimate / limit) * 100);
  const message = withinBudget
    ? `estimated $${estimate.toFixed(2)}/month is ${pct}% of the $${limit.toFixed(2)} limit (${source})`
    : `estimated $${estimate.toFixed(2)}/month exceeds the $${limit.toFixed(2)} limit (${source}) by $${(estimate - limit).toFixed(2)}`;
  return { limit, limitSource: source, mode, withinBudget, nearLimit, message };
}
