// Stage "rollback" (after provider, before pin): spec.decisionRevision composes a decision of
// status.history again exactly as it was composed then (history.ts keeps what that needs and
// verifies it like the pin), recorded as a new history entry and pinned; while the field stays, that
// pin holds whatever else the spec says. Clearing the field returns to the spec's current decision
// (the newest entry decided for it) or, with none, lets the pin stage decide again. No I/O.
import type { Obj } from '../../../lib/obj.js';
import { estimateCost } from '../cost/estimate.js';
import { checkBudget, type BudgetVerdict } from '../decision/budget.js';
import type { DeploymentConfig } from '../types.js';
import { composeFor, type ComposeTarget } from './compose.js';
import { objectOr, type RenderContext } from './context.js';
import { budgetCondition, budgetResults } from './enforce.js';
import { appendHistory, currentEntry, findRevision, historyEntry, nextRevision, revisions, type HistoryEntry } from './history.js';
import { keepPinned } from './pin.js';
import { inputsHash, type Pinned } from './pinned.js';
import type { ClaimFacts } from './provider.js';
import { StageError, type Done, type PipelineResult } from './result.js';
import { observedInfra, type Phase } from './status.js';

const FIELD = 'spec.decisionRevision';

export function rollBack(ctx: RenderContext, facts: ClaimFacts): Done | undefined {
  const wanted = facts.spec.decisionRevision;
  const history = ctx.observedStatus.history;
  const pinned = ctx.pinned;
  if (wanted === undefined) {
    const from = pinned?.decision.restoredFrom;
    if (from === undefined) return undefined;
    const current = currentEntry(history, (commit) => inputsHash({ ...facts.hashBase, ...(commit ? { commit } : {}) }));
    if (!current || current.revision === from) return undefined;
    return { done: restore(ctx, facts, current, 'Restored', `${FIELD} cleared: back to the current decision, revision ${current.revision}`) };
  }
  if (pinned && (pinned.decision.revision === wanted || pinned.decision.restoredFrom === wanted)) return { done: holdRevision(ctx, facts, pinned, wanted) };
  const found = findRevision(history, wanted);
  if (!found) return refuse(ctx, `${FIELD}: revision ${wanted} is not in status.history (kept: ${revisions(history).join(', ') || 'none'})`);
  if ('problem' in found) return refuse(ctx, `${FIELD}: refusing revision ${wanted}: ${found.problem}`);
  return { done: restore(ctx, facts, found.entry, 'RolledBack', `rolled back to revision ${wanted} (decided ${found.entry.decidedAt})`) };
}

/** What a decision costs now, priced again from what it composes (never from an estimate in status). */
function priced(facts: ClaimFacts, strategy: HistoryEntry['strategy'], config: DeploymentConfig, target: ComposeTarget) {
  const cost = estimateCost({ cloud: target.cloud, region: target.region, strategy, config, policies: target.policies, traffic: facts.settings.traffic, ...(target.image ? { prebuiltImage: true } : {}) });
  return { cost, verdict: checkBudget(cost.estimatedMonthly, facts.budget) };
}

/** A Fatal naming the field: Crossplane applies nothing of a Fatal response, so every observed resource stays. */
function refuse(ctx: RenderContext, message: string): Done {
  return {
    done: {
      resources: {},
      conditions: [{ type: 'DecisionReady', status: 'False', reason: 'RollbackRefused', message }],
      results: [...ctx.baseResults, { severity: 'fatal', reason: 'RollbackRefused', message }],
      ttlSeconds: ctx.failureTtl,
    },
  };
}

/** The revision asked for is the pin already: composed as it is, its budget checked again. */
function holdRevision(ctx: RenderContext, facts: ClaimFacts, p: Pinned, wanted: number): PipelineResult {
  const { verdict } = priced(facts, p.deployment.strategy, p.deployment.config as DeploymentConfig, p.decision.target as ComposeTarget);
  return keepPinned(ctx, p, {
    results: [],
    conditions: [{ type: 'DecisionReady', status: 'True', reason: 'RolledBack', message: `revision ${wanted} (${FIELD}); clear ${FIELD} to return to the current decision` }, budgetCondition(verdict)],
    ttl: ctx.ttl,
  });
}

function hardRefusal(verdict: BudgetVerdict): boolean {
  return !verdict.withinBudget && verdict.mode === 'hard';
}

/** Composes a history entry again, byte for byte, and pins it as a new entry that says where it came from. */
function restore(ctx: RenderContext, facts: ClaimFacts, e: HistoryEntry, reason: 'RolledBack' | 'Restored', message: string): PipelineResult {
  const target = e.target as ComposeTarget;
  const config = e.config as DeploymentConfig;
  const { cost, verdict } = priced(facts, e.strategy, config, target);
  if (hardRefusal(verdict)) throw new StageError('rollback', `${FIELD}: revision ${e.revision} is refused by the hard budget: ${verdict.message}`);
  const composed = composeFor(ctx, { strategy: e.strategy, config, target, inputsHash: e.inputsHash, ...(e.commit ? { commit: e.commit } : {}) });
  const infra = observedInfra(ctx.req.observed[composed.name]?.resource);
  const history = ctx.observedStatus.history;
  const revision = nextRevision(history);
  const decidedAt = ctx.req.now();
  const entry = historyEntry(revision, {
    decidedAt,
    inputsHash: e.inputsHash,
    engine: e.engine,
    strategy: e.strategy,
    reason: e.reason,
    confidence: e.confidence,
    alternatives: e.alternativeStrategies,
    estimatedMonthly: cost.estimatedMonthly,
    config,
    target,
    commit: e.commit,
    restoredFrom: e.revision,
  });
  const decision: Obj = { inputsHash: e.inputsHash, digest: entry.digest, decidedAt, engine: e.engine, neighbors: [], target, revision, restoredFrom: e.revision };
  if (e.commit) decision.commit = e.commit;
  const analysis = objectOr(ctx.observedStatus.analysis);
  const status: Obj = {
    cost: { ...cost },
    deployment: { strategy: e.strategy, reason: e.reason, confidence: e.confidence, alternativeStrategies: e.alternativeStrategies, config },
    decision,
    ...(ctx.observedStatus.analysis ? { analysis } : {}),
    history: appendHistory(history, entry),
    phase: (infra.ready ? 'Ready' : 'Provisioning') satisfies Phase,
    endpoints: infra.endpoints,
  };
  const summary = `${message}: ${e.strategy}, $${cost.estimatedMonthly.toFixed(2)}/month, now revision ${revision}`;
  return {
    resources: { [composed.name]: { resource: composed.resource, ...(infra.ready ? { ready: true } : {}) } },
    status,
    conditions: [{ type: 'DecisionReady', status: 'True', reason, message: summary }, budgetCondition(verdict)],
    results: [...ctx.baseResults, ...budgetResults(verdict), { severity: 'normal', reason, message: summary }],
    ttlSeconds: ctx.ttl,
    report: {
      strategy: e.strategy,
      confidence: e.confidence,
      reason: e.reason,
      alternatives: e.alternativeStrategies,
      config,
      cost,
      analysis,
      neighbors: [],
      engine: e.engine,
      inputsHash: e.inputsHash,
      pinned: false,
    },
  };
}
