// The analyse stage as the function runs it: credentials and settings → (cached?) → fetch → analyse.
// Kept out of the pipeline so the CLI's `scai analyze` goes through exactly the same steps.
import { AnalysisCache, cacheKey } from '../analysis/cache.js';
import type { Analysis, RepoSnapshot } from '../types.js';
import { authFingerprint, authFromCredentials, type PipelineCredentials, type SecretRef } from './credentials.js';
import type { GitAuth } from './git.js';
import type { LoadContext, RepositoryRef, RepoSource } from './source.js';

export interface RepositorySettings {
  allowedHosts: readonly string[];
  timeoutSeconds: number;
  maxFetchBytes: number;
  maxTreeEntries: number;
  maxFiles: number;
  maxFileBytes: number;
}

export interface AnalyzeOptions {
  /** The claim's prompt: names the app of a monorepo when `path` does not. */
  prompt?: string;
}

export type Analyzer = (snapshot: RepoSnapshot, opts?: AnalyzeOptions) => Analysis;

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
  let analysis = deps.analyze(snapshot, req.prompt ? { prompt: req.prompt } : {});
  if (snapshot.commit) analysis = { ...analysis, commit: snapshot.commit };
  // Keyed by the commit actually fetched: the branch may have moved since it was resolved.
  if (deps.cache && snapshot.commit) await deps.cache.set(keyOf(snapshot.commit), analysis);
  return { analysis, cached: false };
}
