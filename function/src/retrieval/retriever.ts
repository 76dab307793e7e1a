// Retrieval of similar past deployments. The RAG store implements Retriever; a render must never
// wait on it for long nor fail because of it.
import { Counter, register } from 'prom-client';
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

/** Renders that decided without neighbours because retrieval failed or was too slow. */
export const retrievalFailures: Counter<'retriever' | 'kind'> =
  (register.getSingleMetric('scai_retrieval_failures_total') as Counter<'retriever' | 'kind'> | undefined) ??
  new Counter({
    name: 'scai_retrieval_failures_total',
    help: 'Retrievals of similar deployments that timed out or failed; the decision went on without neighbours',
    labelNames: ['retriever', 'kind'],
  });

export async function retrieveWithin(r: Retriever, q: RetrievalQuery, timeoutMs: number): Promise<RetrievalOutcome> {
  const controller = new AbortController();
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
    return { result };
  } catch (e) {
    retrievalFailures.inc({ retriever: r.name, kind: timedOut ? 'timeout' : 'error' });
    return { result: { neighbors: [], avoid: [] }, problem: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}
