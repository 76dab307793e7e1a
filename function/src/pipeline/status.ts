// The XR status the function writes: the pinned decision (deployment, decision, cost, analysis,
// history) plus what is observed now (phase, endpoints). Pure.
import type { Obj } from '../../../lib/obj.js';
import type { Analysis, CostEstimate, Decision, Neighbor } from '../types.js';
import type { ComposeTarget } from './compose.js';
import { decisionDigest } from './pinned.js';

export const HISTORY_LIMIT = 10;

export type Phase = 'Pending' | 'Provisioning' | 'Ready' | 'BudgetExceeded' | 'Failed';

export interface Endpoint {
  name: string;
  url: string;
}

export function analysisSummary(a: Analysis): Obj {
  const out: Obj = {
    kind: a.kind,
    language: a.language ?? 'unknown',
    framework: a.framework ?? 'none',
    port: a.port ?? 0,
    dependencyCount: a.dependencies.length,
    dependencies: a.dependencies.slice(0, 20).map((d) => (d.version ? `${d.name}@${d.version}` : d.name)),
    stateful: a.stateful,
    backgroundJobs: a.backgroundJobs,
    hasDockerfile: a.hasDockerfile,
    hasCompose: a.hasCompose,
    evidence: a.evidence.slice(0, 25).map((e) => `${e.fact} (${e.source})`),
  };
  if (a.languageVersion) out.languageVersion = a.languageVersion;
  if (a.frameworkVersion) out.frameworkVersion = a.frameworkVersion;
  if (a.packageManager) out.packageManager = a.packageManager;
  if (a.startCommand) out.startCommand = a.startCommand;
  if (a.healthCheckPath) out.healthCheckPath = a.healthCheckPath;
  if (a.commit) out.commit = a.commit;
  if (a.buildCommand) out.buildCommand = a.buildCommand;
  if (a.envVars?.length) out.envVars = a.envVars.slice(0, 50);
  if (a.scheduledJobs?.length) out.scheduledJobs = a.scheduledJobs;
  if (a.composeServices?.length) out.composeServices = a.composeServices;
  if (a.serverless) out.serverless = a.serverless;
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
  const entry = {
    decidedAt: s.decidedAt,
    inputsHash: s.inputsHash.slice(0, 12),
    strategy: s.decision.strategy,
    estimatedMonthly: s.cost.estimatedMonthly,
    engine: s.decision.engine,
  };
  const decision: Obj = {
    inputsHash: s.inputsHash,
    digest: decisionDigest({ strategy: s.decision.strategy, config: s.decision.config, inputsHash: s.inputsHash, target: s.target, commit: s.analysis.commit }),
    decidedAt: s.decidedAt,
    engine: s.decision.engine,
    neighbors: s.neighbors,
    target: s.target,
  };
  if (s.analysis.commit) decision.commit = s.analysis.commit;
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
    history: [...s.previousHistory, entry].slice(-HISTORY_LIMIT),
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
