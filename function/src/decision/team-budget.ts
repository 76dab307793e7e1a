// Team budget: a CloudProvider's costControl.monthlyBudget caps the sum of the monthly estimates of
// every Deployment of its namespace on it. A new or changed decision is checked with the pinned
// estimates of the others; pinned Deployments themselves are never re-checked (never taken down).
import type { CloudProviderSpec } from '../api/claim.js';
import { DEFAULT_ALERT_THRESHOLD } from './budget.js';

/** Where the team budget is set, quoted in messages. */
export const TEAM_BUDGET_FIELD = 'CloudProvider spec.costControl.monthlyBudget';

/** A Deployment's pinned monthly estimate. */
export interface TeamSpend {
  name: string;
  monthly: number;
}

export interface TeamBudgetVerdict {
  budget: number;
  mode: 'soft' | 'hard';
  /** The other Deployments' pinned estimates counted. */
  others: TeamSpend[];
  total: number;
  withinBudget: boolean;
  nearLimit: boolean;
  message: string;
}

export const hasTeamBudget = (provider: CloudProviderSpec): boolean => provider.costControl.monthlyBudget !== undefined;

const usd = (n: number): string => `$${n.toFixed(2)}`;

/** The verdict on `estimate` joining the team's pinned spend; undefined when the CloudProvider sets no team budget. */
export function checkTeamBudget(estimate: number, others: TeamSpend[], provider: CloudProviderSpec, team: string): TeamBudgetVerdict | undefined {
  const { monthlyBudget: budget, enforcementMode, alertThreshold } = provider.costControl;
  if (budget === undefined) return undefined;
  const mode = enforcementMode ?? 'hard';
  const sorted = [...others].sort((a, b) => a.name.localeCompare(b.name));
  const pinned = sorted.reduce((s, o) => s + o.monthly, 0);
  const total = estimate + pinned;
  const withinBudget = total <= budget;
  const nearLimit = withinBudget && total >= (alertThreshold ?? DEFAULT_ALERT_THRESHOLD) * budget;
  const listed = sorted.length ? ` (${sorted.map((o) => `${o.name} ${usd(o.monthly)}`).join(', ')})` : '';
  const sum = `${usd(estimate)}/month for this decision + ${usd(pinned)}/month pinned by ${sorted.length} other Deployment(s) of ${team}${listed} = ${usd(total)}/month`;
  const message = withinBudget
    ? `team budget: ${sum}, ${Math.round((total / budget) * 100)}% of the ${usd(budget)} team budget (${TEAM_BUDGET_FIELD})`
    : `team budget: ${sum} exceeds the ${usd(budget)} team budget (${TEAM_BUDGET_FIELD}) by ${usd(total - budget)}`;
  return { budget, mode, others: sorted, total, withinBudget, nearLimit, message };
}
