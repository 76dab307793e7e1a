// Where repositories come from: a git fetch (the function), or a local directory (the CLI's
// --repo-dir, or a local path in repository.url when the caller explicitly allows it).
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { promisify } from 'node:util';
import { canonicalJson, sha256Hex } from '../util/canonical.js';
import type { RepoSnapshot } from '../types.js';
import { RepositoryError } from './errors.js';
import { DEFAULT_FETCH_LIMITS, fetchCommit, type FetchLimits, type GitAuth, lsRemote, snapshotFromGit } from './git.js';
import { DEFAULT_LIMITS, type SnapshotLimits, snapshotFromDir } from './snapshot.js';
import { checkDestination, parseRepoUrl, type Resolver, systemResolver } from './url.js';

export { RepositoryError } from './errors.js';

const run = promisify(execFile);

export interface RepositoryRef {
  url: string;
  ref?: string;
  path?: string;
}

/** Per-request settings: the function input's `repositories` and the claim's credentials. */
export interface LoadContext {
  auth?: GitAuth;
  allowedHosts?: readonly string[];
  limits?: Partial<FetchLimits & SnapshotLimits>;
}

export interface RepoSource {
  load(repo: RepositoryRef, ctx?: LoadContext): Promise<RepoSnapshot>;
  /**
   * The commit `repo.ref` names now, without fetching the tree (git ls-remote), so a cached
   * analysis can be found before cloning. Sources without a cheap answer leave it out.
   */
  resolve?(repo: RepositoryRef, ctx?: LoadContext): Promise<string>;
}

/** A subdirectory inside the checkout; refuses absolute paths and `..` escapes. */
export function safeSubpath(path: string | undefined): string {
  if (!path) return '.';
  const n = normalize(path).replace(/^\/+/, '').replace(/\/+$/, '');
  if (isAbsolute(path) || n === '..' || n.startsWith('../') || /[\x00-\x1f]/.test(path)) {
    throw new RepositoryError(`spec.repository.path "${path}" must stay inside the repository`);
  }
  return n === '' ? '.' : n;
}

export function isLocalPath(url: string): boolean {
  return url.startsWith('/') || url.startsWith('./') || url.startsWith('../') || url.startsWith('file:');
}

/** Content digest standing in for a commit when a local directory is not a git checkout. */
export function contentDigest(s: RepoSnapshot): string {
  return 'sha256:' + sha256Hex(canonicalJson([...s.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))).slice(0, 16);
}

async function gitHead(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['-C', dir, 'rev-parse', 'HEAD'], { timeout: 5000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: dir } });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Refuses a `repository.path` that walks through a symlink: it could lead out of the checkout. */
async function noSymlinkOnTheWay(root: string, sub: string): Promise<void> {
  let at = root;
  for (const part of sub === '.' ? [] : sub.split('/')) {
    at = join(at, part);
    const st = await lstat(at).catch(() => null);
    if (!st) throw new RepositoryError(`spec.repository.path "${sub}" does not exist in the repository`);
    if (st.isSymbolicLink()) throw new RepositoryError(`spec.repository.path "${sub}" goes through a symlink, which is not followed`);
  }
}

/** Always reads one directory, whatever the URL says (the CLI's --repo-dir). */
export function localDirSource(dir: string, limits: SnapshotLimits = DEFAULT_LIMITS): RepoSource {
  return {
    async load(repo, ctx) {
      const base = resolve(dir);
      const sub = safeSubpath(repo.path);
      await noSymlinkOnTheWay(base, sub);
      const snap = await snapshotFromDir(join(base, sub), { ...limits, ...pick(ctx?.limits) });
      return { ...snap, commit: (await gitHead(base)) ?? contentDigest(snap) };
    },
  };
}

function pick(l: LoadContext['limits']): Partial<SnapshotLimits> {
  const out: Partial<SnapshotLimits> = {};
  for (const k of ['maxFiles', 'maxFileBytes', 'maxTotalBytes', 'maxDepth'] as const) if (l?.[k] !== undefined) out[k] = l[k];
  return out;
}

export interface GitSourceOptions {
  /** Allow repository.url to be a local path (CLI --allow-local). Never in the function server. */
  allowLocal?: boolean;
  /** Defaults for what the function input does not set. */
  cloneTimeoutMs?: number;
  allowedHosts?: readonly string[];
  limits?: Partial<FetchLimits & SnapshotLimits>;
  /** DNS, injectable so tests can point a name at loopback. */
  resolver?: Resolver;
}

export function gitSource(opts: GitSourceOptions = {}): RepoSource {
  const settings = (ctx: LoadContext | undefined) => {
    const limits = {
      ...DEFAULT_LIMITS,
      ...DEFAULT_FETCH_LIMITS,
      ...(opts.cloneTimeoutMs ? { timeoutMs: opts.cloneTimeoutMs } : {}),
      ...opts.limits,
      ...ctx?.limits,
    };
    return { limits, allowedHosts: [...(opts.allowedHosts ?? []), ...(ctx?.allowedHosts ?? [])], auth: ctx?.auth ?? {} };
  };
  const target = async (url: string, allowedHosts: readonly string[]) => {
    const repo = parseRepoUrl(url);
    return { repo, address: await checkDestination(repo, { allowedHosts }, opts.resolver ?? systemResolver) };
  };
  return {
    async resolve(repo, ctx) {
      if (isLocalPath(repo.url) && opts.allowLocal) {
        const head = await gitHead(repo.url.replace(/^file:\/\//, ''));
        if (head) return head;
        throw new RepositoryError(`spec.repository.url "${repo.url}" is not a git checkout`);
      }
      const s = settings(ctx);
      return lsRemote(await target(repo.url, s.allowedHosts), repo.ref, s.auth, s.limits);
    },
    async load(repo, ctx) {
      if (isLocalPath(repo.url)) {
        if (!opts.allowLocal) {
          throw new RepositoryError(`spec.repository.url "${repo.url}" is a local path; local repositories are refused (the CLI allows them with --allow-local)`);
        }
        return localDirSource(repo.url.replace(/^file:\/\//, '')).load(repo, ctx);
      }
      const s = settings(ctx);
      const sub = safeSubpath(repo.path);
      const t = await target(repo.url, s.allowedHosts);
      const dir = await mkdtemp(join(tmpdir(), 'scai-clone-'));
      try {
        const commit = await fetchCommit(t, repo.ref, s.auth, dir, s.limits);
        return await snapshotFromGit(dir, commit, sub, s.limits);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
