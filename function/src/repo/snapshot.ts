// Turns a tree (a checked-out directory or a git tree object) into a RepoSnapshot under fixed
// bounds. Both readers first list candidate files with their sizes, then `planSnapshot` decides
// what to read — the same way for both — so a hostile tree costs at most the limits:
//   - symlinks are never followed (directory walk: skipped; git: mode 120000 entries skipped);
//   - vendored/build directories and anything deeper than maxDepth are not read;
//   - a file over maxFileBytes is skipped, not truncated (half a manifest parses wrong);
//   - at most maxFiles files and maxTotalBytes bytes are read, shallow paths first, because the
//     manifests and entrypoints that decide the analysis sit near the root. What was left out is
//     reported in `notes`, which the analyser turns into evidence.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_DEFAULTS } from '../api/input.js';
import type { Evidence, RepoSnapshot } from '../types.js';

export interface SnapshotLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: SnapshotLimits = {
  maxFiles: REPOSITORY_DEFAULTS.maxFiles,
  maxFileBytes: REPOSITORY_DEFAULTS.maxFileBytes,
  maxTotalBytes: 32 * 1024 * 1024,
  maxDepth: 12,
};

export const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor', '.venv', 'venv', '__pycache__', 'dist', 'build', '.next', '.nuxt', '.svelte-kit', 'target', 'coverage', '.tox', 'obj', '_build', 'deps']);

/**
 * A committed `build/` folder is also where Go's project layout and per-OS packaging keep the app's image
 * (`build/package/Dockerfile`, `build/linux/Dockerfile`): its container build files, two levels down at most, are read.
 */
const PACKAGING_FILE = /^build\/(?:[^/]+\/)?(?:Dockerfile(?:\.[\w.-]+)?|[\w.-]+\.[Dd]ockerfile|Containerfile)$/;
const skipped = (path: string): boolean => path.split('/').slice(0, -1).some((d) => SKIP_DIRS.has(d)) && !PACKAGING_FILE.test(path);

/** A file of the tree that may be read: its path and size. */
export interface FileCandidate {
  /** Relative POSIX path. */
  path: string;
  /** Size in bytes; Infinity when unknown but known to be over the limit (a filtered-out blob). */
  size: number;
}

export interface SnapshotPlan {
  read: FileCandidate[];
  notes: Evidence[];
}

const depthOf = (p: string) => p.split('/').length - 1;
const byDepthThenPath = (a: FileCandidate, b: FileCandidate) => depthOf(a.path) - depthOf(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Pure: which candidates to read under `limits`, and notes on what was left out. */
export function planSnapshot(candidates: readonly FileCandidate[], limits: SnapshotLimits): SnapshotPlan {
  const read: FileCandidate[] = [];
  let tooLarge = 0;
  let tooDeep = 0;
  let overCount = 0;
  let overBytes = 0;
  let total = 0;
  for (const c of [...candidates].sort(byDepthThenPath)) {
    const dirs = c.path.split('/').slice(0, -1);
    if (skipped(c.path)) continue;
    if (dirs.length > limits.maxDepth) {
      tooDeep++;
      continue;
    }
    if (c.size > limits.maxFileBytes) {
      tooLarge++;
      continue;
    }
    if (read.length >= limits.maxFiles) {
      overCount++;
      continue;
    }
    if (total + c.size > limits.maxTotalBytes) {
      overBytes++;
      continue;
    }
    total += c.size;
    read.push(c);
  }
  const notes: Evidence[] = [];
  const note = (n: number, why: string) => n > 0 && notes.push({ fact: `skipped ${n} file(s) ${why}`, source: 'rule:snapshot-limits' });
  note(tooLarge, `over ${limits.maxFileBytes} bytes`);
  note(tooDeep, `deeper than ${limits.maxDepth} directories`);
  note(overCount, `beyond the first ${limits.maxFiles} files`);
  note(overBytes, `beyond ${limits.maxTotalBytes} bytes in total`);
  return { read, notes };
}

type SkippedKind = 'symlink' | 'special' | 'submodule' | 'deep';
const SKIPPED_WHY: Record<SkippedKind, (l: SnapshotLimits) => string> = {
  symlink: () => 'symlink(s), never followed',
  special: () => 'FIFO(s), socket(s) or device(s), never read',
  submodule: () => 'submodule(s), not fetched',
  deep: (l) => `folder(s) deeper than ${l.maxDepth} directories, not listed`,
};

/** Tree entries left out because of what they are, not their size: counted, a few named, as evidence. */
export class SkippedEntries {
  private readonly seen = new Map<SkippedKind, string[]>();
  private readonly counts = new Map<SkippedKind, number>();

  add(kind: SkippedKind, path: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    const names = this.seen.get(kind) ?? [];
    if (names.length < 3) names.push(path);
    this.seen.set(kind, names);
  }

  notes(limits: SnapshotLimits): Evidence[] {
    return [...this.counts].map(([kind, n]) => ({
      fact: `skipped ${n} ${SKIPPED_WHY[kind](limits)}: ${(this.seen.get(kind) ?? []).join(', ')}${n > 3 ? ', …' : ''}`,
      // (A link or a device file holds no content of the repository's own: leaving it out cuts nothing short.)
      source: kind === 'symlink' || kind === 'special' ? 'rule:snapshot-links-and-devices' : 'rule:snapshot-limits',
    }));
  }
}

/** Text of a file, or undefined for binary content (a NUL byte), which says nothing to the analyser. */
export function textOf(buf: Buffer): string | undefined {
  return buf.includes(0) ? undefined : buf.toString('utf8');
}

export function withNotes(files: Map<string, string>, notes: Evidence[], commit?: string): RepoSnapshot {
  return { files, ...(commit ? { commit } : {}), ...(notes.length ? { notes } : {}) };
}

/**
 * Reads a directory with synchronous calls: this reader serves the CLI and tests (the function
 * reads git objects, see git.ts), and per-file async fs calls measured 13x slower than a plain
 * walk in test/bench/analyze.bench.ts. Symlinks are never followed — not even the root's components: a caller who
 * joined `repository.path` must pass the real path (see localDirSource), and lstat is used here.
 */
export async function snapshotFromDir(root: string, limits: SnapshotLimits = DEFAULT_LIMITS, commit?: string): Promise<RepoSnapshot> {
  let st;
  try {
    st = lstatSync(root);
  } catch {
    st = null;
  }
  if (!st?.isDirectory()) throw new Error(`repository directory ${root} does not exist or is not a directory`);
  const candidates: FileCandidate[] = [];
  const skipped = new SkippedEntries();
  // The walk itself is bounded too: a tree of a million empty files must not be listed forever.
  const maxListed = limits.maxFiles * 10;
  function walk(dir: string, rel: string, depth: number): void {
    if (candidates.length > maxListed) return;
    if (depth > limits.maxDepth + 1) return skipped.add('deep', rel);
    const entries = readdirSync(dir, { withFileTypes: true });
    for (const e of entries) {
      if (candidates.length > maxListed) break;
      const path = rel ? `${rel}/${e.name}` : e.name;
      // Dirent types come from lstat semantics: a symlink is neither a file nor a directory here.
      if (e.isFile()) candidates.push({ path, size: lstatSync(join(dir, e.name)).size });
      else if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(join(dir, e.name), path, depth + 1);
        else if (path === 'build') walkPackaging(join(dir, e.name), path);
      } else skipped.add(e.isSymbolicLink() ? 'symlink' : 'special', path);
    }
  }
  // Only the container build files of the root's build/ folder (see PACKAGING_FILE), not its output.
  function walkPackaging(dir: string, rel: string): void {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = `${rel}/${e.name}`;
      if (e.isFile() && PACKAGING_FILE.test(path)) candidates.push({ path, size: lstatSync(join(dir, e.name)).size });
      else if (e.isDirectory() && rel === 'build') walkPackaging(join(dir, e.name), path);
    }
  }
  walk(root, '', 0);
  const plan = planSnapshot(candidates, limits);
  plan.notes.push(...skipped.notes(limits));
  if (candidates.length > maxListed) plan.notes.push({ fact: `stopped listing after ${maxListed} files`, source: 'rule:snapshot-limits' });
  const files = new Map<string, string>();
  for (const c of plan.read) {
    const full = join(root, ...c.path.split('/'));
    // Re-check: the file may have been swapped for a symlink since it was listed.
    const now = lstatSync(full, { throwIfNoEntry: false });
    const text = now?.isFile() && now.size <= limits.maxFileBytes ? textOf(readFileSync(full)) : undefined;
    if (text !== undefined) files.set(c.path, text);
  }
  return withNotes(files, plan.notes, commit);
}
