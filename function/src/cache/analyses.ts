// Analyses cached by repository URL + commit (+ path, prompt, credential fingerprint), so that a
// re-render of an unchanged repository never fetches it again. Bounded: an in-memory LRU, plus an
// optional directory (survives restarts; oldest files pruned beyond the same bound). A commit is
// immutable, so entries never go stale; only ANALYZER_VERSION changes invalidate them.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analysisCacheLookups } from '../metrics/registry.js';
import type { Analysis } from '../types.js';

// Bound once: a lookup is on every deciding render's path.
const hitCounter = analysisCacheLookups.labels('hit');
const missCounter = analysisCacheLookups.labels('miss');

/** Bump when the analyser's output changes meaning, so cached analyses are recomputed. */
export const ANALYZER_VERSION = 29;

export interface CacheKeyParts {
  url: string;
  commit: string;
  path?: string | undefined;
  /** The prompt, which may pick the app of a monorepo. */
  prompt?: string | undefined;
  credential?: string | undefined;
}

export function cacheKey(k: CacheKeyParts): string {
  const doc = JSON.stringify([ANALYZER_VERSION, k.url, k.commit.toLowerCase(), k.path ?? '', (k.prompt ?? '').trim(), k.credential ?? '']);
  return createHash('sha256').update(doc).digest('hex');
}

export interface AnalysisCacheOptions {
  maxEntries: number;
  /** Also keep entries as JSON files here (created when missing). */
  dir?: string | undefined;
}

export class AnalysisCache {
  private readonly memory = new Map<string, Analysis>();
  hits = 0;
  misses = 0;

  constructor(private readonly opts: AnalysisCacheOptions) {}

  get size(): number {
    return this.memory.size;
  }

  async get(key: string): Promise<Analysis | undefined> {
    const inMemory = this.memory.get(key);
    if (inMemory) {
      // Re-insert: Map order is the LRU order.
      this.memory.delete(key);
      this.memory.set(key, inMemory);
      this.hits++;
      hitCounter.inc();
      return structuredClone(inMemory);
    }
    const fromDisk = this.opts.dir ? await this.readFile(key) : undefined;
    if (fromDisk) {
      this.remember(key, fromDisk);
      this.hits++;
      hitCounter.inc();
      return structuredClone(fromDisk);
    }
    this.misses++;
    missCounter.inc();
    return undefined;
  }

  async set(key: string, analysis: Analysis): Promise<void> {
    if (this.opts.maxEntries <= 0) return;
    this.remember(key, structuredClone(analysis));
    if (this.opts.dir) await this.writeFile(key, analysis).catch(() => undefined); // a cache write failing is not an error
  }

  private remember(key: string, analysis: Analysis): void {
    this.memory.delete(key);
    this.memory.set(key, analysis);
    while (this.memory.size > this.opts.maxEntries) {
      const oldest = this.memory.keys().next().value;
      if (oldest === undefined) break;
      this.memory.delete(oldest);
    }
  }

  private async readFile(key: string): Promise<Analysis | undefined> {
    try {
      const parsed = JSON.parse(await readFile(join(this.opts.dir as string, `${key}.json`), 'utf8')) as { key?: string; analysis?: Analysis };
      // The key inside guards against a renamed or truncated file.
      return parsed.key === key && parsed.analysis && Array.isArray(parsed.analysis.evidence) ? parsed.analysis : undefined;
    } catch {
      return undefined;
    }
  }

  private async writeFile(key: string, analysis: Analysis): Promise<void> {
    const dir = this.opts.dir as string;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `.${key}.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify({ key, analysis }), { mode: 0o600 });
    await rename(tmp, join(dir, `${key}.json`));
    const files = (await readdir(dir)).filter((f) => /^[0-9a-f]{64}\.json$/.test(f));
    if (files.length <= this.opts.maxEntries) return;
    const aged = await Promise.all(files.map(async (f) => ({ f, t: (await stat(join(dir, f)).catch(() => ({ mtimeMs: 0 }))).mtimeMs })));
    aged.sort((a, b) => a.t - b.t);
    for (const { f } of aged.slice(0, files.length - this.opts.maxEntries)) await unlink(join(dir, f)).catch(() => undefined);
  }
}
