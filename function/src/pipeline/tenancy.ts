// Tenancy: a Deployment uses a CloudProvider of its own namespace only, and every cloud resource it
// composes names that CloudProvider's ProviderConfig (composed by the XCloudProvider Composition,
// compositions/kcl/cloudprovider.k, named like the XCloudProvider).
import type { Obj } from '../../../lib/obj.js';
import { claimNamespace, get, type RenderContext } from './context.js';
import { StageError } from './result.js';

/** The ProviderConfig a CloudProvider composes: status.providerConfigName, or its XR name before the status is written. */
export function providerConfigName(cloudProvider: Obj): string | undefined {
  const s = get(cloudProvider, 'status', 'providerConfigName') ?? get(cloudProvider, 'metadata', 'name');
  return typeof s === 'string' && s ? s : undefined;
}

/** Throws (a Fatal naming spec.cloudProvider) unless the CloudProvider belongs to the Deployment's namespace. */
export function checkSameNamespace(xr: Obj, cloudProvider: Obj, name: string): void {
  const mine = claimNamespace(xr);
  const theirs = claimNamespace(cloudProvider);
  if (mine === theirs) return;
  const where = (ns: string | undefined) => (ns ? `namespace ${ns}` : 'no namespace');
  throw new StageError(
    'cloudProvider',
    `spec.cloudProvider: CloudProvider "${name}" belongs to ${where(theirs)}, the Deployment to ${where(mine)}: a Deployment can only use a CloudProvider of its own namespace`,
  );
}

/**
 * The ProviderConfig to pass down to the XInfrastructure: the found CloudProvider's when it is the
 * Deployment's own; otherwise (not looked up yet, or refused) the one the observed XInfrastructure
 * already names, so that a failing render never moves resources to other credentials.
 */
export function providerConfigFor(ctx: RenderContext, infraName: string): string | undefined {
  const lookup = ctx.req.cloudProvider;
  if (lookup.state === 'found' && claimNamespace(lookup.resource) === claimNamespace(ctx.req.xr)) return providerConfigName(lookup.resource);
  const observed = get(ctx.req.observed[infraName]?.resource, 'spec', 'providerConfigName');
  return typeof observed === 'string' && observed ? observed : undefined;
}
