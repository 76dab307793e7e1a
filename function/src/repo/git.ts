// Fetching one commit of a remote repository without running anything it contains.
//
// How the fetch stays inert and bounded:
//   - git runs with no system/global config (GIT_CONFIG_NOSYSTEM, GIT_CONFIG_GLOBAL=/dev/null), a
//     throwaway HOME, and only GIT_* variables we set; hooks go to /dev/null, fsmonitor is off,
//     credential helpers are off, only the https/ssh (and, if allowlisted, http) protocols are
//     allowed, redirects are not followed, submodules are not fetched.
//   - the repository is bare and never checked out: no working tree means no checkout filters
//     (LFS or otherwise), no symlinks on disk, no files written where the repository says.
//     Files are read from the object database with `git cat-file`.
//   - the fetch is shallow (depth 1, one ref, no tags) and asks the server to leave out blobs over
//     the per-file cap (`--filter=blob:limit`); servers that ignore filters are still bounded by
//     the byte watcher, which kills git when the object store outgrows maxFetchBytes, and by the
//     time limit. Both kill the whole process group (git spawns remote helpers).
//   - the address checked by url.ts is pinned: `http.curloptResolve` for http(s), `HostName` for
//     ssh, so a second DNS answer cannot point git somewhere else.
//   - credentials travel in GIT_CONFIG_* environment variables or a 0600 key file in the
//     throwaway HOME, never on a command line (visible in /proc), and are scrubbed from errors.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { RepoSnapshot } from '../types.js';
import { RepositoryError } from './errors.js';
import { dirBytes, LimitError, runGit, type RunOptions } from './git-process.js';
import { REPOSITORY_DEFAULTS } from '../api/input.js';
import { type FileCandidate, DEFAULT_LIMITS, planSnapshot, SkippedEntries, type SnapshotLimits, textOf, withNotes } from './snapshot.js';
import type { RepoUrl } from './url.js';

export interface FetchLimits {
  /** Wall-clock bound of each git invocation (ls-remote, fetch). */
  timeoutMs: number;
  /** Bytes the fetched object store may reach on disk. */
  maxFetchBytes: number;
  /** Entries (files, at any depth) the fetched tree may hold. */
  maxTreeEntries: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  timeoutMs: REPOSITORY_DEFAULTS.timeoutSeconds * 1000,
  maxFetchBytes: REPOSITORY_DEFAULTS.maxFetchBytes,
  maxTreeEntries: REPOSITORY_DEFAULTS.maxTreeEntries,
};

/** Credentials for one fetch. Never logged; scrubbed from error messages by `redact`. */
export interface GitAuth {
  token?: string;
  /** Basic-auth user sent with the token; GitHub accepts any, GitLab wants `oauth2`. */
  username?: string;
  sshPrivateKey?: string;
  /** known_hosts lines for ssh; without them the host key is accepted on first use. */
  knownHosts?: string;
}

/** A URL that passed url.ts and the address git must connect to. */
export interface GitTarget {
  repo: RepoUrl;
  address: string;
}

export const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/** Removes secrets and URL userinfo from text that may reach a status, an event or a log. */
export function redact(text: string, auth: GitAuth = {}): string {
  let out = text.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@');
  for (const secret of [auth.token, auth.token && Buffer.from(`${auth.username ?? 'x-access-token'}:${auth.token}`).toString('base64')]) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}

interface Env {
  env: NodeJS.ProcessEnv;
  home: string;
}

/** The git environment for one target: isolated config, safety settings, pinning, credentials. */
async function gitEnv(target: GitTarget, auth: GitAuth): Promise<Env> {
  const home = await mkdtemp(join(tmpdir(), 'scai-git-home-'));
  const config: [string, string][] = [
    ['core.hooksPath', '/dev/null'],
    ['core.fsmonitor', 'false'],
    ['core.symlinks', 'false'],
    ['core.askPass', ''],
    ['credential.helper', ''],
    ['protocol.allow', 'never'],
    ['protocol.https.allow', 'always'],
    ['protocol.ssh.allow', 'always'],
    ['http.followRedirects', 'false'],
    ['fetch.recurseSubmodules', 'false'],
    ['submodule.recurse', 'false'],
    ['transfer.fsckObjects', 'true'],
    ['gc.auto', '0'],
    ['maintenance.auto', 'false'],
  ];
  const { repo, address } = target;
  if (repo.transport === 'http') config.push(['protocol.http.allow', 'always']);
  if (repo.transport !== 'ssh') {
    // An IP literal needs no pin (nothing is resolved), and curl cannot parse `host:port:addr` with an
    // IPv6 host: pinning one made every https://[v6]/ URL fail.
    if (!isIP(repo.host)) config.push(['http.curloptResolve', `${repo.host}:${repo.port}:${address.includes(':') ? `[${address}]` : address}`]);
    if (auth.token) {
      const basic = Buffer.from(`${auth.username ?? 'x-access-token'}:${auth.token}`).toString('base64');
      config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
    }
  } else {
    const knownHosts = join(home, 'known_hosts');
    await writeFile(knownHosts, auth.knownHosts ?? '', { mode: 0o600 });
    const ssh = [
      'ssh', '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', `HostName=${address}`,
      '-o', `HostKeyAlias=${repo.host}`, '-o', `UserKnownHostsFile=${knownHosts}`,
      '-o', `StrictHostKeyChecking=${auth.knownHosts ? 'yes' : 'accept-new'}`, '-o', 'ProxyCommand=none',
      '-o', 'ForwardAgent=no', '-o', 'ClearAllForwardings=yes', '-o', 'PermitLocalCommand=no', '-o', 'ConnectTimeout=15',
    ];
    if (auth.sshPrivateKey) {
      const key = join(home, 'id');
      await writeFile(key, auth.sshPrivateKey.endsWith('\n') ? auth.sshPrivateKey : `${auth.sshPrivateKey}\n`, { mode: 0o600 });
      await chmod(key, 0o600);
      ssh.push('-i', key);
    } else ssh.push('-o', 'IdentityFile=none');
    config.push(['core.sshCommand', ssh.join(' ')]);
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: repo.transport === 'http' ? 'http:https:ssh' : 'https:ssh',
    GIT_LFS_SKIP_SMUDGE: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_CONFIG_COUNT: String(config.length),
  };
  config.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = k;
    env[`GIT_CONFIG_VALUE_${i}`] = v;
  });
  return { env, home };
}


/** Git's wording for "the server wants credentials" differs by transport; say what to do about it. */
function authHint(msg: string, auth: GitAuth): string {
  if (!/could not read Username|Authentication failed|HTTP 40[13]|Permission denied \(publickey|terminal prompts disabled/i.test(msg)) return msg;
  const had = auth.token || auth.sshPrivateKey;
  return `${had ? 'the credentials of spec.repository.secretRef were refused' : 'the repository needs credentials: set spec.repository.secretRef'} (${msg})`;
}

function describe(e: unknown, auth: GitAuth): string {
  return redact(e instanceof Error ? e.message : String(e), auth);
}

/**
 * The commit `ref` names on the remote (branch first, then tag, then HEAD when no ref), without
 * fetching objects: one round trip, used to find a cached analysis before cloning anything.
 */
export async function lsRemote(target: GitTarget, ref: string | undefined, auth: GitAuth, limits: FetchLimits = DEFAULT_FETCH_LIMITS): Promise<string> {
  if (ref && FULL_SHA.test(ref)) return ref.toLowerCase();
  const { env, home } = await gitEnv(target, auth);
  try {
    const out = await runGit(['ls-remote', '--', target.repo.url, ...(ref ? [ref, `${ref}^{}`] : ['HEAD'])], { env, cwd: home, timeoutMs: limits.timeoutMs, maxOutput: 1024 * 1024 });
    const refs = new Map<string, string>();
    for (const line of out.toString('utf8').split('\n')) {
      const [oid, name] = line.split('\t');
      if (oid && name) refs.set(name, oid);
    }
    const wanted = ref ? [`refs/heads/${ref}`, `refs/tags/${ref}^{}`, `refs/tags/${ref}`, ref] : ['HEAD'];
    for (const name of wanted) {
      const oid = refs.get(name);
      if (oid) return oid;
    }
    throw new RepositoryError(`spec.repository.ref "${ref ?? 'HEAD'}" does not exist in ${redact(target.repo.url)}`);
  } catch (e) {
    if (e instanceof RepositoryError) throw e;
    throw new RepositoryError(`cannot reach ${redact(target.repo.url)}: ${authHint(describe(e, auth), auth)}`);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Fetches `ref` (branch, tag or full commit SHA; default HEAD) into a new bare repository at `dir`. Returns the commit. */
export async function fetchCommit(target: GitTarget, ref: string | undefined, auth: GitAuth, dir: string, limits: FetchLimits & { maxFileBytes: number }): Promise<string> {
  const { env, home } = await gitEnv(target, auth);
  const run = (args: string[], extra: Partial<RunOptions> = {}) => runGit(args, { env, cwd: dir, timeoutMs: limits.timeoutMs, maxOutput: 1024 * 1024, ...extra });
  const where = `${redact(target.repo.url)}${ref ? `@${ref}` : ''}`;
  try {
    await run(['init', '-q', '--bare', dir], { cwd: home });
    await run(['remote', 'add', 'origin', target.repo.url]);
    // A partial clone needs the remote registered as promisor; undone below so that reading a
    // filtered-out blob later fails instead of fetching it lazily.
    await run(['config', 'core.repositoryformatversion', '1']);
    await run(['config', 'extensions.partialClone', 'origin']);
    await run(['config', 'remote.origin.promisor', 'true']);
    await run(
      ['fetch', '-q', '--depth=1', '--no-tags', '--no-write-fetch-head', '--no-recurse-submodules', `--filter=blob:limit=${limits.maxFileBytes}`, 'origin', `+${ref ?? 'HEAD'}:refs/scai/fetched`],
      { watch: { dir, maxBytes: limits.maxFetchBytes, what: 'fetched repository (function input spec.repositories.maxFetchBytes)' } },
    );
    // The watcher polls; a fast fetch can finish between two polls, so measure once more.
    const size = await dirBytes(dir);
    if (size > limits.maxFetchBytes) throw new LimitError(`fetched repository (function input spec.repositories.maxFetchBytes) exceeded ${limits.maxFetchBytes} bytes`);
    await run(['config', '--unset', 'extensions.partialClone']);
    await run(['config', '--unset', 'remote.origin.promisor']);
    return (await run(['rev-parse', '--verify', 'refs/scai/fetched^{commit}'])).toString('utf8').trim();
  } catch (e) {
    if (e instanceof LimitError) throw new RepositoryError(`cannot fetch ${where}: ${e.message}`);
    const msg = describe(e, auth);
    if (/couldn't find remote ref|not our ref|no such remote ref|unadvertised object/i.test(msg)) {
      throw new RepositoryError(`spec.repository.ref "${ref}" does not exist in ${redact(target.repo.url)} (${msg})`);
    }
    throw new RepositoryError(`cannot fetch ${where}: ${authHint(msg, auth)}`);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

const gitPlain = (dir: string, args: string[], o: Partial<RunOptions> = {}) =>
  runGit(args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_NO_REPLACE_OBJECTS: '1', GIT_LITERAL_PATHSPECS: '1' }, cwd: dir, timeoutMs: 30_000, ...o });

/**
 * Reads `sub` of `commit` from the object database into a snapshot: symlinks and submodules are
 * skipped by mode, sizes come from `cat-file --batch-check` before anything is read.
 */
export async function snapshotFromGit(dir: string, commit: string, sub: string, limits: SnapshotLimits & Pick<FetchLimits, 'maxTreeEntries'> = { ...DEFAULT_LIMITS, maxTreeEntries: DEFAULT_FETCH_LIMITS.maxTreeEntries }): Promise<RepoSnapshot> {
  const treeish = sub === '.' ? `${commit}^{tree}` : `${commit}:${sub}`;
  const type = await gitPlain(dir, ['cat-file', '-t', treeish]).then((b) => b.toString('utf8').trim(), () => 'missing');
  if (type !== 'tree') throw new RepositoryError(`spec.repository.path "${sub}" is not a directory at commit ${commit.slice(0, 12)}`);
  let listing: Buffer;
  try {
    // ~ 100 bytes per entry on average; the cap turns a zip-bomb-like tree into a clean refusal.
    listing = await gitPlain(dir, ['ls-tree', '-r', '-z', treeish], { maxOutput: limits.maxTreeEntries * 200 });
  } catch (e) {
    if (e instanceof LimitError) throw new RepositoryError(`repository tree is too large (more than about ${limits.maxTreeEntries} entries; function input spec.repositories.maxTreeEntries)`);
    throw e;
  }
  const blobs = new Map<string, string>(); // path → oid
  const skipped = new SkippedEntries();
  let entries = 0;
  for (const rec of listing.toString('utf8').split('\0')) {
    if (!rec) continue;
    if (++entries > limits.maxTreeEntries) throw new RepositoryError(`repository tree has more than ${limits.maxTreeEntries} entries (function input spec.repositories.maxTreeEntries)`);
    const tab = rec.indexOf('\t');
    const [mode, kind, oid] = rec.slice(0, tab).split(' ');
    // 120000 = symlink, 160000 = submodule (commit): neither is content of this tree.
    if (mode === '120000') skipped.add('symlink', rec.slice(tab + 1));
    else if (kind === 'commit') skipped.add('submodule', rec.slice(tab + 1));
    if (kind !== 'blob' || mode === '120000' || !oid) continue;
    blobs.set(rec.slice(tab + 1), oid);
  }
  const paths = [...blobs.keys()];
  const sizes = (await gitPlain(dir, ['cat-file', '--batch-check=%(objectname) %(objectsize)'], { input: paths.map((p) => blobs.get(p)).join('\n') + '\n', maxOutput: 64 * 1024 * 1024 }))
    .toString('utf8')
    .split('\n');
  // A blob the server filtered out (over the per-file cap) is reported `missing`: treat as too large.
  const candidates: FileCandidate[] = paths.map((path, i) => {
    const size = Number(/^\S+ (\d+)$/.exec(sizes[i] ?? '')?.[1]);
    return { path, size: Number.isFinite(size) ? size : Infinity };
  });
  const plan = planSnapshot(candidates, limits);
  plan.notes.push(...skipped.notes(limits));
  const files = new Map<string, string>();
  if (plan.read.length > 0) {
    const raw = await gitPlain(dir, ['cat-file', '--batch'], { input: plan.read.map((c) => blobs.get(c.path)).join('\n') + '\n', maxOutput: limits.maxTotalBytes + plan.read.length * 128 });
    let at = 0;
    for (const c of plan.read) {
      const nl = raw.indexOf(10, at);
      const header = raw.subarray(at, nl).toString('utf8');
      const size = Number(/^\S+ blob (\d+)$/.exec(header)?.[1]);
      if (!Number.isFinite(size)) {
        at = nl + 1;
        continue;
      }
      const text = textOf(raw.subarray(nl + 1, nl + 1 + size));
      if (text !== undefined) files.set(c.path, text);
      at = nl + 1 + size + 1;
    }
  }
  return withNotes(files, plan.notes, commit);
}
