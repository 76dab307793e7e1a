// Retrieval of similar past deployments. The RAG store implements Retriever; a render must never
// wait on it for long nor fail because of it.
import { retrievalDuration, retrievalFailures } from '../metrics/registry.js';
import type { Cloud, Neighbor } from '../types.js';

export interface RetrievalQuery {
  /** Short description embedded for similarity: framework, language, top dependencies, intent. */
  text: string;
  cloud: Cloud;
  framework: string | null;
  language: string | null;
  budget?: number;
  topK: number;
}

export interface RetrievalResult {
  neighbors: Neighbor[];
  /** Failed deployments of very similar apps: returned so the decision can avoid repeating them. */
  avoid: Neighbor[];
}

export interface Retriever {
  readonly name: string;
  retrieve(query: RetrievalQuery, signal: AbortSignal): Promise<RetrievalResult>;
}

export const noRetriever: Retriever = {
  name: 'none',
  retrieve: async () => ({ neighbors: [], avoid: [] }),
};

export interface RetrievalOutcome {
  result: RetrievalResult;
  /** Set when retrieval failed or timed out: the decision goes on without neighbours. */
  problem?: string;
}

export { retrievalFailures } from '../metrics/registry.js';

export async function retrieveWithin(r: Retriever, q: RetrievalQuery, timeoutMs: number): Promise<RetrievalOutcome> {
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      reject(new Error(`retrieval from ${r.name} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([r.retrieve(q, controller.signal), timeout]);
    retrievalDuration.observe({ retriever: r.name, outcome: 'ok' }, (performance.now() - started) / 1000);
    return { result };
  } catch (e) {
    const kind = timedOut ? 'timeout' : 'error';
    retrievalDuration.observe({ retriever: r.name, outcome: kind }, (performance.now() - started) / 1000);
    retrievalFailures.inc({ retriever: r.name, kind });
    return { result: { neighbors: [], avoid: [] }, problem: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}
