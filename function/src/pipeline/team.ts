// The team's other Deployments, asked of Crossplane as required resources: every XDeployment of the
// claim's namespace (label crossplane.io/claim-namespace), only when the CloudProvider sets a team
// budget. Their pinned estimates on the same CloudProvider are what the team budget sums.
import type { CloudProviderSpec } from '../api/claim.js';
import { hasTeamBudget, type TeamSpend } from '../decision/team-budget.js';
import { SCAI_API_VERSION } from '../../../lib/domain.js';
import type { Obj } from '../../../lib/obj.js';
import { claimNamespace, get } from './context.js';
import type { ResourceSelector } from './result.js';

/** Key of the team's Deployments in the function's required resources. */
export const TEAM_DEPLOYMENTS_KEY = 'team-deployments';

export type TeamLookup = { state: 'pending' } | { state: 'found'; items: Obj[] };

/** The selector of the team's Deployments; undefined when there is no team (no claim namespace) or no team budget. */
export function teamSelector(xr: Obj, provider: CloudProviderSpec | undefined): ResourceSelector | undefined {
  const ns = claimNamespace(xr);
  if (!ns || !provider || !hasTeamBudget(provider)) return undefined;
  return { apiVersion: SCAI_API_VERSION, kind: 'XDeployment', matchLabels: { 'crossplane.io/claim-namespace': ns } };
}

/** The pinned estimates of the other Deployments of the XR's namespace that use the same CloudProvider. */
export function pinnedTeamSpend(xr: Obj, items: Obj[], cloudProvider: string): TeamSpend[] {
  const self = get(xr, 'metadata', 'name');
  const ns = claimNamespace(xr);
  const out: TeamSpend[] = [];
  for (const d of items) {
    if (get(d, 'metadata', 'name') === self || claimNamespace(d) !== ns || get(d, 'spec', 'cloudProvider') !== cloudProvider) continue;
    // Only a pinned decision counts: a refused or undecided Deployment composes nothing.
    const monthly = get(d, 'status', 'cost', 'estimatedMonthly');
    if (!get(d, 'status', 'decision', 'inputsHash') || typeof monthly !== 'number' || !Number.isFinite(monthly)) continue;
    const name = get(d, 'spec', 'claimRef', 'name') ?? get(d, 'metadata', 'name');
    out.push({ name: String(name), monthly });
  }
  return out;
}
