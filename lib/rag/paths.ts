// Data files that ship with the source tree (SQL migrations, the seed corpus). tsc does not copy them
// into dist/, so they are found by walking up from this module: it works from lib/rag and from
// dist/lib/rag alike.
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function findUp(relative: string, from = import.meta.dirname): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${relative} above ${from}`);
    dir = parent;
  }
}

export const migrationsDir = (): string => findUp('migrations');
