// The decision pipeline, independent of gRPC: read XR + CloudProvider → (pinned? reuse) → analyse →
// retrieve → decide → cost → budget/policies → compose → status. Repository access and retrieval are
// injected; everything else is pure. Never returns fewer composed resources than the pin implies.
import { cloudProviderSpecSchema, deploymentSpecSchema, describeZodError, type CloudProviderSpec, type DeploymentSpec } from '../api/claim.js';
import { functionInputSchema, type FunctionSettings } from '../api/input.js';
import { checkBudget, effectiveBudget, type BudgetVerdict } from '../decision/budget.js';
import { decide, DecisionError, type DecideOutput } from '../decision/decide.js';
import { appWeight, type DecisionFacts } from '../decision/facts.js';
import { parseIntent } from '../decision/intent.js';
import { maxReplicasPolicy, policyViolations } from '../decision/policy.js';
import type { AnalysisCache } from '../analysis/cache.js';
import { analyzeRepositoryRef, currentCommit, type Analyzer } from '../repo/analyze-repo.js';
import type { PipelineCredentials } from '../repo/credentials.js';
import { FULL_SHA } from '../repo/git.js';
import type { RepoSource } from '../repo/source.js';
import { queryText } from '../../../lib/rag/text.js';
import { retrieveWithin, type Retriever } from '../retrieval/retriever.js';
import type { Analysis, Neighbor, Strategy } from '../types.js';
import { composeInfrastructure, RESOURCE_PREFIX, resourceName, type ComposeTarget } from './compose.js';
import { inputsHash, readPinned, type Pinned } from './pin.js';
import { analysisSummary, decisionStatus, observedInfra, pinnedStatus, type Phase } from './status.js';

export const CLOUD_PROVIDER_KEY = 'cloudprovider';
export const XR_API_VERSION = 'scai.io/v1alpha1';

type Obj = Record<string, unknown>;

export interface ObservedResource {
  resource: Obj;
}

export type CloudProviderLookup = { state: 'pending' } | { state: 'missing' } | { state: 'found'; resource: Obj };

export interface PipelineRequest {
  xr: Obj;
  cloudProvider: CloudProviderLookup;
  input?: unknown;
  observed: Record<string, ObservedResource>;
  /** ISO timestamp used as decidedAt of a new decision. */
  now: () => string;
  /** Pipeline credentials (RunFunctionRequest.credentials): the claim's repository.secretRef is looked up here. */
  credentials?: PipelineCredentials;
}

export interface PipelineDeps {
  repos: RepoSource;
  retriever: Retriever;
  analyze: Analyzer;
  /** Analyses by repository URL + commit: a re-decision of an unchanged commit fetches nothing. */
  analyses?: AnalysisCache;
}

export interface ResourceSelector {
  apiVersion: string;
  kind: string;
  matchName?: string;
  matchLabels?: Record<string, string>;
}

export interface Cond {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
}

export interface Res {
  severity: 'normal' | 'warning' | 'fatal';
  message: string;
  reason?: string;
}

/** What `scai decide --json` prints; also the shape tests reason about. */
export interface DecisionReport {
  strategy: Strategy;
  confidence: number;
  reason: string;
  alternatives: unknown[];
  config: Obj;
  cost: Obj;
  analysis?: Obj;
  neighbors: Neighbor[];
  engine: string;
  inputsHash: string;
  pinned: boolean;
}

export interface PipelineResult {
  requirements?: Record<string, ResourceSelector>;
  resources: Record<string, { resource: Obj; ready?: boolean }>;
  status?: Obj;
  conditions: Cond[];
  results: Res[];
  ttlSeconds: number;
  report?: DecisionReport;
}

class StageError extends Error {
  constructor(
    readonly stage: string,
    message: string,
  ) {
    super(message);
  }
}

const get = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Obj)[k] : undefined), o);

/** Selects the CloudProvider named by the claim: its XR carries the claim's name and namespace labels. */
export function cloudProviderSelector(xr: Obj, name: string): ResourceSelector {
  const ns = get(xr, 'spec', 'claimRef', 'namespace') ?? get(xr, 'metadata', 'labels', 'crossplane.io/claim-namespace');
  if (typeof ns === 'string' && ns) {
    return {
      apiVersion: XR_API_VERSION,
      kind: 'XCloudProvider',
      matchLabels: { 'crossplane.io/claim-name': name, 'crossplane.io/claim-namespace': ns },
    };
  }
  // An XDeployment created without a claim names an XCloudProvider directly.
  return { apiVersion: XR_API_VERSION, kind: 'XCloudProvider', matchName: name };
}

function owner(xr: Obj): { name: string; uid?: string; claimName?: string; claimNamespace?: string } {
  const o: { name: string; uid?: string; claimName?: string; claimNamespace?: string } = {
    name: String(get(xr, 'metadata', 'name') ?? 'deployment'),
  };
  const uid = get(xr, 'metadata', 'uid');
  const claimName = get(xr, 'spec', 'claimRef', 'name') ?? get(xr, 'metadata', 'labels', 'crossplane.io/claim-name');
  const claimNs = get(xr, 'spec', 'claimRef', 'namespace') ?? get(xr, 'metadata', 'labels', 'crossplane.io/claim-namespace');
  if (typeof uid === 'string') o.uid = uid;
  if (typeof claimName === 'string') o.claimName = claimName;
  if (typeof claimNs === 'string') o.claimNamespace = claimNs;
  return o;
}

function budgetCondition(v: BudgetVerdict): Cond {
  return v.withinBudget
    ? { type: 'BudgetOK', status: 'True', reason: v.nearLimit ? 'NearLimit' : 'WithinBudget', message: v.message }
    : { type: 'BudgetOK', status: 'False', reason: 'OverBudget', message: v.message };
}

/**
 * Runs the pipeline and states the CloudProvider requirement on every response: Crossplane re-runs a
 * function until its requirements stop changing, so dropping a satisfied requirement never settles.
 */
export async function runPipeline(req: PipelineRequest, deps: PipelineDeps): Promise<PipelineResult> {
  const result = await decideAndCompose(req, deps);
  const name = get(req.xr, 'spec', 'cloudProvider');
  if (typeof name === 'string' && name) {
    result.requirements = { [CLOUD_PROVIDER_KEY]: cloudProviderSelector(req.xr, name) };
  }
  return result;
}

async function decideAndCompose(req: PipelineRequest, deps: PipelineDeps): Promise<PipelineResult> {
  const xr = req.xr;
  const observedStatus = (get(xr, 'status') ?? {}) as Obj;
  const { pinned, problem: pinProblem } = readPinned(observedStatus);
  const who = owner(xr);
  const parsedInput = functionInputSchema.safeParse(req.input ?? {});
  const settings: FunctionSettings | undefined = parsedInput.success ? parsedInput.data.spec : undefined;
  const ttl = settings?.ttlSeconds ?? 300;
  const failureTtl = settings?.failureTtlSeconds ?? 30;
  const ownedObserved = Object.keys(req.observed).filter((k) => k.startsWith(RESOURCE_PREFIX));
  const baseResults: Res[] = pinProblem ? [{ severity: 'warning', message: pinProblem, reason: 'PinUnreadable' }] : [];

  /** Composes exactly what the pin composes, with the status it already had plus what is observed now. */
  const composePinned = (p: Pinned, extra: { results: Res[]; conditions: Cond[]; ttl: number }): PipelineResult => {
    const target = p.decision.target as ComposeTarget;
    const strategy = p.deployment.strategy;
    const composed = composeInfrastructure({
      strategy,
      config: p.deployment.config,
      target,
      inputsHash: p.decision.inputsHash,
      owner: who,
      ...(p.decision.commit ? { commit: p.decision.commit } : {}),
      ...(settings?.compositionUpdatePolicy ? { compositionUpdatePolicy: settings.compositionUpdatePolicy } : {}),
    });
    const infra = observedInfra(req.observed[composed.name]?.resource);
    const phase: Phase = infra.ready ? 'Ready' : 'Provisioning';
    return {
      resources: { [composed.name]: { resource: composed.resource, ...(infra.ready ? { ready: true } : {}) } },
      status: { ...pinnedStatus(observedStatus), phase, endpoints: infra.endpoints },
      conditions: extra.conditions,
      results: [...baseResults, ...extra.results],
      ttlSeconds: extra.ttl,
      report: {
        strategy,
        confidence: p.deployment.confidence,
        reason: p.deployment.reason,
        alternatives: p.deployment.alternativeStrategies,
        config: p.deployment.config,
        cost: (pinnedStatus(observedStatus).cost ?? {}) as Obj,
        analysis: (observedStatus.analysis ?? {}) as Obj,
        neighbors: (get(p, 'decision', 'neighbors') as Neighbor[] | undefined) ?? [],
        engine: p.decision.engine,
        inputsHash: p.decision.inputsHash,
        pinned: true,
      },
    };
  };

  /** A stage failed: keep the pin (Warning) or, with none, stop with a Fatal result naming the stage. */
  const fail = (stage: string, message: string, extraConditions: Cond[] = []): PipelineResult => {
    const decisionFailed: Cond = { type: 'DecisionReady', status: 'False', reason: 'StageFailed', message: `${stage}: ${message}` };
    if (pinned) {
      return composePinned(pinned, {
        results: [{ severity: 'warning', reason: 'KeptPinnedDecision', message: `${stage} failed: ${message}; keeping the pinned decision ${pinned.decision.inputsHash.slice(0, 12)}` }],
        conditions: [decisionFailed, ...extraConditions],
        ttl: failureTtl,
      });
    }
    return { resources: {}, conditions: [], results: [...baseResults, { severity: 'fatal', reason: 'StageFailed', message: `${stage}: ${message}` }], ttlSeconds: failureTtl };
  };

  try {
    if (!parsedInput.success) throw new StageError('input', describeZodError('input', parsedInput.error));
    const specParse = deploymentSpecSchema.safeParse(get(xr, 'spec') ?? {});
    if (!specParse.success) throw new StageError('spec', describeZodError('spec', specParse.error));
    const spec: DeploymentSpec = specParse.data;
    const s = settings as FunctionSettings;

    // CloudProvider, a required resource: the first call only asks for it.
    const selector = cloudProviderSelector(xr, spec.cloudProvider);
    if (req.cloudProvider.state === 'pending') {
      const keep = pinned ? composePinned(pinned, { results: [], conditions: [], ttl: 0 }) : undefined;
      return { requirements: { [CLOUD_PROVIDER_KEY]: selector }, resources: keep?.resources ?? {}, conditions: [], results: [], ttlSeconds: 0 };
    }
    if (req.cloudProvider.state === 'missing') {
      const where = selector.matchLabels ? ` in namespace ${selector.matchLabels['crossplane.io/claim-namespace']}` : '';
      throw new StageError('cloudProvider', `spec.cloudProvider: CloudProvider "${spec.cloudProvider}" not found${where}`);
    }
    const cpParse = cloudProviderSpecSchema.safeParse(get(req.cloudProvider.resource, 'spec') ?? {});
    if (!cpParse.success) throw new StageError('cloudProvider', describeZodError(`CloudProvider ${spec.cloudProvider} spec`, cpParse.error));
    const provider: CloudProviderSpec = cpParse.data;
    const region = spec.region ?? provider.defaultRegion;
    const hashBase = { spec, cloudProviderName: spec.cloudProvider, provider, settings: s };
    const intent = parseIntent(spec.prompt);

    // spec.repository.followBranch:
    // the pin holds only while the branch still points at the pinned commit. Without it, a pinned
    // decision never looks at the remote again; a new commit is picked up when the spec changes.
    const followBranch = spec.repository.followBranch;
    let branchMoved: string | undefined;
    if (pinned && followBranch && pinned.decision.commit && !(spec.repository.ref && FULL_SHA.test(spec.repository.ref))) {
      let head: string | undefined;
      try {
        head = await currentCommit({ repository: spec.repository, credentials: req.credentials, settings: s.repositories }, deps);
      } catch (e) {
        throw new StageError('fetch', `spec.repository.followBranch: cannot read ${spec.repository.ref ?? 'HEAD'}: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (head && head !== pinned.decision.commit) branchMoved = head;
    }
    if (!branchMoved && pinned && pinned.decision.inputsHash === inputsHash({ ...hashBase, ...(pinned.decision.commit ? { commit: pinned.decision.commit } : {}) })) {
      const cost = Number(get(observedStatus, 'cost', 'estimatedMonthly') ?? 0);
      const verdict = checkBudget(cost, spec, provider, intent.statedBudget);
      return composePinned(pinned, {
        results: [],
        conditions: [{ type: 'DecisionReady', status: 'True', reason: 'Pinned', message: `decision ${pinned.decision.inputsHash.slice(0, 12)} made at ${pinned.decision.decidedAt}` }, budgetCondition(verdict)],
        ttl,
      });
    }

    // A new or changed spec: decide.
    let analysis: Analysis;
    try {
      ({ analysis } = await analyzeRepositoryRef(
        { repository: spec.repository, prompt: spec.prompt, credentials: req.credentials, settings: s.repositories },
        { repos: deps.repos, analyze: deps.analyze, cache: deps.analyses },
      ));
    } catch (e) {
      throw new StageError('analyze', e instanceof Error ? e.message : String(e));
    }

    const results: Res[] = [];
    if (branchMoved) results.push({ severity: 'normal', reason: 'BranchMoved', message: `spec.repository.followBranch: ${spec.repository.ref ?? 'HEAD'} moved from ${pinned?.decision.commit?.slice(0, 12)} to ${branchMoved.slice(0, 12)}; deciding again` });
    // A monorepo whose app neither spec.repository.path nor the prompt names: ask, do not guess.
    if (analysis.monorepo && !analysis.monorepo.chosen) {
      const ask = `the repository holds ${analysis.monorepo.candidates.length} apps (${analysis.monorepo.candidates.join(', ')}); set spec.repository.path to one of them or name it in spec.prompt`;
      if (pinned || ownedObserved.length > 0) throw new StageError('analyze', ask);
      return {
        resources: {},
        status: { phase: 'Pending' as Phase, endpoints: [], analysis: analysisSummary(analysis) },
        conditions: [{ type: 'DecisionReady', status: 'False', reason: 'AmbiguousRepository', message: ask }],
        results: [...baseResults, { severity: 'warning', reason: 'AmbiguousRepository', message: ask }],
        ttlSeconds: failureTtl,
      };
    }
    let neighbors: Neighbor[] = [];
    let avoid: Neighbor[] = [];
    const { limit: budget } = effectiveBudget(spec, provider, intent.statedBudget);
    if (s.retrieval.enabled) {
      const q = {
        text: queryText({ framework: analysis.framework, language: analysis.language, dependencies: analysis.dependencies.map((d) => d.name), prompt: spec.prompt }),
        cloud: provider.type,
        framework: analysis.framework,
        language: analysis.language,
        topK: s.retrieval.topK,
        ...(budget !== undefined ? { budget } : {}),
      };
      const r = await retrieveWithin(deps.retriever, q, s.retrieval.timeoutMs);
      neighbors = r.result.neighbors;
      avoid = r.result.avoid;
      if (r.problem) results.push({ severity: 'warning', reason: 'RetrievalUnavailable', message: `deciding without similar deployments: ${r.problem}` });
    }

    const caps = [maxReplicasPolicy(spec.policies), provider.quotas.maxInstances].filter((n): n is number => n !== undefined);
    const facts: DecisionFacts = {
      analysis,
      intent,
      cloud: provider.type,
      policies: spec.policies,
      neighbors: [...neighbors, ...avoid],
      weight: appWeight(analysis),
      ...(budget !== undefined ? { budget } : {}),
      ...(caps.length ? { maxReplicas: Math.min(...caps) } : {}),
      ...(provider.quotas.maxNodes !== undefined ? { maxNodes: provider.quotas.maxNodes } : {}),
    };
    let out: DecideOutput;
    try {
      out = decide({ facts, requested: spec.strategy, region, traffic: s.traffic });
    } catch (e) {
      if (e instanceof DecisionError) throw new StageError('decide', e.message);
      throw e;
    }
    const violations = policyViolations(out.decision, spec.policies);
    if (violations.length) throw new StageError('policy', violations.join('; '));

    const verdict = checkBudget(out.cost.estimatedMonthly, spec, provider, intent.statedBudget);
    const target: ComposeTarget = {
      cloud: provider.type,
      region,
      policies: [...spec.policies].sort(),
      tags: provider.tags,
      repository: { url: spec.repository.url, ...(spec.repository.ref ? { ref: spec.repository.ref } : {}), ...(spec.repository.path ? { path: spec.repository.path } : {}) },
    };
    const hash = inputsHash({ ...hashBase, ...(analysis.commit ? { commit: analysis.commit } : {}) });
    const report: DecisionReport = {
      strategy: out.decision.strategy,
      confidence: out.decision.confidence,
      reason: out.decision.reason,
      alternatives: out.decision.alternatives,
      config: out.decision.config as unknown as Obj,
      cost: out.cost as unknown as Obj,
      analysis: analysis as unknown as Obj,
      neighbors,
      engine: out.decision.engine,
      inputsHash: hash,
      pinned: false,
    };

    if (!verdict.withinBudget && verdict.mode === 'hard') {
      const refused = `hard budget: ${verdict.message}; the ${out.decision.strategy} decision is refused`;
      if (pinned) {
        return {
          ...composePinned(pinned, {
            results: [...results, { severity: 'warning', reason: 'BudgetExceeded', message: `${refused}, keeping the pinned decision` }],
            conditions: [
              { type: 'DecisionReady', status: 'False', reason: 'BudgetExceeded', message: refused },
              budgetCondition(verdict),
            ],
            ttl: failureTtl,
          }),
        };
      }
      if (ownedObserved.length > 0) {
        // Status lost its pin but resources exist: refusing must not delete them.
        throw new StageError('budget', `${refused}; ${ownedObserved.length} composed resource(s) exist without a readable pin, not removing them`);
      }
      return {
        resources: {},
        status: { phase: 'BudgetExceeded', endpoints: [], deployment: { strategy: out.decision.strategy, reason: refused, confidence: out.decision.confidence, alternativeStrategies: out.decision.alternatives, config: out.decision.config }, cost: out.cost },
        conditions: [{ type: 'DecisionReady', status: 'False', reason: 'BudgetExceeded', message: refused }, budgetCondition(verdict)],
        results: [...baseResults, ...results, { severity: 'warning', reason: 'BudgetExceeded', message: refused }],
        ttlSeconds: failureTtl,
        report,
      };
    }

    const decidedAt = req.now();
    const composed = composeInfrastructure({
      strategy: out.decision.strategy,
      config: out.decision.config,
      target,
      inputsHash: hash,
      owner: who,
      ...(analysis.commit ? { commit: analysis.commit } : {}),
      ...(s.compositionUpdatePolicy ? { compositionUpdatePolicy: s.compositionUpdatePolicy } : {}),
    });
    const infra = observedInfra(req.observed[composed.name]?.resource);
    const history = Array.isArray(observedStatus.history) ? observedStatus.history : [];
    const status = {
      ...decisionStatus({ decision: out.decision, cost: out.cost, analysis, neighbors, inputsHash: hash, decidedAt, target, previousHistory: history }),
      phase: (infra.ready ? 'Ready' : 'Provisioning') as Phase,
      endpoints: infra.endpoints,
    };
    if (avoid.length) results.push({ severity: 'warning', reason: 'SimilarFailures', message: `${avoid.length} similar deployment(s) failed: ${avoid.map((n) => `${n.name} on ${n.strategy}`).join(', ')}` });
    if (!verdict.withinBudget) results.push({ severity: 'warning', reason: 'OverBudget', message: `soft budget: ${verdict.message}` });
    else if (verdict.nearLimit) results.push({ severity: 'warning', reason: 'NearBudget', message: verdict.message });
    results.push({
      severity: 'normal',
      reason: pinned ? 'Redecided' : 'Decided',
      message: `${out.decision.strategy} (confidence ${out.decision.confidence}), $${out.cost.estimatedMonthly.toFixed(2)}/month: ${out.decision.reason}`,
    });
    return {
      resources: { [composed.name]: { resource: composed.resource, ...(infra.ready ? { ready: true } : {}) } },
      status,
      conditions: [{ type: 'DecisionReady', status: 'True', reason: pinned ? 'Redecided' : 'Decided', message: out.decision.reason }, budgetCondition(verdict)],
      results: [...baseResults, ...results],
      ttlSeconds: ttl,
      report,
    };
  } catch (e) {
    if (e instanceof StageError) return fail(e.stage, e.message);
    return fail('internal', e instanceof Error ? e.message : String(e));
  }
}
