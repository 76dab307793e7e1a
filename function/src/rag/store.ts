// The RAG store: migrations, the embedding model check, hybrid retrieval and the record API, on
// whichever back end it is given. Opening never loads the embedding model; the first embed does.
import type { Db, Queryable } from '../../../lib/rag/db.js';
import { migrate } from '../../../lib/rag/migrate.js';
import { checkRecord, type DeploymentRecord, type RecordKey } from '../../../lib/rag/record.js';
import { recordText } from '../../../lib/rag/text.js';
import { toVectorLiteral } from '../../../lib/rag/vector.js';
import { pendingRows, setCost, setFeedback, storeVectors, upsertRows, type EmbeddedRecord } from '../../../lib/rag/writes.js';
import type { RetrievalQuery } from '../retrieval/retriever.js';
import type { Embedder } from './embedder.js';
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
import { rerank, type RerankWeights, type Scored } from './rerank.js';
import { similarFailures, successfulNeighbours, VECTOR_TOP_N } from './search.js';

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

const EMBED_BATCH = 64;

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

  /** Inserts or updates records whose embeddings are already computed (or null: embedPending makes them). */
  async upsertEmbedded(items: EmbeddedRecord[], q: Queryable = this.db): Promise<{ inserted: number; updated: number }> {
    return upsertRows(q, items, this.requireModel());
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
  recordFeedback(key: RecordKey, feedback: number): Promise<void> {
    return setFeedback(this.db, key, feedback);
  }

  /** The measured monthly cost of a deployment, replacing the estimate. */
  recordCost(key: RecordKey, costMonthly: number): Promise<void> {
    return setCost(this.db, key, costMonthly);
  }

  /** Rows recorded without a vector yet: the backfill's backlog (scai_embedding_backlog). */
  async withoutEmbedding(): Promise<number> {
    return Number((await this.db.query<{ n: number | string }>('SELECT count(*) AS n FROM deployment_embeddings WHERE embedding IS NULL')).rows[0]?.n ?? 0);
  }

  /**
   * Embeds up to `limit` rows written without a vector (the controller records that way) and returns
   * how many were looked at and how many took a vector. Safe to run in several processes at once.
   */
  async embedPending(limit = EMBED_BATCH): Promise<{ seen: number; embedded: number }> {
    const dim = this.requireModel();
    const rows = await pendingRows(this.db, limit);
    if (rows.length === 0) return { seen: 0, embedded: 0 };
    const vectors = await this.embedder.embed(rows.map((r) => r.content));
    const embedded = await this.db.transaction((tx) => storeVectors(tx, rows, vectors, dim));
    return { seen: rows.length, embedded };
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
    this.requireModel();
    const total = await this.withoutEmbedding();
    let done = 0;
    for (;;) {
      const { seen, embedded } = await this.embedPending();
      if (seen === 0) break;
      done += embedded;
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
      withoutEmbedding: await this.withoutEmbedding(),
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
