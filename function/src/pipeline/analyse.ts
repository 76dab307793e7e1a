// Stage "analyse": the claim's repository fetched (credentials, limits from the function input) and
// analysed, answered from the analysis cache when the commit is known. The CLI's `scai analyze`
// goes through the same functions.
import type { FunctionSettings } from '../api/input.js';
import type { AnalyzeOptions } from '../analysis/analyze.js';
import { cacheKey, type AnalysisCache } from '../cache/analyses.js';
import { authFingerprint, authFromCredentials, type PipelineCredentials, type SecretRef } from '../repo/credentials.js';
import type { GitAuth } from '../repo/git.js';
import type { LoadContext, RepositoryRef, RepoSource } from '../repo/source.js';
import type { Analysis, RepoSnapshot } from '../types.js';
import type { RenderContext } from './context.js';
import type { ClaimFacts } from './provider.js';
import { StageError, type Done, type Res } from './result.js';
import { analysisSummary, type Phase } from './status.js';

/** The analyser as the pipeline receives it: in this thread (CLI, tests) or on a pool thread (the server, analysis-pool/). */
export type Analyzer = (snapshot: RepoSnapshot, opts?: AnalyzeOptions) => Analysis | Promise<Analysis>;
export type RepositorySettings = FunctionSettings['repositories'];

export interface RepoAnalysisRequest {
  repository: RepositoryRef & { secretRef?: SecretRef | undefined };
  prompt?: string;
  credentials?: PipelineCredentials | undefined;
  settings?: RepositorySettings | undefined;
}

export interface RepoAnalysisDeps {
  repos: RepoSource;
  analyze: Analyzer;
  cache?: AnalysisCache | undefined;
}

export function loadContext(settings: RepositorySettings | undefined, auth: GitAuth | undefined): LoadContext {
  const ctx: LoadContext = {};
  if (auth) ctx.auth = auth;
  if (settings) {
    ctx.allowedHosts = settings.allowedHosts;
    ctx.limits = {
      timeoutMs: settings.timeoutSeconds * 1000,
      maxFetchBytes: settings.maxFetchBytes,
      maxTreeEntries: settings.maxTreeEntries,
      maxFiles: settings.maxFiles,
      maxFileBytes: settings.maxFileBytes,
    };
  }
  return ctx;
}

/** The commit the claim's ref names now (git ls-remote), or undefined when the source cannot tell cheaply. */
export async function currentCommit(req: RepoAnalysisRequest, deps: Pick<RepoAnalysisDeps, 'repos'>): Promise<string | undefined> {
  if (!deps.repos.resolve) return undefined;
  const auth = authFromCredentials(req.repository.secretRef, req.credentials);
  return deps.repos.resolve(req.repository, loadContext(req.settings, auth));
}

/**
 * Analyses the claim's repository. With a cache and a source that can resolve refs, a known
 * URL + commit + path is answered from the cache without fetching anything.
 */
export async function analyzeRepositoryRef(req: RepoAnalysisRequest, deps: RepoAnalysisDeps): Promise<{ analysis: Analysis; cached: boolean }> {
  const auth = authFromCredentials(req.repository.secretRef, req.credentials);
  const ctx = loadContext(req.settings, auth);
  const keyOf = (commit: string) =>
    cacheKey({ url: req.repository.url, commit, path: req.repository.path, prompt: req.prompt, credential: authFingerprint(auth) });
  const resolved = deps.cache && deps.repos.resolve ? await deps.repos.resolve(req.repository, ctx) : undefined;
  if (resolved && deps.cache) {
    const hit = await deps.cache.get(keyOf(resolved));
    if (hit) return { analysis: { ...hit, commit: resolved }, cached: true };
  }
  const snapshot = await deps.repos.load(req.repository, ctx);
  let analysis = await deps.analyze(snapshot, req.prompt ? { prompt: req.prompt } : {});
  if (snapshot.commit) analysis = { ...analysis, commit: snapshot.commit };
  // Keyed by the commit actually fetched: the branch may have moved since it was resolved.
  if (deps.cache && snapshot.commit) await deps.cache.set(keyOf(snapshot.commit), analysis);
  return { analysis, cached: false };
}

export interface Analysed {
  analysis: Analysis;
  results: Res[];
}

/**
 * Longest start command or health path copied into the composed XInfrastructure (spec.config) and
 * status.deployment: both live in etcd (1.5 MiB per object). Longer ones are dropped, not cut: half a
 * command would run something else.
 */
export const COMPOSED_TEXT_MAX = 4096;

/** The analysis without strings too long to compose, and a Warning per string left out. */
export function boundForComposition(analysis: Analysis): Analysed {
  const results: Res[] = [];
  const bounded = { ...analysis };
  for (const field of ['startCommand', 'healthCheckPath'] as const) {
    const value = bounded[field];
    if (value !== undefined && value.length > COMPOSED_TEXT_MAX) {
      delete bounded[field];
      results.push({ severity: 'warning', reason: 'AnalysisCut', message: `analysis.${field}: ${value.length} characters from the repository, over ${COMPOSED_TEXT_MAX}; not used (set it in a Dockerfile or shorten it)` });
    }
  }
  return { analysis: bounded, results };
}

/** The analysis, or a Pending result asking which app of a monorepo is meant. */
export async function analyse(ctx: RenderContext, facts: ClaimFacts, branchMoved?: string): Promise<Analysed | Done> {
  const { spec } = facts;
  let analysis: Analysis;
  try {
    ({ analysis } = await analyzeRepositoryRef(
      { repository: spec.repository, prompt: spec.prompt, credentials: ctx.req.credentials, settings: facts.settings.repositories },
      { repos: ctx.deps.repos, analyze: ctx.deps.analyze, cache: ctx.deps.analyses },
    ));
  } catch (e) {
    throw new StageError('analyze', e instanceof Error ? e.message : String(e));
  }
  const bounded = boundForComposition(analysis);
  analysis = bounded.analysis;
  const results: Res[] = [...bounded.results];
  if (branchMoved) {
    results.push({ severity: 'normal', reason: 'BranchMoved', message: `spec.repository.followBranch: ${spec.repository.ref ?? 'HEAD'} moved from ${ctx.pinned?.decision.commit?.slice(0, 12)} to ${branchMoved.slice(0, 12)}; deciding again` });
  }
  // A monorepo whose app neither spec.repository.path nor the prompt names: ask, do not guess.
  if (analysis.monorepo && !analysis.monorepo.chosen) {
    const ask = `the repository holds ${analysis.monorepo.candidates.length} apps (${analysis.monorepo.candidates.join(', ')}); set spec.repository.path to one of them or name it in spec.prompt`;
    if (ctx.pinned || ctx.ownedObserved.length > 0) throw new StageError('analyze', ask);
    return {
      done: {
        resources: {},
        status: { phase: 'Pending' satisfies Phase, endpoints: [], analysis: analysisSummary(analysis) },
        conditions: [{ type: 'DecisionReady', status: 'False', reason: 'AmbiguousRepository', message: ask }],
        results: [...ctx.baseResults, { severity: 'warning', reason: 'AmbiguousRepository', message: ask }],
        ttlSeconds: ctx.failureTtl,
      },
    };
  }
  return { analysis, results };
}
