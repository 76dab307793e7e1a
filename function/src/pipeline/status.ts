// The XR status the function writes: the pinned decision (deployment, decision, cost, analysis,
// history) plus what is observed now (phase, endpoints). Pure.
import type { Obj } from '../../../lib/obj.js';
import type { Analysis, CostEstimate, Decision, LlmTrace, Neighbor } from '../types.js';
import type { ComposeTarget } from './compose.js';
import { appendHistory, historyEntry, nextRevision } from './history.js';
import { decisionDigest } from './pinned.js';

export type Phase = 'Pending' | 'Provisioning' | 'Ready' | 'BudgetExceeded' | 'Failed';

export interface Endpoint {
  name: string;
  url: string;
}

/**
 * Every list and string written to status is bounded (an XR lives in etcd, whose objects stop at
 * 1.5 MiB: a 390 KB repository once produced a 622 KB XDeployment); what was cut is said in `truncated`.
 */
export const STATUS_LIST_MAX = 20;
export const STATUS_TEXT_MAX = 512;

const text = (s: string): string => (s.length > STATUS_TEXT_MAX ? `${s.slice(0, STATUS_TEXT_MAX)}…` : s);

export function analysisSummary(a: Analysis): Obj {
  const truncated: string[] = [];
  const list = <T, U>(field: string, items: readonly T[] | undefined, f: (x: T) => U, max = STATUS_LIST_MAX): U[] => {
    const xs = items ?? [];
    if (xs.length > max) truncated.push(`${field}: ${xs.length - max} more`);
    return xs.slice(0, max).map(f);
  };
  const sourced = (x: { name: string; source: string }) => `${text(x.name)} (${text(x.source)})`;
  const out: Obj = {
    kind: a.kind,
    language: a.language ?? 'unknown',
    framework: a.framework ?? 'none',
    port: a.port ?? 0,
    dependencyCount: a.dependencies.length,
    dependencies: list('dependencies', a.dependencies, (d) => text(d.version ? `${d.name}@${d.version}` : d.name)),
    stateful: list('stateful', a.stateful, text),
    backgroundJobs: list('backgroundJobs', a.backgroundJobs, text),
    hasDockerfile: a.hasDockerfile,
    hasCompose: a.hasCompose,
    evidence: list('evidence', a.evidence, (e) => text(`${e.fact} (${e.source})`), 25),
  };
  if (a.languageVersion) out.languageVersion = text(a.languageVersion);
  if (a.frameworkVersion) out.frameworkVersion = text(a.frameworkVersion);
  if (a.packageManager) out.packageManager = text(a.packageManager);
  if (a.startCommand) out.startCommand = text(a.startCommand);
  if (a.healthCheckPath) out.healthCheckPath = text(a.healthCheckPath);
  if (a.commit) out.commit = a.commit;
  if (a.buildCommand) out.buildCommand = text(a.buildCommand);
  if (a.envVars?.length) out.envVars = list('envVars', a.envVars, text, 50);
  if (a.scheduledJobs?.length) out.scheduledJobs = list('scheduledJobs', a.scheduledJobs, text);
  if (a.composeServices?.length) out.composeServices = list('composeServices', a.composeServices, (c) => ({ name: text(c.name), ...(c.image ? { image: text(c.image) } : {}) }));
  if (a.serverless) out.serverless = { platform: a.serverless.platform, functions: list('serverless.functions', a.serverless.functions, text) };
  if (a.platforms?.length) out.platforms = list('platforms', a.platforms, (p) => `${p.kind} (${text(p.source)})`);
  if (a.services?.length) out.services = list('services', a.services, sourced);
  if (a.localState?.length) out.localState = list('localState', a.localState, sourced);
  if (a.longLived?.length) out.longLived = list('longLived', a.longLived, sourced);
  if (a.serverlessAdapter) out.serverlessAdapter = sourced(a.serverlessAdapter);
  if (truncated.length) out.truncated = truncated;
  return out;
}

/** The LLM step's trace, bounded: the model's words are free text of any length. */
export function llmStatus(t: LlmTrace): Obj {
  const out: Obj = { model: text(t.model), outcome: t.outcome, engineStrategy: t.engineStrategy };
  if (t.proposed) out.proposed = t.proposed;
  if (t.reasoning !== undefined) out.reasoning = text(t.reasoning);
  if (t.fallbackReason !== undefined) out.fallbackReason = text(t.fallbackReason);
  if (t.adjusted?.length) out.adjusted = t.adjusted.slice(0, STATUS_LIST_MAX).map(text);
  return out;
}

export interface NewDecisionStatus {
  decision: Decision;
  cost: CostEstimate;
  analysis: Analysis;
  neighbors: Neighbor[];
  inputsHash: string;
  decidedAt: string;
  target: ComposeTarget;
  previousHistory: unknown[];
}

export function decisionStatus(s: NewDecisionStatus): Obj {
  const revision = nextRevision(s.previousHistory);
  const entry = historyEntry(revision, {
    decidedAt: s.decidedAt,
    inputsHash: s.inputsHash,
    engine: s.decision.engine,
    strategy: s.decision.strategy,
    reason: s.decision.reason,
    confidence: s.decision.confidence,
    alternatives: s.decision.alternatives,
    estimatedMonthly: s.cost.estimatedMonthly,
    config: s.decision.config,
    target: s.target,
    commit: s.analysis.commit,
  });
  const decision: Obj = {
    inputsHash: s.inputsHash,
    digest: decisionDigest({ strategy: s.decision.strategy, config: s.decision.config, inputsHash: s.inputsHash, target: s.target, commit: s.analysis.commit }),
    decidedAt: s.decidedAt,
    engine: s.decision.engine,
    neighbors: s.neighbors,
    target: s.target,
    revision,
  };
  if (s.analysis.commit) decision.commit = s.analysis.commit;
  if (s.decision.llm) decision.llm = llmStatus(s.decision.llm);
  return {
    cost: { ...s.cost },
    deployment: {
      strategy: s.decision.strategy,
      reason: s.decision.reason,
      confidence: s.decision.confidence,
      alternativeStrategies: s.decision.alternatives,
      config: s.decision.config,
    },
    decision,
    analysis: analysisSummary(s.analysis),
    history: appendHistory(s.previousHistory, entry),
  };
}

/** The pinned part of an observed status, carried verbatim (the operator's actualThisMonth stays its own). */
export function pinnedStatus(observed: Obj): Obj {
  const out: Obj = {};
  for (const k of ['deployment', 'decision', 'analysis', 'history'] as const) {
    if (observed[k] !== undefined) out[k] = observed[k];
  }
  if (observed.cost && typeof observed.cost === 'object') {
    const { actualThisMonth: _ignored, ...cost } = observed.cost as Obj;
    out.cost = cost;
  }
  return out;
}

/** Readiness and endpoints of the composed XInfrastructure as Crossplane observed it. */
export function observedInfra(resource: Obj | undefined): { ready: boolean; endpoints: Endpoint[] } {
  const status = (resource?.status ?? {}) as { conditions?: Array<{ type?: string; status?: string }>; endpoints?: unknown };
  const ready = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  const endpoints = Array.isArray(status.endpoints)
    ? status.endpoints.filter(
        (e): e is Endpoint => !!e && typeof (e as Endpoint).url === 'string' && typeof (e as Endpoint).name === 'string',
      ).map((e) => ({ name: e.name, url: e.url }))
    : [];
  return { ready, endpoints };
}
