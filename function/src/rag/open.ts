// Where the store lives: SCAI_DATABASE_URL → a PostgreSQL server through `pg`; otherwise the
// embedded PGlite in SCAI_RAG_DIR (default ~/.scai/rag).
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Db } from './db.js';
import { defaultEmbedder, type Embedder } from './embedder.js';
import { RecordingStore } from './recording-store.js';
import { DEFAULT_WEIGHTS, type RerankWeights } from './rerank.js';
import { RagStore, type RetrievalOptions } from './store.js';

export type StoreLocation = { kind: 'pg'; url: string } | { kind: 'pglite'; dir: string };

export function storeLocation(o: { databaseUrl?: string; ragDir?: string } = {}, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const url = o.databaseUrl ?? env.SCAI_DATABASE_URL;
  if (url) return { kind: 'pg', url };
  return { kind: 'pglite', dir: o.ragDir ?? env.SCAI_RAG_DIR ?? join(homedir(), '.scai', 'rag') };
}

/** SCAI_RAG_WEIGHTS="similarity=0.7,feedback=0.1,recency=0.1,costEfficiency=0.1": any subset. */
export function parseWeights(spec: string): Partial<RerankWeights> {
  const out: Partial<RerankWeights> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [k, v] = part.split('=').map((x) => x.trim());
    if (!k || !(k in DEFAULT_WEIGHTS)) throw new Error(`SCAI_RAG_WEIGHTS: unknown weight "${k}" (use ${Object.keys(DEFAULT_WEIGHTS).join(', ')})`);
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n) || n < 0) throw new Error(`SCAI_RAG_WEIGHTS: ${k} must be a non-negative number, got "${v ?? ''}"`);
    out[k as keyof RerankWeights] = n;
  }
  return out;
}

export interface OpenOptions {
  databaseUrl?: string;
  ragDir?: string;
  embedder?: Embedder;
  retrieval?: Partial<RetrievalOptions>;
}

/** Back ends load on demand: a process using `pg` never loads PGlite's WASM, and the reverse. */
async function openDb(where: StoreLocation): Promise<Db> {
  if (where.kind === 'pg') return (await import('./backends/pg.js')).openPg({ url: where.url });
  return (await import('./backends/pglite.js')).openPglite({ dir: where.dir });
}

export async function openStore(o: OpenOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<RagStore> {
  const where = storeLocation(o, env);
  const embedder = o.embedder ?? (await defaultEmbedder(env));
  const db = await openDb(where);
  try {
    const retrieval = o.retrieval ?? (env.SCAI_RAG_WEIGHTS ? { weights: parseWeights(env.SCAI_RAG_WEIGHTS) } : undefined);
    return await RagStore.open({ db, embedder, ...(retrieval ? { retrieval } : {}) });
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}

/** The controller's store: records without an embedding model (see recording-store.ts). */
export async function openRecordingStore(o: { databaseUrl?: string; ragDir?: string } = {}, env: NodeJS.ProcessEnv = process.env): Promise<RecordingStore> {
  const db = await openDb(storeLocation(o, env));
  try {
    return await RecordingStore.open(db);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
