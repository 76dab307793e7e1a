// Where repositories come from: a git clone (the function), or a local directory (the CLI's
// --repo-dir, or a local path in repository.url when the caller explicitly allows it).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { promisify } from 'node:util';
import { canonicalJson, sha256Hex } from '../util/canonical.js';
import type { RepoSnapshot } from '../types.js';
import { snapshotFromDir } from './snapshot.js';

const run = promisify(execFile);

export interface RepositoryRef {
  url: string;
  ref?: string;
  path?: string;
}

export interface RepoSource {
  load(repo: RepositoryRef): Promise<RepoSnapshot>;
}

export class RepositoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepositoryError';
  }
}

/** A subdirectory inside the checkout; refuses absolute paths and `..` escapes. */
export function safeSubpath(path: string | undefined): string {
  if (!path) return '.';
  const n = normalize(path).replace(/^\/+/, '');
  if (isAbsolute(path) || n === '..' || n.startsWith('../')) {
    throw new RepositoryError(`spec.repository.path "${path}" must stay inside the repository`);
  }
  return n;
}

export function isLocalPath(url: string): boolean {
  return url.startsWith('/') || url.startsWith('./') || url.startsWith('../') || url.startsWith('file:');
}

const REMOTE = /^(https:\/\/[^\s/]+\/\S+|ssh:\/\/[^\s/]+\/\S+|[\w.-]+@[\w.-]+:[\w./~-]+)$/;

/** Content digest standing in for a commit when a local directory is not a git checkout. */
export function contentDigest(s: RepoSnapshot): string {
  return 'sha256:' + sha256Hex(canonicalJson([...s.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))).slice(0, 16);
}

async function gitHead(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['-C', dir, 'rev-parse', 'HEAD'], { timeout: 5000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Always reads one directory, whatever the URL says (the CLI's --repo-dir). */
export function localDirSource(dir: string): RepoSource {
  return {
    async load(repo) {
      const root = join(resolve(dir), safeSubpath(repo.path));
      const snap = await snapshotFromDir(root);
      return { files: snap.files, commit: (await gitHead(resolve(dir))) ?? contentDigest(snap) };
    },
  };
}

export interface GitSourceOptions {
  /** Allow repository.url to be a local path (CLI --allow-local). Never in the function server. */
  allowLocal?: boolean;
  cloneTimeoutMs?: number;
}

export function gitSource(opts: GitSourceOptions = {}): RepoSource {
  return {
    async load(repo) {
      if (isLocalPath(repo.url)) {
        if (!opts.allowLocal) {
          throw new RepositoryError(`spec.repository.url "${repo.url}" is a local path; local repositories are refused (the CLI allows them with --allow-local)`);
        }
        return localDirSource(repo.url.replace(/^file:\/\//, '')).load(repo);
      }
      if (!REMOTE.test(repo.url)) {
        throw new RepositoryError(`spec.repository.url "${repo.url}" is not an https://, ssh:// or git@host: URL`);
      }
      const sub = safeSubpath(repo.path);
      const dir = await mkdtemp(join(tmpdir(), 'scai-clone-'));
      const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_LFS_SKIP_SMUDGE: '1' };
      const git = (args: string[]) =>
        run('git', ['-c', 'protocol.file.allow=never', '-c', 'protocol.ext.allow=never', '-c', 'core.symlinks=false', ...args], {
          timeout: opts.cloneTimeoutMs ?? 60_000,
          env,
          maxBuffer: 1024 * 1024,
        });
      try {
        const isSha = repo.ref !== undefined && /^[0-9a-f]{40}$/i.test(repo.ref);
        if (isSha) {
          await git(['init', '-q', dir]);
          await git(['-C', dir, 'fetch', '-q', '--depth', '1', '--no-tags', '--', repo.url, repo.ref as string]);
          await git(['-C', dir, 'checkout', '-q', 'FETCH_HEAD']);
        } else {
          const branch = repo.ref ? ['--branch', repo.ref] : [];
          await git(['clone', '-q', '--depth', '1', '--no-tags', '--single-branch', ...branch, '--', repo.url, dir]);
        }
        const commit = await gitHead(dir);
        const snap = await snapshotFromDir(join(dir, sub));
        return commit ? { files: snap.files, commit } : snap;
      } catch (e) {
        if (e instanceof RepositoryError) throw e;
        const msg = e instanceof Error ? (e as Error & { stderr?: string }).stderr?.trim() || e.message : String(e);
        throw new RepositoryError(`cannot fetch ${repo.url}${repo.ref ? `@${repo.ref}` : ''}: ${msg}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
