// Stage "retrieve": similar past deployments from the RAG store, within the input's timeout. A slow
// or failing store never fails the render: the decision goes on without neighbours, with a Warning.
import type { Analysis, Neighbor } from '../types.js';
import { queryText } from '../../../lib/rag/text.js';
import { retrieveWithin } from '../retrieval/retriever.js';
import type { RenderContext } from './context.js';
import type { ClaimFacts } from './provider.js';
import type { Res } from './result.js';

export interface Retrieved {
  neighbors: Neighbor[];
  /** Failed near-twins: they inform the decision and come back as a SimilarFailures warning. */
  avoid: Neighbor[];
  results: Res[];
}

export async function retrieve(ctx: RenderContext, facts: ClaimFacts, analysis: Analysis): Promise<Retrieved> {
  const { retrieval } = facts.settings;
  if (!retrieval.enabled) return { neighbors: [], avoid: [], results: [] };
  const query = {
    text: queryText({ framework: analysis.framework, language: analysis.language, dependencies: analysis.dependencies.map((d) => d.name), prompt: facts.spec.prompt }),
    cloud: facts.provider.type,
    framework: analysis.framework,
    language: analysis.language,
    topK: retrieval.topK,
    ...(facts.budget.limit !== undefined ? { budget: facts.budget.limit } : {}),
  };
  const r = await retrieveWithin(ctx.deps.retriever, query, retrieval.timeoutMs);
  const results: Res[] = r.problem ? [{ severity: 'warning', reason: 'RetrievalUnavailable', message: `deciding without similar deployments: ${r.problem}` }] : [];
  return { neighbors: r.result.neighbors, avoid: r.result.avoid, results };
}
