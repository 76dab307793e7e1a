// Reads a checked-out tree into a RepoSnapshot: bounded in files and bytes, never following
// symlinks, skipping vendored and build directories that say nothing about the app.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { RepoSnapshot } from '../types.js';

export interface SnapshotLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: SnapshotLimits = { maxFiles: 5000, maxFileBytes: 256 * 1024, maxTotalBytes: 16 * 1024 * 1024, maxDepth: 12 };

const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor', '.venv', 'venv', '__pycache__', 'dist', 'build', '.next', 'target', 'coverage', '.tox']);

export async function snapshotFromDir(root: string, limits: SnapshotLimits = DEFAULT_LIMITS, commit?: string): Promise<RepoSnapshot> {
  const files = new Map<string, string>();
  let total = 0;
  let seen = 0;
  async function walk(dir: string, depth: number): Promise<void> {
    if (depth > limits.maxDepth) return;
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(full, depth + 1);
        continue;
      }
      if (!e.isFile()) continue;
      if (++seen > limits.maxFiles) throw new Error(`repository has more than ${limits.maxFiles} files`);
      const st = await lstat(full);
      if (st.size > limits.maxFileBytes) continue;
      total += st.size;
      if (total > limits.maxTotalBytes) throw new Error(`repository text exceeds ${limits.maxTotalBytes} bytes`);
      const buf = await readFile(full);
      if (buf.includes(0)) continue; // binary
      files.set(relative(root, full).split(sep).join('/'), buf.toString('utf8'));
    }
  }
  const st = await lstat(root).catch(() => null);
  if (!st?.isDirectory()) throw new Error(`repository directory ${root} does not exist`);
  await walk(root, 0);
  return commit ? { commit, files } : { files };
}
