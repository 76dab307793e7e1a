// Stage "compose": the one resource the function composes, the nested XInfrastructure whose spec
// carries the decided parameters (the KCL composition selected by its labels renders the cloud
// resources), and the result of a new decision.
import { SCAI_API_VERSION } from '../../../lib/domain.js';
import type { Obj } from '../../../lib/obj.js';
import type { BudgetVerdict } from '../decision/budget.js';
import type { DecideOutput } from '../decision/decide.js';
import type { Analysis, DeploymentConfig, Strategy } from '../types.js';
import type { Owner, RenderContext } from './context.js';
import { budgetCondition, budgetResults } from './enforce.js';
import { inputsHash } from './pinned.js';
import type { ClaimFacts } from './provider.js';
import type { DecisionReport, PipelineResult, Res } from './result.js';
import type { Retrieved } from './retrieve.js';
import { decisionStatus, observedInfra, type Phase } from './status.js';
import { providerConfigFor } from './tenancy.js';

export const XINFRA_KIND = 'XInfrastructure';
/** Composed resource names start with this; the strategy and cloud follow so that a new strategy is a new object. */
export const RESOURCE_PREFIX = 'infrastructure';

export interface ComposeTarget {
  cloud: 'aws' | 'gcp';
  region: string;
  policies: string[];
  tags: Record<string, string>;
  repository: { url: string; ref?: string; path?: string };
  /** The claim's prebuilt image, when it names one. */
  image?: string;
}

export interface ComposeInput {
  strategy: Strategy;
  config: DeploymentConfig;
  target: ComposeTarget;
  commit?: string;
  inputsHash: string;
  owner: Owner;
  compositionUpdatePolicy?: 'Automatic' | 'Manual';
  /** The CloudProvider's ProviderConfig: every composed cloud resource names it (tenancy.ts). */
  providerConfigName?: string;
}

export function resourceName(strategy: Strategy, cloud: string): string {
  return `${RESOURCE_PREFIX}-${strategy}-${cloud}`;
}

/** What a render decides to compose; the rest of a ComposeInput comes from the render itself. */
export type Composable = Pick<ComposeInput, 'strategy' | 'config' | 'target' | 'inputsHash' | 'commit'>;

/**
 * Composes a decision (new, pinned or rolled back) with what every render adds the same way: the
 * owner, the function input's compositionUpdatePolicy and the team's ProviderConfig, so no path can
 * compose one without the others (a rollback once lost the ProviderConfig).
 */
export function composeFor(ctx: RenderContext, d: Composable): { name: string; resource: Obj } {
  const policy = ctx.settings.ok ? ctx.settings.value.compositionUpdatePolicy : undefined;
  const providerConfigName = providerConfigFor(ctx, resourceName(d.strategy, d.target.cloud));
  return composeInfrastructure({
    ...d,
    owner: ctx.owner,
    ...(policy ? { compositionUpdatePolicy: policy } : {}),
    ...(providerConfigName ? { providerConfigName } : {}),
  });
}

function composeInfrastructure(c: ComposeInput): { name: string; resource: Obj } {
  const appName = c.owner.claimName ?? c.owner.name;
  const tags: Record<string, string> = {
    ...c.target.tags,
    'scai.io/deployment': appName,
    'scai.io/strategy': c.strategy,
  };
  if (c.owner.uid) tags['scai.io/deployment-uid'] = c.owner.uid;
  const labels = { 'scai.io/strategy': c.strategy, 'scai.io/cloud': c.target.cloud };
  const spec: Obj = {
    compositionSelector: { matchLabels: labels },
    strategy: c.strategy,
    cloud: c.target.cloud,
    region: c.target.region,
    app: {
      name: appName,
      ...(c.owner.claimNamespace ? { namespace: c.owner.claimNamespace } : {}),
      repository: c.target.repository.url,
      ...(c.target.repository.ref ? { ref: c.target.repository.ref } : {}),
      ...(c.target.repository.path ? { path: c.target.repository.path } : {}),
      ...(c.commit ? { commit: c.commit } : {}),
      ...(c.target.image ? { image: c.target.image } : {}),
    },
    config: c.config,
    policies: c.target.policies,
    tags,
    inputsHash: c.inputsHash,
  };
  if (c.compositionUpdatePolicy) spec.compositionUpdatePolicy = c.compositionUpdatePolicy;
  if (c.providerConfigName) spec.providerConfigName = c.providerConfigName;
  return {
    name: resourceName(c.strategy, c.target.cloud),
    resource: { apiVersion: SCAI_API_VERSION, kind: XINFRA_KIND, metadata: { labels }, spec },
  };
}

/** A new decision before the budget has its say: what it targets, its hash and its report. */
export interface Proposal {
  out: DecideOutput;
  analysis: Analysis;
  neighbors: Retrieved['neighbors'];
  target: ComposeTarget;
  hash: string;
  report: DecisionReport;
}

export function propose(facts: ClaimFacts, analysis: Analysis, retrieved: Retrieved, out: DecideOutput): Proposal {
  const { spec, provider } = facts;
  const { url, ref, path } = spec.repository;
  const target: ComposeTarget = {
    cloud: provider.type,
    region: facts.region,
    policies: [...spec.policies].sort(),
    tags: provider.tags,
    repository: { url, ...(ref ? { ref } : {}), ...(path ? { path } : {}) },
    ...(spec.image ? { image: spec.image } : {}),
  };
  const hash = inputsHash({ ...facts.hashBase, ...(analysis.commit ? { commit: analysis.commit } : {}) });
  const { decision, cost } = out;
  const report: DecisionReport = {
    strategy: decision.strategy,
    confidence: decision.confidence,
    reason: decision.reason,
    alternatives: decision.alternatives,
    config: decision.config,
    cost,
    analysis,
    neighbors: retrieved.neighbors,
    engine: decision.engine,
    ...(decision.llm ? { llm: decision.llm } : {}),
    inputsHash: hash,
    pinned: false,
  };
  return { out, analysis, neighbors: retrieved.neighbors, target, hash, report };
}

/** Composes a new (or changed) decision and writes it into the status, where it is pinned. */
export function composeDecision(ctx: RenderContext, facts: ClaimFacts, p: Proposal, verdict: BudgetVerdict, earlier: Res[], avoid: Retrieved['avoid']): PipelineResult {
  const { decision, cost } = p.out;
  const decidedAt = ctx.req.now();
  const composed = composeFor(ctx, {
    strategy: decision.strategy,
    config: decision.config,
    target: p.target,
    inputsHash: p.hash,
    ...(p.analysis.commit ? { commit: p.analysis.commit } : {}),
  });
  const infra = observedInfra(ctx.req.observed[composed.name]?.resource);
  const history = Array.isArray(ctx.observedStatus.history) ? ctx.observedStatus.history : [];
  const status = {
    ...decisionStatus({ decision, cost, analysis: p.analysis, neighbors: p.neighbors, inputsHash: p.hash, decidedAt, target: p.target, previousHistory: history }),
    phase: (infra.ready ? 'Ready' : 'Provisioning') satisfies Phase,
    endpoints: infra.endpoints,
  };
  const reason = ctx.pinned ? 'Redecided' : 'Decided';
  const results: Res[] = [
    ...earlier,
    ...(avoid.length ? [{ severity: 'warning' as const, reason: 'SimilarFailures', message: `${avoid.length} similar deployment(s) failed: ${avoid.map((n) => `${n.name} on ${n.strategy}`).join(', ')}` }] : []),
    ...budgetResults(verdict),
    { severity: 'normal', reason, message: `${decision.strategy} (confidence ${decision.confidence}), $${cost.estimatedMonthly.toFixed(2)}/month: ${decision.reason}` },
  ];
  return {
    resources: { [composed.name]: { resource: composed.resource, ...(infra.ready ? { ready: true } : {}) } },
    status,
    conditions: [{ type: 'DecisionReady', status: 'True', reason, message: decision.reason }, budgetCondition(verdict)],
    results: [...ctx.baseResults, ...results],
    ttlSeconds: ctx.ttl,
    report: p.report,
  };
}
