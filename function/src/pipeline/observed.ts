// The last word of every render: never drop an observed composed resource because the pin is
// unreadable (missing, invalid or edited). Without a trusted pin scai cannot tell whether replacing
// it was asked for, so it keeps composing it as observed and says so, until a human acts: deleting
// the kept XInfrastructure lets it go; restoring status.decision makes it the pin again.
import type { Obj } from '../../../lib/obj.js';
import { get, objectOr, type RenderContext } from './context.js';
import type { PipelineResult } from './result.js';

/** A composed resource as it is observed, reduced to what may be desired again (no status, no server fields). */
function asDesired(observed: Obj): Obj {
  const metadata = objectOr(observed.metadata);
  const kept: Obj = {};
  for (const k of ['labels', 'annotations'] as const) if (metadata[k]) kept[k] = metadata[k];
  return { apiVersion: observed.apiVersion, kind: observed.kind, metadata: kept, spec: objectOr(observed.spec) };
}

export function keepObserved(ctx: RenderContext, result: PipelineResult): PipelineResult {
  if (ctx.pinned || result.results.some((r) => r.severity === 'fatal')) return result;
  const dropped = ctx.ownedObserved.filter((name) => !result.resources[name]);
  if (dropped.length === 0) return result;
  const resources = { ...result.resources };
  const results = [...result.results];
  for (const name of dropped) {
    const observed = ctx.req.observed[name]?.resource ?? {};
    resources[name] = { resource: asDesired(observed) };
    const external = String(get(observed, 'metadata', 'name') ?? name);
    results.push({
      severity: 'warning',
      reason: 'KeptObservedResource',
      message: `kept ${name} (${String(observed.kind)} ${external}) as observed: status.decision is not a trusted pin, so replacing it was not asked for; to let it go, delete it (kubectl delete ${String(observed.kind).toLowerCase()} ${external}) or restore status.decision`,
    });
  }
  return { ...result, resources, results };
}
