// What the controller's informer cache says about every team's deployments, summed per team (the
// claim's namespace) for the scai_team_* gauges, read when Prometheus scrapes. Pure. A team is a
// bounded label (one per onboarded namespace); deployment names never become labels.
import { condition, decisionHash, feedback, isDeleting, type XR } from './xr.js';

export interface TeamTotals {
  deployments: number;
  /** Σ status.cost.estimatedMonthly, split by whether an actual cost is known for the deployment. */
  estimated: { measured: number; unmeasured: number };
  /** Σ status.cost.actualThisMonth (month to date) of the deployments that have one. */
  actual: number;
  /** Σ spec.budget.maxMonthlyCost of the deployments that set one. */
  budget: number;
  /** Σ over those deployments of budget − max(estimate, actual): negative once one is over. */
  headroom: number;
  /** Deployments whose BudgetOK condition (written by function-scai) says NearLimit or OverBudget. */
  budgetAlerts: { NearLimit: number; OverBudget: number };
  /** Deployments carrying a valid scai.io/feedback vote. */
  feedback: { up: number; down: number };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The team of an XR: its claim's namespace; "none" for an XR made without a claim. */
export function teamOf(xr: XR): string {
  const ns = xr.spec?.claimRef?.namespace ?? xr.metadata.labels?.['crossplane.io/claim-namespace'];
  return typeof ns === 'string' && ns ? ns : 'none';
}

const empty = (): TeamTotals => ({
  deployments: 0,
  estimated: { measured: 0, unmeasured: 0 },
  actual: 0,
  budget: 0,
  headroom: 0,
  budgetAlerts: { NearLimit: 0, OverBudget: 0 },
  feedback: { up: 0, down: 0 },
});

/** Totals per team over the decided deployments that are not being deleted. */
export function teamTotals(xrs: readonly XR[]): Map<string, TeamTotals> {
  const out = new Map<string, TeamTotals>();
  for (const xr of xrs) {
    if (!decisionHash(xr) || isDeleting(xr)) continue;
    const team = teamOf(xr);
    let t = out.get(team);
    if (!t) out.set(team, (t = empty()));
    t.deployments++;
    const estimate = num(xr.status?.cost?.estimatedMonthly) ?? 0;
    const actual = num(xr.status?.cost?.actualThisMonth);
    if (actual === undefined) t.estimated.unmeasured += estimate;
    else {
      t.estimated.measured += estimate;
      t.actual += actual;
    }
    const budget = num((xr.spec?.budget as { maxMonthlyCost?: unknown } | undefined)?.maxMonthlyCost);
    if (budget !== undefined) {
      t.budget += budget;
      t.headroom += budget - Math.max(estimate, actual ?? 0);
    }
    const reason = condition(xr, 'BudgetOK')?.reason;
    if (reason === 'NearLimit' || reason === 'OverBudget') t.budgetAlerts[reason]++;
    const fb = feedback(xr);
    if (fb && 'value' in fb) t.feedback[fb.value > 0 ? 'up' : 'down']++;
  }
  return out;
}
