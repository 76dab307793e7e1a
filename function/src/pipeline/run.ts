// The decision pipeline, independent of gRPC, as its list of stages: provider → rollback → pin (reuse?) →
// analyse → retrieve → decide → advise (the LLM, when on) → enforce → compose (→ status).
// Repository access, retrieval and the model are injected; each stage is a function from its input
// to the next stage's input or a finished result (Done). A stage that throws StageError ends in a
// Fatal naming it, or keeps the pin with a Warning. Never returns fewer composed resources than the
// pin implies, nor drops an observed one without a trusted pin (observed.ts).
import { attribute, recordRender, timedStage } from '../metrics/render.js';
import { advise as adviseStage } from './advise.js';
import { analyse as analyseStage } from './analyse.js';
import { composeDecision as composeStage, propose } from './compose.js';
import { renderContext, type PipelineDeps, type PipelineRequest, type RenderContext } from './context.js';
import { decide as decideStage } from './decide.js';
import { enforceBudget as enforceStage } from './enforce.js';
import { keepObserved } from './observed.js';
import { holdPin as pinStage, stageFailed } from './pin.js';
import { readClaimFacts as providerStage, requirements } from './provider.js';
import { isDone, StageError, type PipelineResult } from './result.js';
import { retrieve as retrieveStage } from './retrieve.js';
import { rollBack as rollBackStage } from './rollback.js';

export type { CloudProviderLookup, ObservedResource, PipelineDeps, PipelineRequest } from './context.js';
export type { Cond, DecisionReport, PipelineResult, Res, ResourceSelector } from './result.js';
export { CLOUD_PROVIDER_KEY, cloudProviderSelector } from './provider.js';
export { TEAM_DEPLOYMENTS_KEY, type TeamLookup } from './team.js';

// Each stage timed into scai_render_duration_seconds{stage} (metrics/render.ts); stages() reads as the list.
const readClaimFacts = timedStage('provider', providerStage);
const rollBack = timedStage('rollback', rollBackStage);
const holdPin = timedStage('pin', pinStage);
const analyse = timedStage('analyse', analyseStage);
const retrieve = timedStage('retrieve', retrieveStage);
const decide = timedStage('decide', decideStage);
const advise = timedStage('advise', adviseStage);
const enforceBudget = timedStage('enforce', enforceStage);
const composeDecision = timedStage('compose', composeStage);

/**
 * Runs the pipeline and states its requirements (the CloudProvider, the team's Deployments: provider.ts) on every response: Crossplane re-runs a
 * function until its requirements stop changing, so dropping a satisfied requirement never settles.
 */
export async function runPipeline(req: PipelineRequest, deps: PipelineDeps): Promise<PipelineResult> {
  const t0 = performance.now();
  const ctx = renderContext(req, deps);
  attribute(ctx.baseResults, 'pin');
  const result = keepObserved(
    ctx,
    await stages(ctx).catch((e: unknown) => {
      const failed = e instanceof StageError ? stageFailed(ctx, e.stage, e.message) : stageFailed(ctx, 'internal', e instanceof Error ? e.message : String(e));
      attribute(failed.results, e instanceof StageError ? e.stage : 'internal');
      return failed;
    }),
  );
  attribute(result.results, 'observed');
  const wanted = requirements(req);
  if (wanted) result.requirements = wanted;
  recordRender(result, t0);
  return result;
}

async function stages(ctx: RenderContext): Promise<PipelineResult> {
  const facts = readClaimFacts(ctx);
  if (isDone(facts)) return facts.done;
  const rolledBack = rollBack(ctx, facts);
  if (rolledBack) return rolledBack.done;
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
