// Stage "pin": a decision is made once per spec and pinned in the XR status. While the inputs hash
// (and, with followBranch, the branch head) still match, the pin is composed again as it is, with
// no repository, retrieval or model I/O. Also how every failure keeps a pin instead of dropping it.
import type { Alternative, Neighbor } from '../types.js';
import { FULL_SHA } from '../repo/git.js';
import { estimateCost } from '../cost/estimate.js';
import { checkBudget } from '../decision/budget.js';
import { currentCommit } from './analyse.js';
import { composeFor, type ComposeTarget } from './compose.js';
import { objectOr, type RenderContext } from './context.js';
import { budgetCondition } from './enforce.js';
import { inputsHash, type Pinned } from './pinned.js';
import type { ClaimFacts } from './provider.js';
import { StageError, type Cond, type Done, type PipelineResult, type Res } from './result.js';
import { observedInfra, pinnedStatus, type Phase } from './status.js';

/** Composes exactly what the pin composes, with the status it already had plus what is observed now. */
export function keepPinned(ctx: RenderContext, p: Pinned, extra: { results: Res[]; conditions: Cond[]; ttl: number }): PipelineResult {
  const strategy = p.deployment.strategy;
  const composed = composeFor(ctx, {
    strategy,
    config: p.deployment.config,
    target: p.decision.target as ComposeTarget,
    inputsHash: p.decision.inputsHash,
    ...(p.decision.commit ? { commit: p.decision.commit } : {}),
  });
  const infra = observedInfra(ctx.req.observed[composed.name]?.resource);
  const phase: Phase = infra.ready ? 'Ready' : 'Provisioning';
  const kept = pinnedStatus(ctx.observedStatus);
  return {
    resources: { [composed.name]: { resource: composed.resource, ...(infra.ready ? { ready: true } : {}) } },
    status: { ...kept, phase, endpoints: infra.endpoints },
    conditions: extra.conditions,
    results: [...ctx.baseResults, ...extra.results],
    ttlSeconds: extra.ttl,
    report: {
      strategy,
      confidence: p.deployment.confidence,
      reason: p.deployment.reason,
      // Carried verbatim from the pin, as status.deployment.alternativeStrategies holds it.
      alternatives: p.deployment.alternativeStrategies as Alternative[],
      config: p.deployment.config,
      cost: objectOr(kept.cost),
      analysis: objectOr(ctx.observedStatus.analysis),
      neighbors: (p.decision.neighbors as Neighbor[] | undefined) ?? [],
      engine: p.decision.engine,
      inputsHash: p.decision.inputsHash,
      pinned: true,
    },
  };
}

/** A stage failed: keep the pin (Warning) or, with none, stop with a Fatal result naming the stage. */
export function stageFailed(ctx: RenderContext, stage: string, message: string): PipelineResult {
  if (ctx.pinned) {
    return keepPinned(ctx, ctx.pinned, {
      results: [{ severity: 'warning', reason: 'KeptPinnedDecision', message: `${stage} failed: ${message}; keeping the pinned decision ${ctx.pinned.decision.inputsHash.slice(0, 12)}` }],
      conditions: [{ type: 'DecisionReady', status: 'False', reason: 'StageFailed', message: `${stage}: ${message}` }],
      ttl: ctx.failureTtl,
    });
  }
  return { resources: {}, conditions: [], results: [...ctx.baseResults, { severity: 'fatal', reason: 'StageFailed', message: `${stage}: ${message}` }], ttlSeconds: ctx.failureTtl };
}

/**
 * The pin holds when the inputs hash matches and, with spec.repository.followBranch, the branch still
 * points at the pinned commit. Then the render is done; otherwise says whether the branch moved.
 */
export async function holdPin(ctx: RenderContext, facts: ClaimFacts): Promise<Done | { branchMoved?: string }> {
  const pinned = ctx.pinned;
  if (!pinned) return {};
  const { repository } = facts.spec;
  let branchMoved: string | undefined;
  // Without followBranch a pinned decision never looks at the remote again; a new commit is
  // picked up when the spec changes.
  if (repository.followBranch && pinned.decision.commit && !(repository.ref && FULL_SHA.test(repository.ref))) {
    let head: string | undefined;
    try {
      head = await currentCommit({ repository, credentials: ctx.req.credentials, settings: facts.settings.repositories }, ctx.deps);
    } catch (e) {
      throw new StageError('fetch', `spec.repository.followBranch: cannot read ${repository.ref ?? 'HEAD'}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (head && head !== pinned.decision.commit) branchMoved = head;
  }
  if (branchMoved) return { branchMoved };
  if (pinned.decision.inputsHash !== inputsHash({ ...facts.hashBase, ...(pinned.decision.commit ? { commit: pinned.decision.commit } : {}) })) return {};
  // The budget is checked against what the pin composes, priced again: a status estimate can be edited.
  const target = pinned.decision.target;
  const cost = estimateCost({ cloud: target.cloud, region: target.region, strategy: pinned.deployment.strategy, config: pinned.deployment.config, policies: target.policies, traffic: facts.settings.traffic, ...(target.image ? { prebuiltImage: true } : {}) });
  const verdict = checkBudget(cost.estimatedMonthly, facts.budget);
  return {
    done: keepPinned(ctx, pinned, {
      results: [],
      conditions: [
        { type: 'DecisionReady', status: 'True', reason: 'Pinned', message: `decision ${pinned.decision.inputsHash.slice(0, 12)} made at ${pinned.decision.decidedAt}` },
        budgetCondition(verdict),
      ],
      ttl: ctx.ttl,
    }),
  };
}
