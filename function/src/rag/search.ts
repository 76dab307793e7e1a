// The retrieval SQL, identical on both back ends: pre-filter, then nearest by cosine distance.
import type { Cloud } from '../../../lib/domain.js';
import type { Queryable } from '../../../lib/rag/db.js';
import type { Candidate } from './rerank.js';

export interface SearchFilter {
  cloud: Cloud;
  framework: string | null;
  language: string | null;
  budget?: number;
}

/** How many nearest rows the vector search hands to the reranker. */
export const VECTOR_TOP_N = 20;

interface Row {
  id: number | string;
  deployment_name: string;
  namespace: string;
  strategy: Candidate['strategy'];
  outcome: Candidate['outcome'];
  similarity: number;
  user_feedback: number;
  cost_monthly: number | null;
  created_at: Date | string;
}

const toCandidate = (r: Row): Candidate => ({
  // bigserial arrives as a number from PGlite and as a string from pg.
  id: Number(r.id),
  name: r.deployment_name,
  namespace: r.namespace,
  strategy: r.strategy,
  outcome: r.outcome,
  similarity: Math.round(Number(r.similarity) * 1e4) / 1e4,
  feedback: Number(r.user_feedback),
  costMonthly: r.cost_monthly === null ? null : Number(r.cost_monthly),
  createdAt: new Date(r.created_at).toISOString(),
});

const COLUMNS = `id, deployment_name, namespace, strategy, outcome, user_feedback, cost_monthly, created_at,
  1 - (embedding <=> $1::vector) AS similarity`;
/** Same framework, or same language when the framework differs or is unknown; no filter when neither is known. */
const STACK = `(($3::text IS NULL AND $4::text IS NULL) OR framework = $3 OR language = $4)`;

/** Successful, not downvoted, affordable deployments of the same stack on the same cloud, nearest first. */
export async function successfulNeighbours(q: Queryable, vector: string, f: SearchFilter, limit = VECTOR_TOP_N): Promise<Candidate[]> {
  const r = await q.query<Row>(
    `SELECT ${COLUMNS}
       FROM deployment_embeddings
      WHERE cloud = $2 AND ${STACK}
        AND outcome = 'success' AND user_feedback >= 0
        AND ($5::float8 IS NULL OR cost_monthly IS NULL OR cost_monthly <= $5)
        AND embedding IS NOT NULL
      ORDER BY embedding <=> $1::vector
      LIMIT $6`,
    [vector, f.cloud, f.framework, f.language, f.budget ?? null, limit],
  );
  return r.rows.map(toCandidate);
}

/** Failed deployments at least `minSimilarity` close: what not to repeat. Cost and feedback do not matter here. */
export async function similarFailures(q: Queryable, vector: string, f: SearchFilter, minSimilarity: number, limit: number): Promise<Candidate[]> {
  const r = await q.query<Row>(
    `SELECT * FROM (
       SELECT ${COLUMNS}
         FROM deployment_embeddings
        WHERE cloud = $2 AND ${STACK} AND outcome = 'failed' AND embedding IS NOT NULL
        ORDER BY embedding <=> $1::vector
        LIMIT $6) nearest
      WHERE similarity >= $5`,
    [vector, f.cloud, f.framework, f.language, minSimilarity, limit],
  );
  return r.rows.map(toCandidate);
}
