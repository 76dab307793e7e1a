// The record API's SQL, shared by RagStore (which holds the embedding model) and RecordingStore
// (the controller's, which does not): rows may be written without a vector and embedded later by
// whoever has the model (embedPending), so recording never waits for, or pays for, a model.
import type { Queryable } from './db.js';
import { checkCost, checkFeedback, checkKey, RecordError, type DeploymentRecord, type RecordKey } from './record.js';
import { toVectorLiteral } from './vector.js';

/** A record with its embedding text and, when already computed, its vector (null: embed later). */
export interface EmbeddedRecord {
  record: DeploymentRecord;
  content: string;
  embedding: number[] | null;
}

export class RecordNotFoundError extends Error {
  constructor(k: RecordKey) {
    super(`no deployment recorded for deploymentUid ${k.deploymentUid} and decisionHash ${k.decisionHash}; record its outcome first`);
    this.name = 'RecordNotFoundError';
  }
}

/** Rows per INSERT: 500 × 18 parameters stays far below PostgreSQL's 65535. */
const INSERT_BATCH = 500;
const COLUMNS = [
  'deployment_uid', 'decision_hash', 'source', 'deployment_name', 'namespace', 'framework', 'language', 'strategy', 'cloud',
  'region', 'content', 'embedding', 'metadata', 'outcome', 'cost_monthly', 'performance_metrics', 'user_feedback', 'created_at',
] as const;

/**
 * PostgreSQL text and jsonb refuse NUL (0x00): a prompt or a v1 row carrying one would fail every write
 * of its deployment forever. Strings are stored without it.
 */
export function stripNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map(stripNul) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripNul(k), stripNul(v)])) as T;
  return value;
}

function rowParams(e: EmbeddedRecord, dimension: number | null): unknown[] {
  const r = stripNul(e.record);
  let vector: string | null = null;
  if (e.embedding !== null) {
    if (dimension === null) throw new Error('a vector was given but the store has no embedding model recorded');
    vector = toVectorLiteral(e.embedding, dimension);
  }
  return [
    r.deploymentUid, r.decisionHash, r.source ?? 'controller', r.name, r.namespace ?? 'default', r.framework, r.language, r.strategy, r.cloud,
    r.region ?? null, stripNul(e.content), vector,
    JSON.stringify({ ...(r.metadata ?? {}), ...(r.dependencies ? { dependencies: r.dependencies.slice(0, 15) } : {}), ...(r.intent ? { intent: r.intent } : {}) }),
    r.outcome, r.costMonthly ?? null, JSON.stringify(r.performanceMetrics ?? {}), r.feedback ?? null, r.createdAt ?? null,
  ];
}

function upsertSql(rows: number): string {
  const n = COLUMNS.length;
  const values = Array.from({ length: rows }, (_, i) => {
    const p = (k: number) => `$${i * n + k}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}, ${p(12)}::vector, ${p(13)}::jsonb, ${p(14)}, ${p(15)}::float8, ${p(16)}::jsonb, COALESCE(${p(17)}::int, 0), COALESCE(${p(18)}::timestamptz, now()))`;
  });
  // A repeated outcome updates the row but keeps its votes: feedback changes only through setFeedback,
  // so re-seeding or a retried recordOutcome never resets what users said. A row written without a
  // vector keeps the one it has while its text is unchanged (a re-record of the same deployment);
  // new text drops it, and embedPending makes the new one.
  return `INSERT INTO deployment_embeddings (${COLUMNS.join(', ')}) VALUES ${values.join(', ')}
    ON CONFLICT (deployment_uid, decision_hash) DO UPDATE SET
      source = EXCLUDED.source, deployment_name = EXCLUDED.deployment_name, namespace = EXCLUDED.namespace,
      framework = EXCLUDED.framework, language = EXCLUDED.language, strategy = EXCLUDED.strategy, cloud = EXCLUDED.cloud,
      region = EXCLUDED.region, content = EXCLUDED.content,
      embedding = CASE WHEN EXCLUDED.embedding IS NULL AND EXCLUDED.content = deployment_embeddings.content
                       THEN deployment_embeddings.embedding ELSE EXCLUDED.embedding END,
      metadata = EXCLUDED.metadata,
      outcome = EXCLUDED.outcome,
      cost_monthly = COALESCE(EXCLUDED.cost_monthly, deployment_embeddings.cost_monthly),
      performance_metrics = deployment_embeddings.performance_metrics || EXCLUDED.performance_metrics,
      updated_at = now()
    RETURNING id, (xmax = 0) AS inserted`;
}

/** Inserts or updates rows (already validated); returns how many were new. `dimension` is needed only for vectors. */
export async function upsertRows(q: Queryable, items: EmbeddedRecord[], dimension: number | null): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  // One statement cannot touch a row twice: the last record of a key wins, as it would one by one.
  const byKey = new Map(items.map((e) => [`${e.record.deploymentUid}\u0000${e.record.decisionHash}`, e]));
  const unique = [...byKey.values()];
  for (let i = 0; i < unique.length; i += INSERT_BATCH) {
    const batch = unique.slice(i, i + INSERT_BATCH);
    const r = await q.query<{ inserted: boolean }>(upsertSql(batch.length), batch.flatMap((e) => rowParams(e, dimension)));
    for (const row of r.rows) row.inserted ? inserted++ : updated++;
  }
  return { inserted, updated };
}

async function updateOne(q: Queryable, key: RecordKey, set: string, value: unknown): Promise<void> {
  const r = await q.query(
    `UPDATE deployment_embeddings SET ${set}, updated_at = now() WHERE deployment_uid = $1 AND decision_hash = $2 RETURNING id`,
    [key.deploymentUid, key.decisionHash, value],
  );
  if (r.rows.length === 0) throw new RecordNotFoundError(key);
}

/** Sets the net user vote of a decision (not an increment, so a retried call changes nothing). */
export async function setFeedback(q: Queryable, key: RecordKey, feedback: number): Promise<void> {
  checkKey(key, 'feedback');
  checkFeedback(feedback, 'feedback.value');
  await updateOne(q, key, 'user_feedback = $3::int', feedback);
}

/** The measured monthly cost of a deployment, replacing the estimate. */
export async function setCost(q: Queryable, key: RecordKey, costMonthly: number): Promise<void> {
  checkKey(key, 'cost');
  checkCost(costMonthly, 'cost.costMonthly');
  if (costMonthly === undefined || costMonthly === null) throw new RecordError('cost.costMonthly', 'is required');
  await updateOne(q, key, 'cost_monthly = $3::float8', costMonthly);
}

export interface PendingRow {
  id: number;
  content: string;
}

/** Rows still without a vector, oldest first. */
export async function pendingRows(q: Queryable, limit: number): Promise<PendingRow[]> {
  const r = await q.query<{ id: number | string; content: string }>(
    'SELECT id, content FROM deployment_embeddings WHERE embedding IS NULL ORDER BY id LIMIT $1',
    [limit],
  );
  return r.rows.map((row) => ({ id: Number(row.id), content: row.content }));
}

/**
 * Stores vectors computed for pendingRows. Optimistic: a row whose text changed, or that another
 * process embedded meanwhile, is left alone, so replicas may embed side by side without locks held
 * across a model call. Returns how many rows took a vector.
 */
export async function storeVectors(q: Queryable, rows: PendingRow[], vectors: number[][], dimension: number): Promise<number> {
  let stored = 0;
  for (const [i, row] of rows.entries()) {
    const r = await q.query(
      'UPDATE deployment_embeddings SET embedding = $2::vector WHERE id = $1 AND embedding IS NULL AND content = $3 RETURNING id',
      [row.id, toVectorLiteral(vectors[i] ?? [], dimension), row.content],
    );
    stored += r.rows.length;
  }
  return stored;
}
