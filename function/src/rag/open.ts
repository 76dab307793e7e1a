// The function's store: where lib/rag/location.ts says (SCAI_DATABASE_URL, else SCAI_RAG_DIR), with
// the embedding model and the retrieval settings (SCAI_RAG_WEIGHTS).
import { openDb, storeLocation, type LocationOptions } from '../../../lib/rag/location.js';
import { defaultEmbedder, type Embedder } from './embedder.js';
import { DEFAULT_WEIGHTS, type RerankWeights } from './rerank.js';
import { RagStore, type RetrievalOptions } from './store.js';

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

export interface OpenOptions extends LocationOptions {
  embedder?: Embedder;
  retrieval?: Partial<RetrievalOptions>;
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
