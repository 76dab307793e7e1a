// The decision pipeline, independent of gRPC, as its list of stages: provider → pin (reuse?) →
// analyse → retrieve → decide → advise (the LLM, when on) → enforce → compose (→ status).
// Repository access, retrieval and the model are injected; each stage is a function from its input
// to the next stage's input or a finished result (Done). A stage that throws StageError ends in a
// Fatal naming it, or keeps the pin with a Warning. Never returns fewer composed resources than the
// pin implies, nor drops an observed one without a trusted pin (observed.ts).
import { advise } from './advise.js';
import { analyse } from './analyse.js';
import { composeDecision, propose } from './compose.js';
import { get, renderContext, type PipelineDeps, type PipelineRequest, type RenderContext } from './context.js';
import { decide } from './decide.js';
import { enforceBudget } from './enforce.js';
import { keepObserved } from './observed.js';
import { holdPin, stageFailed } from './pin.js';
import { CLOUD_PROVIDER_KEY, cloudProviderSelector, readClaimFacts } from './provider.js';
import { isDone, StageError, type PipelineResult } from './result.js';
import { retrieve } from './retrieve.js';

export type { CloudProviderLookup, ObservedResource, PipelineDeps, PipelineRequest } from './context.js';
export type { Cond, DecisionReport, PipelineResult, Res, ResourceSelector } from './result.js';
export { CLOUD_PROVIDER_KEY, cloudProviderSelector } from './provider.js';

/**
 * Runs the pipeline and states the CloudProvider requirement on every response: Crossplane re-runs a
 * function until its requirements stop changing, so dropping a satisfied requirement never settles.
 */
export async function runPipeline(req: PipelineRequest, deps: PipelineDeps): Promise<PipelineResult> {
  const ctx = renderContext(req, deps);
  const result = keepObserved(
    ctx,
    await stages(ctx).catch((e: unknown) =>
      e instanceof StageError ? stageFailed(ctx, e.stage, e.message) : stageFailed(ctx, 'internal', e instanceof Error ? e.message : String(e)),
    ),
  );
  const name = get(req.xr, 'spec', 'cloudProvider');
  if (typeof name === 'string' && name) result.requirements = { [CLOUD_PROVIDER_KEY]: cloudProviderSelector(req.xr, name) };
  return result;
}

async function stages(ctx: RenderContext): Promise<PipelineResult> {
  const facts = readClaimFacts(ctx);
  if (isDone(facts)) return facts.done;
  const pin = await holdPin(ctx, facts);
  if (isDone(pin)) return pin.done;
  const analysed = await analyse(ctx, facts, pin.branchMoved);
  if (isDone(analysed)) return analysed.done;
  const retrieved = await retrieve(ctx, facts, analysed.analysis);
  const engine = decide(facts, analysed.analysis, retrieved);
  const advised = await advise(ctx, facts, analysed.analysis, retrieved, engine);
  const proposal = propose(facts, analysed.analysis, retrieved, advised.out);
  const earlier = [...analysed.results, ...retrieved.results, ...advised.results];
  const verdict = enforceBudget(ctx, facts, proposal, earlier);
  if (isDone(verdict)) return verdict.done;
  return composeDecision(ctx, facts, proposal, verdict, earlier, retrieved.avoid);
}
