// A directory of a test fixture as a RepoSnapshot: every file keyed by relative POSIX path
// (`.gitkeep` only keeps empty fixtures in git).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RepoSnapshot } from '../../function/src/types.js';

export const FIXTURE_APPS = join(import.meta.dirname, '..', 'fixtures', 'apps');

export function snapshotOf(dir: string): RepoSnapshot {
  const files = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (e.name !== '.gitkeep') files.set(p, readFileSync(join(dir, p), 'utf8'));
    }
  };
  walk('');
  return { files };
}

/** A repository snapshot from a path → content table: the tests' in-memory repository. */
export const snapshot = (files: Record<string, string>): RepoSnapshot => ({ files: new Map(Object.entries(files)) });
