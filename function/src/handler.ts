// Glue between the Crossplane SDK's RunFunction messages and the plain pipeline.
import {
  Ready,
  Severity,
  Status,
  Target,
  type FunctionHandler,
  type Resource,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import type { Obj } from '../../lib/obj.js';
import { analyzeRepository } from './analysis/analyze.js';
import { AnalysisCache } from './cache/analyses.js';
import type { LlmConnector } from './llm/client.js';
import type { PipelineCredentials } from './repo/credentials.js';
import type { Analyzer } from './pipeline/analyse.js';
import { noRetriever, type Retriever } from './retrieval/retriever.js';
import type { RepoSource } from './repo/source.js';
import {
  CLOUD_PROVIDER_KEY,
  runPipeline,
  TEAM_DEPLOYMENTS_KEY,
  type TeamLookup,
  type CloudProviderLookup,
  type PipelineDeps,
  type PipelineResult,
} from './pipeline/run.js';

export interface HandlerDeps {
  repos: RepoSource;
  /** Analyses by repository URL + commit; scaiHandler makes one per server when absent. */
  analyses?: AnalysisCache;
  retriever?: Retriever;
  /** The analyser; the server passes its analysis pool's (off the event loop), tests the plain one. */
  analyze?: Analyzer;
  now?: () => string;
  /** The LLM step's client (the real Ollama client when absent). */
  llm?: LlmConnector;
}

const SEVERITY = { normal: Severity.SEVERITY_NORMAL, warning: Severity.SEVERITY_WARNING, fatal: Severity.SEVERITY_FATAL } as const;
const STATUS = { True: Status.STATUS_CONDITION_TRUE, False: Status.STATUS_CONDITION_FALSE, Unknown: Status.STATUS_CONDITION_UNKNOWN } as const;

/** Crossplane 2.x fills required_resources; 1.x fills extra_resources. Empty items = looked up, none found. */
export function lookupCloudProvider(req: RunFunctionRequest): CloudProviderLookup {
  const found = req.requiredResources?.[CLOUD_PROVIDER_KEY] ?? req.extraResources?.[CLOUD_PROVIDER_KEY];
  if (!found) return { state: 'pending' };
  const items = (found.items ?? [])
    .map((i) => i.resource as Obj | undefined)
    .filter((r): r is Obj => !!r)
    .sort((a, b) => String((a.metadata as Obj)?.name).localeCompare(String((b.metadata as Obj)?.name)));
  return items[0] ? { state: 'found', resource: items[0] } : { state: 'missing' };
}

/** The team's Deployments (required resource TEAM_DEPLOYMENTS_KEY): pending until Crossplane looked them up. */
export function lookupTeam(req: RunFunctionRequest): TeamLookup {
  const found = req.requiredResources?.[TEAM_DEPLOYMENTS_KEY] ?? req.extraResources?.[TEAM_DEPLOYMENTS_KEY];
  if (!found) return { state: 'pending' };
  return { state: 'found', items: (found.items ?? []).map((i) => i.resource as Obj | undefined).filter((r): r is Obj => !!r) };
}

function observedComposed(req: RunFunctionRequest): Record<string, { resource: Obj }> {
  const out: Record<string, { resource: Obj }> = {};
  for (const [name, r] of Object.entries(req.observed?.resources ?? {})) {
    if (r?.resource) out[name] = { resource: r.resource as Obj };
  }
  return out;
}

/** Builds the response. Resources are assigned, never deep-merged: the SDK's merge concatenates arrays. */
export function toResponse(req: RunFunctionRequest, result: PipelineResult): RunFunctionResponse {
  const fatal = result.results.some((r) => r.severity === 'fatal');
  const prior = req.desired ?? { composite: undefined, resources: {} };
  const resources: Record<string, Resource> = { ...(prior.resources ?? {}) };
  let composite = prior.composite;
  if (!fatal) {
    for (const [name, r] of Object.entries(result.resources)) {
      resources[name] = { resource: r.resource, connectionDetails: {}, ready: r.ready ? Ready.READY_TRUE : Ready.READY_UNSPECIFIED };
    }
    if (result.status) {
      const base = (composite?.resource ?? {}) as Obj;
      const observed = (req.observed?.composite?.resource ?? {}) as Obj;
      composite = {
        resource: {
          ...base,
          apiVersion: observed.apiVersion,
          kind: observed.kind,
          status: { ...((base.status as Obj | undefined) ?? {}), ...result.status },
        },
        connectionDetails: composite?.connectionDetails ?? {},
        ready: composite?.ready ?? Ready.READY_UNSPECIFIED,
      };
    }
  }
  const rsp: RunFunctionResponse = {
    meta: { tag: req.meta?.tag ?? '', ttl: { seconds: result.ttlSeconds, nanos: 0 } },
    desired: { composite, resources },
    results: result.results.map((r) => ({
      severity: SEVERITY[r.severity],
      message: r.message,
      ...(r.reason ? { reason: r.reason } : {}),
      target: Target.TARGET_COMPOSITE_AND_CLAIM,
    })),
    context: req.context,
    requirements: result.requirements
      ? {
          extraResources: {},
          resources: Object.fromEntries(
            Object.entries(result.requirements).map(([k, s]) => [
              k,
              {
                apiVersion: s.apiVersion,
                kind: s.kind,
                ...(s.matchName ? { matchName: s.matchName } : {}),
                ...(s.matchLabels ? { matchLabels: { labels: s.matchLabels } } : {}),
              },
            ]),
          ),
          schemas: {},
        }
      : undefined,
    conditions: result.conditions.map((c) => ({
      type: c.type,
      status: STATUS[c.status],
      reason: c.reason,
      ...(c.message ? { message: c.message } : {}),
      target: Target.TARGET_COMPOSITE_AND_CLAIM,
    })),
  };
  return rsp;
}

export function pipelineDeps(deps: HandlerDeps): PipelineDeps {
  return { repos: deps.repos, retriever: deps.retriever ?? noRetriever, analyze: deps.analyze ?? analyzeRepository, ...(deps.analyses ? { analyses: deps.analyses } : {}), ...(deps.llm ? { llm: deps.llm } : {}) };
}

export async function runFunction(req: RunFunctionRequest, deps: HandlerDeps): Promise<{ rsp: RunFunctionResponse; result: PipelineResult }> {
  const xr = (req.observed?.composite?.resource ?? {}) as Obj;
  const result = await runPipeline(
    {
      xr,
      cloudProvider: lookupCloudProvider(req),
      team: lookupTeam(req),
      input: req.input,
      observed: observedComposed(req),
      now: deps.now ?? (() => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')),
      credentials: pipelineCredentials(req),
    },
    pipelineDeps(deps),
  );
  return { rsp: toResponse(req, result), result };
}

/** RunFunctionRequest.credentials as name → key → bytes. Values are handed to git only, never logged. */
function pipelineCredentials(req: RunFunctionRequest): PipelineCredentials {
  return Object.fromEntries(Object.entries(req.credentials ?? {}).map(([name, c]) => [name, c?.credentialData?.data ?? {}]));
}

/** One analysis cache per server: SCAI_ANALYSIS_CACHE_ENTRIES (default 256), SCAI_ANALYSIS_CACHE_DIR (optional). */
function defaultAnalysisCache(): AnalysisCache {
  const entries = Number(process.env.SCAI_ANALYSIS_CACHE_ENTRIES ?? 256);
  return new AnalysisCache({ maxEntries: Number.isInteger(entries) && entries >= 0 ? entries : 256, dir: process.env.SCAI_ANALYSIS_CACHE_DIR || undefined });
}

export function scaiHandler(deps: HandlerDeps): FunctionHandler {
  deps = deps.analyses ? deps : { ...deps, analyses: defaultAnalysisCache() };
  return {
    async RunFunction(req: RunFunctionRequest): Promise<RunFunctionResponse> {
      return (await runFunction(req, deps)).rsp;
    },
  };
}
