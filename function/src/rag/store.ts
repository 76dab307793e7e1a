// The RAG store: migrations, the embedding model check, hybrid retrieval and the record API, on
// whichever back end it is given. Opening never loads the embedding model; the first embed does.
import type { RetrievalQuery } from '../retrieval/retriever.js';
import type { Db, Queryable } from './db.js';
import type { Embedder } from './embedder.js';
import { migrate } from './migrate.js';
import {
  adoptModel,
  createHnsw,
  IVFFLAT_INDEX,
  ivfflatLists,
  ivfflatProbes,
  ModelMismatchError,
  modelState,
  readModel,
  type ModelState,
} from './model.js';
import { checkCost, checkFeedback, checkKey, checkRecord, RecordError, type DeploymentRecord, type RecordKey } from './record.js';
import { rerank, type RerankWeights, type Scored } from './rerank.js';
import { similarFailures, successfulNeighbours, VECTOR_TOP_N } from './search.js';
import { recordText } from './text.js';
import { toVectorLiteral } from './vector.js';

export interface RetrievalOptions {
  weights: RerankWeights | Partial<RerankWeights>;
  /** Neighbours less similar than this are not worth citing. */
  minSimilarity: number;
  /** A failed deployment this similar is returned as one to avoid. */
  avoidSimilarity: number;
  avoidLimit: number;
  halfLifeDays: number;
}

export const DEFAULT_RETRIEVAL: RetrievalOptions = { weights: {}, minSimilarity: 0.3, avoidSimilarity: 0.8, avoidLimit: 3, halfLifeDays: 180 };

export interface SearchResult {
  neighbors: Scored[];
  avoid: Scored[];
}

export interface StoreStats {
  backend: string;
  location: string;
  records: number;
  byOutcome: Record<string, number>;
  bySource: Record<string, number>;
  byStrategy: Record<string, number>;
  withoutEmbedding: number;
  model: ModelState;
  indexes: string[];
  migrations: number[];
  databaseBytes: number;
}

export class RecordNotFoundError extends Error {
  constructor(k: RecordKey) {
    super(`no deployment recorded for deploymentUid ${k.deploymentUid} and decisionHash ${k.decisionHash}; record its outcome first`);
    this.name = 'RecordNotFoundError';
  }
}

/** Rows per INSERT: 500 × 17 parameters stays far below PostgreSQL's 65535. */
const INSERT_BATCH = 500;
const EMBED_BATCH = 64;
const COLUMNS = [
  'deployment_uid', 'decision_hash', 'source', 'deployment_name', 'namespace', 'framework', 'language', 'strategy', 'cloud',
  'region', 'content', 'embedding', 'metadata', 'outcome', 'cost_monthly', 'performance_metrics', 'user_feedback', 'created_at',
] as const;

/** A record with its embedding already computed (seed, import, benchmarks). */
export interface EmbeddedRecord {
  record: DeploymentRecord;
  content: string;
  embedding: number[];
}

function rowParams(e: EmbeddedRecord, dimension: number): unknown[] {
  const r = e.record;
  return [
    r.deploymentUid, r.decisionHash, r.source ?? 'controller', r.name, r.namespace ?? 'default', r.framework, r.language, r.strategy, r.cloud,
    r.region ?? null, e.content, toVectorLiteral(e.embedding, dimension),
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
  // A repeated outcome updates the row but keeps its votes: feedback changes only through recordFeedback,
  // so re-seeding or a retried recordOutcome never resets what users said.
  return `INSERT INTO deployment_embeddings (${COLUMNS.join(', ')}) VALUES ${values.join(', ')}
    ON CONFLICT (deployment_uid, decision_hash) DO UPDATE SET
      source = EXCLUDED.source, deployment_name = EXCLUDED.deployment_name, namespace = EXCLUDED.namespace,
      framework = EXCLUDED.framework, language = EXCLUDED.language, strategy = EXCLUDED.strategy, cloud = EXCLUDED.cloud,
      region = EXCLUDED.region, content = EXCLUDED.content, embedding = EXCLUDED.embedding, metadata = EXCLUDED.metadata,
      outcome = EXCLUDED.outcome,
      cost_monthly = COALESCE(EXCLUDED.cost_monthly, deployment_embeddings.cost_monthly),
      performance_metrics = deployment_embeddings.performance_metrics || EXCLUDED.performance_metrics,
      updated_at = now()
    RETURNING id, (xmax = 0) AS inserted`;
}

export class RagStore {
  private constructor(
    readonly db: Db,
    readonly embedder: Embedder,
    private state: ModelState,
    readonly migrations: number[],
    private readonly opts: RetrievalOptions,
    private readonly clock: () => Date,
  ) {}

  /**
   * Migrates, then checks the embedding model: a new store adopts the configured one; a store made
   * with another model opens (stats and reindex work) but refuses retrieval and writes.
   */
  static async open(o: { db: Db; embedder: Embedder; retrieval?: Partial<RetrievalOptions>; now?: () => Date }): Promise<RagStore> {
    const applied = await migrate(o.db, undefined, async (s) => {
      if ((await readModel(s)) === null) {
        await s.transaction(async (tx) => {
          if ((await readModel(tx)) !== null) return;
          await adoptModel(tx, o.embedder);
          await createHnsw(tx);
        });
      }
    });
    const state = modelState(await readModel(o.db), o.embedder);
    return new RagStore(o.db, o.embedder, state, applied, { ...DEFAULT_RETRIEVAL, ...o.retrieval }, o.now ?? (() => new Date()));
  }

  get model(): ModelState {
    return this.state;
  }

  private requireModel(): number {
    if (!this.state.matches) throw new ModelMismatchError(this.state);
    return this.state.current.dimension;
  }

  private async embedOne(text: string): Promise<string> {
    const dim = this.requireModel();
    const [v] = await this.embedder.embed([text]);
    return toVectorLiteral(v ?? [], dim);
  }

  /** Hybrid retrieval: pre-filter, vector top-20, rerank, top-k; similar failures separately. */
  async search(q: RetrievalQuery, signal?: AbortSignal): Promise<SearchResult> {
    const vector = await this.embedOne(q.text);
    signal?.throwIfAborted();
    const filter = { cloud: q.cloud, framework: q.framework, language: q.language, ...(q.budget !== undefined ? { budget: q.budget } : {}) };
    const { cands, failures } = await this.withProbes(async (db) => {
      const cands = (await successfulNeighbours(db, vector, filter, Math.max(VECTOR_TOP_N, q.topK))).filter((c) => c.similarity >= this.opts.minSimilarity);
      signal?.throwIfAborted();
      return { cands, failures: await similarFailures(db, vector, filter, this.opts.avoidSimilarity, this.opts.avoidLimit) };
    });
    const ranked = rerank(cands, {
      weights: this.opts.weights,
      now: this.clock(),
      halfLifeDays: this.opts.halfLifeDays,
      ...(q.budget !== undefined ? { budget: q.budget } : {}),
    });
    const avoid = rerank(failures, { weights: { similarity: 1, feedback: 0, recency: 0, costEfficiency: 0 }, now: this.clock() });
    return { neighbors: ranked.slice(0, q.topK), avoid };
  }

  /**
   * With an IVFFlat index the planner may use it, and probes is a per-session setting a pool's
   * connections do not share: set it for this transaction. Without one, no transaction is needed.
   */
  private async withProbes<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const lists = this.state.recorded?.ivfflatLists;
    if (!lists) return fn(this.db);
    return this.db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL ivfflat.probes = ${ivfflatProbes(lists)}`);
      return fn(tx);
    });
  }

  /** Inserts or updates records whose embeddings are already computed; returns how many were new. */
  async upsertEmbedded(items: EmbeddedRecord[], q: Queryable = this.db): Promise<{ inserted: number; updated: number }> {
    const dim = this.requireModel();
    let inserted = 0;
    let updated = 0;
    // One statement cannot touch a row twice: the last record of a key wins, as it would one by one.
    const byKey = new Map(items.map((e) => [`${e.record.deploymentUid}\u0000${e.record.decisionHash}`, e]));
    const unique = [...byKey.values()];
    for (let i = 0; i < unique.length; i += INSERT_BATCH) {
      const batch = unique.slice(i, i + INSERT_BATCH);
      const r = await q.query<{ inserted: boolean }>(upsertSql(batch.length), batch.flatMap((e) => rowParams(e, dim)));
      for (const row of r.rows) row.inserted ? inserted++ : updated++;
    }
    return { inserted, updated };
  }

  /** Validates, embeds (in batches) and upserts records in one transaction. */
  async upsert(records: DeploymentRecord[], where = 'record'): Promise<{ inserted: number; updated: number }> {
    this.requireModel();
    records.forEach((r, i) => checkRecord(r, records.length > 1 ? `${where}[${i}]` : where));
    const embedded: EmbeddedRecord[] = [];
    for (let i = 0; i < records.length; i += EMBED_BATCH) {
      const batch = records.slice(i, i + EMBED_BATCH);
      const texts = batch.map(recordText);
      const vectors = await this.embedder.embed(texts);
      batch.forEach((record, j) => embedded.push({ record, content: texts[j] as string, embedding: vectors[j] as number[] }));
    }
    return this.db.transaction((tx) => this.upsertEmbedded(embedded, tx));
  }

  /** The controller's call once a deployment's outcome is known. Idempotent per (deploymentUid, decisionHash). */
  async recordOutcome(r: DeploymentRecord): Promise<{ created: boolean }> {
    const { inserted } = await this.upsert([{ source: 'controller', ...r }], 'outcome');
    return { created: inserted === 1 };
  }

  /** Sets the net user vote of a decision (not an increment, so a retried call changes nothing). */
  async recordFeedback(key: RecordKey, feedback: number): Promise<void> {
    checkKey(key, 'feedback');
    checkFeedback(feedback, 'feedback.value');
    await this.updateOne(key, 'user_feedback = $3::int', feedback);
  }

  /** The measured monthly cost of a deployment, replacing the estimate. */
  async recordCost(key: RecordKey, costMonthly: number): Promise<void> {
    checkKey(key, 'cost');
    checkCost(costMonthly, 'cost.costMonthly');
    if (costMonthly === undefined || costMonthly === null) throw new RecordError('cost.costMonthly', 'is required');
    await this.updateOne(key, 'cost_monthly = $3::float8', costMonthly);
  }

  private async updateOne(key: RecordKey, set: string, value: unknown): Promise<void> {
    const r = await this.db.query(
      `UPDATE deployment_embeddings SET ${set}, updated_at = now() WHERE deployment_uid = $1 AND decision_hash = $2 RETURNING id`,
      [key.deploymentUid, key.decisionHash, value],
    );
    if (r.rows.length === 0) throw new RecordNotFoundError(key);
  }

  /**
   * Re-embeds with the configured model. After a model change every vector is dropped first (the
   * dimension may differ); rows still without a vector are embedded, so an interrupted run resumes.
   */
  async reindex(progress?: (done: number, total: number) => void): Promise<{ reembedded: number; model: string }> {
    const hadIvfflat = this.state.recorded?.ivfflatLists != null;
    if (!this.state.matches) {
      await this.db.transaction((tx) => adoptModel(tx, this.embedder));
      this.state = modelState(await readModel(this.db), this.embedder);
    }
    const dim = this.requireModel();
    const total = Number((await this.db.query<{ n: number | string }>('SELECT count(*) AS n FROM deployment_embeddings WHERE embedding IS NULL')).rows[0]?.n ?? 0);
    let done = 0;
    for (;;) {
      const rows = (await this.db.query<{ id: number | string; content: string }>(
        'SELECT id, content FROM deployment_embeddings WHERE embedding IS NULL ORDER BY id LIMIT $1',
        [EMBED_BATCH],
      )).rows;
      if (rows.length === 0) break;
      const vectors = await this.embedder.embed(rows.map((r) => r.content));
      await this.db.transaction(async (tx) => {
        for (const [i, r] of rows.entries()) {
          await tx.query('UPDATE deployment_embeddings SET embedding = $2::vector WHERE id = $1', [Number(r.id), toVectorLiteral(vectors[i] ?? [], dim)]);
        }
      });
      done += rows.length;
      progress?.(done, total);
    }
    await createHnsw(this.db);
    if (hadIvfflat) await this.buildIvfflat();
    return { reembedded: done, model: this.embedder.model };
  }

  /** Optional second index: IVFFlat with lists ≈ √rows, probes ≈ √lists on this session. */
  async buildIvfflat(): Promise<{ lists: number; probes: number }> {
    this.requireModel();
    const rows = Number((await this.db.query<{ n: number | string }>('SELECT count(*) AS n FROM deployment_embeddings')).rows[0]?.n ?? 0);
    const lists = ivfflatLists(rows);
    await this.db.transaction(async (tx) => {
      await tx.exec(`DROP INDEX IF EXISTS ${IVFFLAT_INDEX}`);
      await tx.exec(`CREATE INDEX ${IVFFLAT_INDEX} ON deployment_embeddings USING ivfflat (embedding vector_cosine_ops) WITH (lists = ${lists})`);
      await tx.query('UPDATE rag_model SET ivfflat_lists = $1 WHERE singleton', [lists]);
    });
    const probes = ivfflatProbes(lists);
    // For direct queries on this session (the bench); search() sets it per transaction.
    await this.db.exec(`SET ivfflat.probes = ${probes}`);
    this.state = modelState(await readModel(this.db), this.embedder);
    return { lists, probes };
  }

  async stats(): Promise<StoreStats> {
    const count = async (col: string) =>
      Object.fromEntries(
        (await this.db.query<{ k: string; n: number | string }>(`SELECT ${col} AS k, count(*) AS n FROM deployment_embeddings GROUP BY 1 ORDER BY 1`)).rows.map((r) => [r.k, Number(r.n)]),
      );
    const one = async (sql: string) => Number(Object.values((await this.db.query(sql)).rows[0] ?? {})[0] ?? 0);
    return {
      backend: this.db.kind,
      location: this.db.location,
      records: await one('SELECT count(*) FROM deployment_embeddings'),
      byOutcome: await count('outcome'),
      bySource: await count('source'),
      byStrategy: await count('strategy'),
      withoutEmbedding: await one('SELECT count(*) FROM deployment_embeddings WHERE embedding IS NULL'),
      model: this.state,
      indexes: (await this.db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'deployment_embeddings' ORDER BY 1")).rows.map((r) => r.indexname),
      migrations: (await this.db.query<{ version: number }>('SELECT version FROM scai_migrations ORDER BY 1')).rows.map((r) => Number(r.version)),
      databaseBytes: await one('SELECT pg_database_size(current_database())'),
    };
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
