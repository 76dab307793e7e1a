// Which embedding model made the stored vectors, and the vector indexes that depend on its dimension.
import type { Queryable } from '../../../lib/rag/db.js';
import type { Embedder } from './embedder.js';

export interface RecordedModel {
  model: string;
  dimension: number;
  ivfflatLists: number | null;
}

export interface ModelState {
  recorded: RecordedModel | null;
  current: { model: string; dimension: number };
  /** False when the vectors were made by another model: retrieval and writes refuse until reindex. */
  matches: boolean;
}

export class ModelMismatchError extends Error {
  constructor(state: ModelState) {
    super(
      `the RAG store's vectors were made with ${state.recorded?.model} (${state.recorded?.dimension}-d) but the configured ` +
        `embedding model is ${state.current.model} (${state.current.dimension}-d): run \`scai rag reindex\``,
    );
    this.name = 'ModelMismatchError';
  }
}

export const HNSW_INDEX = 'deployment_embeddings_hnsw';
export const IVFFLAT_INDEX = 'deployment_embeddings_ivfflat';

export async function readModel(q: Queryable): Promise<RecordedModel | null> {
  const r = await q.query<{ model: string; dimension: number; ivfflat_lists: number | null }>(
    'SELECT model, dimension, ivfflat_lists FROM rag_model WHERE singleton',
  );
  const row = r.rows[0];
  return row ? { model: row.model, dimension: Number(row.dimension), ivfflatLists: row.ivfflat_lists === null ? null : Number(row.ivfflat_lists) } : null;
}

export function modelState(recorded: RecordedModel | null, e: Pick<Embedder, 'model' | 'dimension'>): ModelState {
  return {
    recorded,
    current: { model: e.model, dimension: e.dimension },
    matches: recorded !== null && recorded.model === e.model && recorded.dimension === e.dimension,
  };
}

/** HNSW with cosine distance; m/ef_construction are pgvector's defaults, measured fine at 100k. */
export async function createHnsw(q: Queryable): Promise<void> {
  await q.exec(`CREATE INDEX IF NOT EXISTS ${HNSW_INDEX} ON deployment_embeddings USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)`);
}

/** IVFFlat's rule of thumb for up to ~1M rows: lists ≈ √rows; query with probes ≈ √lists. */
export function ivfflatLists(rows: number): number {
  return Math.max(1, Math.round(Math.sqrt(rows)));
}
export function ivfflatProbes(lists: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(lists)));
}

/**
 * Gives the embedding column the model's dimension, records the model and builds the HNSW index:
 * vectors and indexes only make sense for one fixed dimension. `USING NULL` drops old vectors, which
 * the caller re-embeds (reindex) — a plain type change would fail on vectors of another dimension.
 */
export async function adoptModel(tx: Queryable, e: Pick<Embedder, 'model' | 'dimension'>): Promise<void> {
  await tx.exec(`DROP INDEX IF EXISTS ${HNSW_INDEX}; DROP INDEX IF EXISTS ${IVFFLAT_INDEX}`);
  await tx.exec(`ALTER TABLE deployment_embeddings ALTER COLUMN embedding TYPE vector(${Math.floor(e.dimension)}) USING NULL`);
  await tx.query(
    `INSERT INTO rag_model (singleton, model, dimension, ivfflat_lists, recorded_at) VALUES (true, $1, $2, NULL, now())
     ON CONFLICT (singleton) DO UPDATE SET model = EXCLUDED.model, dimension = EXCLUDED.dimension, ivfflat_lists = NULL, recorded_at = now()`,
    [e.model, e.dimension],
  );
}
