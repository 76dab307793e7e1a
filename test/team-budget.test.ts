// Team budget (CloudProvider spec.costControl.monthlyBudget): the pure check, which Deployments
// count, and the function asking Crossplane for the team's Deployments and refusing / warning.
import { Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { cloudProviderSpecSchema } from '../function/src/api/claim.js';
import { claimToXr } from '../function/src/cli/claims.js';
import { checkTeamBudget } from '../function/src/decision/team-budget.js';
import { runFunction } from '../function/src/handler.js';
import { pinnedTeamSpend, TEAM_DEPLOYMENTS_KEY } from '../function/src/pipeline/team.js';
import { claim, cloudProvider, countingSource, desiredResources, desiredStatus, NOW, request } from './helpers/fn.js';
import type { LooseObj as Obj } from '../lib/obj.js';

const provider = (costControl: Obj) => cloudProviderSpecSchema.parse({ type: 'aws', defaultRegion: 'us-east-1', costControl });

describe('checkTeamBudget', () => {
  it('none without a team budget', () => {
    expect(checkTeamBudget(100, [{ name: 'a', monthly: 50 }], provider({ alertThreshold: 0.5 }), 'namespace team-a')).toBeUndefined();
  });
  it('sums this decision and the pinned estimates, with the numbers in the message', () => {
    const v = checkTeamBudget(120, [{ name: 'b', monthly: 200 }, { name: 'a', monthly: 150 }], provider({ monthlyBudget: 400 }), 'namespace team-a')!;
    expect(v).toMatchObject({ budget: 400, mode: 'hard', total: 470, withinBudget: false });
    expect(v.message).toBe(
      'team budget: $120.00/month for this decision + $350.00/month pinned by 2 other Deployment(s) of namespace team-a (a $150.00, b $200.00) = $470.00/month exceeds the $400.00 team budget (CloudProvider spec.costControl.monthlyBudget) by $70.00',
    );
  });
  it('near from alertThreshold (default 0.8), soft when asked', () => {
    expect(checkTeamBudget(30, [{ name: 'a', monthly: 50 }], provider({ monthlyBudget: 100 }), 'ns')).toMatchObject({ withinBudget: true, nearLimit: true });
    expect(checkTeamBudget(30, [{ name: 'a', monthly: 50 }], provider({ monthlyBudget: 100, alertThreshold: 0.9 }), 'ns')).toMatchObject({ withinBudget: true, nearLimit: false });
    expect(checkTeamBudget(30, [], provider({ monthlyBudget: 10, enforcementMode: 'soft' }), 'ns')).toMatchObject({ withinBudget: false, mode: 'soft' });
  });
});

/** Another Deployment of team-a as Crossplane lists it (its XR), pinned at `monthly` unless `pinned` is false. */
function teammate(name: string, monthly: number, o: { cloudProvider?: string; namespace?: string; pinned?: boolean } = {}): Obj {
  const c = claim({ cloudProvider: o.cloudProvider ?? 'aws-team-a' }, name);
  c.metadata.namespace = o.namespace ?? 'team-a';
  const xr = claimToXr(c);
  return { ...xr, status: { cost: { estimatedMonthly: monthly }, ...(o.pinned === false ? { phase: 'BudgetExceeded' } : { decision: { inputsHash: `h-${name}` } }) } };
}

describe('pinnedTeamSpend', () => {
  it('counts the pinned Deployments of the same namespace on the same CloudProvider, never the Deployment itself', () => {
    const self = claimToXr(claim());
    const items = [teammate('web', 999), teammate('api', 40), teammate('jobs', 25.5), teammate('other-cp', 70, { cloudProvider: 'gcp-team-a' }), teammate('refused', 90, { pinned: false }), teammate('b-app', 80, { namespace: 'team-b' })];
    expect(pinnedTeamSpend(self, items, 'aws-team-a')).toEqual([{ name: 'api', monthly: 40 }, { name: 'jobs', monthly: 25.5 }]);
  });
});

const fatal = (rsp: RunFunctionResponse) => rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL);
const warning = (rsp: RunFunctionResponse, reason: string) => rsp.results.find((r) => r.severity === Severity.SEVERITY_WARNING && r.reason === reason)?.message;

/** A request whose required resources include the team's Deployments (as Crossplane fills them once asked). */
function withTeam(o: Parameters<typeof request>[0], items: Obj[] | 'pending') {
  const req = request(o);
  if (items !== 'pending') req.requiredResources[TEAM_DEPLOYMENTS_KEY] = { items: items.map((resource) => ({ resource, connectionDetails: {}, ready: 0 })) };
  return req;
}

describe('the function enforces the team budget', () => {
  const xr = claimToXr(claim());
  let estimate = 0;
  const decideAlone = async () => {
    const { rsp } = await runFunction(request({ xr }), { repos: countingSource(), now: () => NOW });
    estimate = desiredStatus(rsp).cost.estimatedMonthly;
    return rsp;
  };
  const budgeted = (monthlyBudget: number, extra: Obj = {}) => cloudProvider({ costControl: { monthlyBudget, ...extra } });

  it("asks Crossplane for the team's Deployments (by namespace label) before analysing anything", async () => {
    const repos = countingSource();
    const { rsp } = await runFunction(withTeam({ xr, provider: budgeted(1000) }, 'pending'), { repos, now: () => NOW });
    expect(rsp.requirements?.resources[TEAM_DEPLOYMENTS_KEY]).toEqual({ apiVersion: 'scai.io/v1alpha1', kind: 'XDeployment', matchLabels: { labels: { 'crossplane.io/claim-namespace': 'team-a' } } });
    expect(rsp.requirements?.resources.cloudprovider).toBeDefined();
    expect([repos.loads, Object.keys(desiredResources(rsp)), fatal(rsp)]).toEqual([0, [], []]);
    // Without a team budget nothing more is asked.
    const plain = await runFunction(request({ xr }), { repos: countingSource(), now: () => NOW });
    expect(Object.keys(plain.rsp.requirements?.resources ?? {})).toEqual(['cloudprovider']);
  });

  it('hard: a new decision pushing the sum over the budget is refused with the sums; nothing composed', async () => {
    await decideAlone();
    const team = [teammate('api', 100), teammate('jobs', 50)];
    const budget = Math.floor(estimate + 150) - 1;
    const { rsp } = await runFunction(withTeam({ xr, provider: budgeted(budget) }, team), { repos: countingSource(), now: () => NOW });
    expect(desiredResources(rsp)).toEqual({});
    expect(desiredStatus(rsp).phase).toBe('BudgetExceeded');
    const total = estimate + 150;
    const msg = warning(rsp, 'BudgetExceeded')!;
    expect(msg).toContain(`$${estimate.toFixed(2)}/month for this decision + $150.00/month pinned by 2 other Deployment(s) of namespace team-a (api $100.00, jobs $50.00) = $${total.toFixed(2)}/month exceeds the $${budget.toFixed(2)} team budget`);
    expect(msg).toMatch(/decision is refused$/);
    expect(rsp.conditions.find((c) => c.type === 'BudgetOK')).toMatchObject({ reason: 'TeamOverBudget' });
  });

  it('within the budget it composes; near it (alertThreshold) or over a soft one it warns', async () => {
    await decideAlone();
    const team = [teammate('api', 100)];
    const ok = await runFunction(withTeam({ xr, provider: budgeted(10_000) }, team), { repos: countingSource(), now: () => NOW });
    expect(Object.keys(desiredResources(ok.rsp))).toHaveLength(1);
    expect(warning(ok.rsp, 'NearTeamBudget')).toBeUndefined();
    const near = await runFunction(withTeam({ xr, provider: budgeted(Math.ceil(estimate + 100) + 1, { alertThreshold: 0.5 }) }, team), { repos: countingSource(), now: () => NOW });
    expect(warning(near.rsp, 'NearTeamBudget')).toMatch(/^team budget: .* = \$[\d.]+\/month, \d+% of the \$[\d.]+ team budget/);
    const soft = await runFunction(withTeam({ xr, provider: budgeted(100, { enforcementMode: 'soft' }) }, team), { repos: countingSource(), now: () => NOW });
    expect(Object.keys(desiredResources(soft.rsp))).toHaveLength(1);
    expect(warning(soft.rsp, 'TeamOverBudget')).toMatch(/^soft team budget: .* exceeds the \$100\.00 team budget .* by \$/);
  });

  it('a pinned Deployment is never taken down: pinned renders pass, a changed decision over it keeps the pin', async () => {
    const first = await decideAlone();
    const status = desiredStatus(first);
    const pinnedRes = desiredResources(first);
    const team = [teammate('api', 100)];
    const pinned = await runFunction(withTeam({ xr, status, observed: pinnedRes, provider: budgeted(50) }, team), { repos: countingSource(), now: () => NOW });
    expect(desiredResources(pinned.rsp)).toEqual(pinnedRes);
    expect(pinned.rsp.conditions.find((c) => c.type === 'DecisionReady')?.reason).toBe('Pinned');
    const changed = claimToXr(claim({ prompt: 'now with spiky traffic' }));
    const kept = await runFunction(withTeam({ xr: changed, status, observed: pinnedRes, provider: budgeted(50) }, team), { repos: countingSource(), now: () => NOW });
    expect(desiredResources(kept.rsp)).toEqual(pinnedRes);
    expect(warning(kept.rsp, 'BudgetExceeded')).toMatch(/^hard team budget: .* exceeds the \$50\.00 team budget .*keeping the pinned decision$/);
  });
});
