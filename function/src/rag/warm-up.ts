// The RAG store's warm-up: what the first retrieval after a start would otherwise pay for inside the
// render's retrieval budget (300 ms by default): the embedding model's load (in process, or on the
// Ollama server), its first inference (several times slower than the next ones), and the first vector
// query on a database connection. Run once, right after the store opens.
import { queryText } from '../../../lib/rag/text.js';
import type { RetrievalQuery } from '../retrieval/retriever.js';
import type { RagStore } from './store.js';

/** How long the function server waits for the warm-up before it listens anyway (SCAI_RAG_WARMUP_TIMEOUT_MS). */
export const DEFAULT_WARMUP_TIMEOUT_MS = 30_000;

/** A typical query: it takes the same path as a render's (embedding, filtered HNSW scan, rerank). */
export const WARMUP_QUERY: RetrievalQuery = {
  text: queryText({ framework: 'express', language: 'javascript', dependencies: ['express'], prompt: 'HTTP API' }),
  cloud: 'aws',
  framework: 'express',
  language: 'javascript',
  topK: 1,
};

/** SCAI_RAG_WARMUP_TIMEOUT_MS: milliseconds; 0 listens at once and warms up in the background. */
export function warmUpTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env.SCAI_RAG_WARMUP_TIMEOUT_MS;
  if (raw === undefined || raw === '') return DEFAULT_WARMUP_TIMEOUT_MS;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new Error(`SCAI_RAG_WARMUP_TIMEOUT_MS must be a whole number of milliseconds ≥ 0, got ${JSON.stringify(raw)}`);
  return v;
}

/**
 * Loads the model and runs one real retrieval. A store made with another model refuses retrieval
 * (run `scai rag reindex`), so then only the model loads.
 */
export async function warmStore(store: RagStore): Promise<void> {
  await store.embedder.warm();
  if (store.model.matches) await store.search(WARMUP_QUERY);
}
