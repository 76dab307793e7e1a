// Stage "provider": the claim's spec and the function input parsed, the CloudProvider (a required
// resource) found and parsed, and what every later stage reads from them: region, intent, budget.
import { cloudProviderSpecSchema, deploymentSpecSchema, describeZodError, type CloudProviderSpec, type DeploymentSpec } from '../api/claim.js';
import type { FunctionSettings } from '../api/input.js';
import { budgetLimit, type BudgetLimit } from '../decision/budget.js';
import type { TeamSpend } from '../decision/team-budget.js';
import { parseIntent, type Intent } from '../decision/intent.js';
import { SCAI_API_VERSION } from '../../../lib/domain.js';
import type { Obj } from '../../../lib/obj.js';
import { claimNamespace, get, type PipelineRequest, type RenderContext } from './context.js';
import type { HashInputs } from './pinned.js';
import { keepPinned } from './pin.js';
import { StageError, type Done, type ResourceSelector } from './result.js';
import { pinnedTeamSpend, teamSelector, TEAM_DEPLOYMENTS_KEY } from './team.js';
import { checkSameNamespace } from './tenancy.js';

/** Key of the CloudProvider in the function's required resources. */
export const CLOUD_PROVIDER_KEY = 'cloudprovider';

/** Everything the claim and its CloudProvider establish, read once. */
export interface ClaimFacts {
  spec: DeploymentSpec;
  settings: FunctionSettings;
  provider: CloudProviderSpec;
  region: string;
  intent: Intent;
  budget: BudgetLimit;
  /** The pinned estimates of the team's other Deployments on this CloudProvider, when it sets a team budget. */
  teamSpend?: TeamSpend[];
  /** What the inputs hash covers, but the commit. */
  hashBase: Omit<HashInputs, 'commit'>;
}

/** Selects the CloudProvider named by the claim: its XR carries the claim's name and namespace labels. */
export function cloudProviderSelector(xr: Obj, name: string): ResourceSelector {
  const ns = claimNamespace(xr);
  if (ns) {
    return {
      apiVersion: SCAI_API_VERSION,
      kind: 'XCloudProvider',
      matchLabels: { 'crossplane.io/claim-name': name, 'crossplane.io/claim-namespace': ns },
    };
  }
  // An XDeployment created without a claim names an XCloudProvider directly.
  return { apiVersion: SCAI_API_VERSION, kind: 'XCloudProvider', matchName: name };
}

/**
 * What the function requires of Crossplane, stated on every response (Crossplane re-runs a function
 * until its requirements stop changing): the CloudProvider, and the team's Deployments once the
 * CloudProvider is found and sets a team budget.
 */
export function requirements(req: PipelineRequest): Record<string, ResourceSelector> | undefined {
  const name = get(req.xr, 'spec', 'cloudProvider');
  if (typeof name !== 'string' || !name) return undefined;
  const out: Record<string, ResourceSelector> = { [CLOUD_PROVIDER_KEY]: cloudProviderSelector(req.xr, name) };
  const cp = req.cloudProvider.state === 'found' ? cloudProviderSpecSchema.safeParse(get(req.cloudProvider.resource, 'spec') ?? {}) : undefined;
  const team = cp?.success ? teamSelector(req.xr, cp.data) : undefined;
  if (team) out[TEAM_DEPLOYMENTS_KEY] = team;
  return out;
}

export function readClaimFacts(ctx: RenderContext): ClaimFacts | Done {
  if (!ctx.settings.ok) throw new StageError('input', describeZodError('input', ctx.settings.error));
  const settings = ctx.settings.value;
  const specParse = deploymentSpecSchema.safeParse(get(ctx.req.xr, 'spec') ?? {});
  if (!specParse.success) throw new StageError('spec', describeZodError('spec', specParse.error));
  const spec = specParse.data;

  // The first call only asks for the CloudProvider; the pin, if any, stays composed meanwhile.
  const lookup = ctx.req.cloudProvider;
  const selector = cloudProviderSelector(ctx.req.xr, spec.cloudProvider);
  if (lookup.state === 'pending') {
    const keep = ctx.pinned ? keepPinned(ctx, ctx.pinned, { results: [], conditions: [], ttl: 0 }) : undefined;
    return { done: { requirements: { [CLOUD_PROVIDER_KEY]: selector }, resources: keep?.resources ?? {}, conditions: [], results: [], ttlSeconds: 0 } };
  }
  if (lookup.state === 'missing') {
    const where = selector.matchLabels ? ` in namespace ${selector.matchLabels['crossplane.io/claim-namespace']}` : '';
    throw new StageError('cloudProvider', `spec.cloudProvider: CloudProvider "${spec.cloudProvider}" not found${where} (a Deployment can only use a CloudProvider of its own namespace)`);
  }
  checkSameNamespace(ctx.req.xr, lookup.resource, spec.cloudProvider);
  const cpParse = cloudProviderSpecSchema.safeParse(get(lookup.resource, 'spec') ?? {});
  if (!cpParse.success) throw new StageError('cloudProvider', describeZodError(`CloudProvider ${spec.cloudProvider} spec`, cpParse.error));
  const provider = cpParse.data;
  // A team budget needs the team's Deployments: ask for them before any analysis.
  const team = teamSelector(ctx.req.xr, provider);
  const teamLookup = ctx.req.team ?? { state: 'pending' };
  if (team && teamLookup.state === 'pending') {
    const keep = ctx.pinned ? keepPinned(ctx, ctx.pinned, { results: [], conditions: [], ttl: 0 }) : undefined;
    return { done: { requirements: requirements(ctx.req), resources: keep?.resources ?? {}, conditions: [], results: [], ttlSeconds: 0 } };
  }
  const intent = parseIntent(spec.prompt);
  return {
    spec,
    settings,
    provider,
    region: spec.region ?? provider.defaultRegion,
    intent,
    budget: budgetLimit(spec, provider, intent.statedBudget),
    ...(team && teamLookup.state === 'found' ? { teamSpend: pinnedTeamSpend(ctx.req.xr, teamLookup.items, spec.cloudProvider) } : {}),
    hashBase: { spec, cloudProviderName: spec.cloudProvider, provider, settings },
  };
}
