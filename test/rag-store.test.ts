// The RAG store on both back ends with the same SQL: embedded PGlite in process, the `pg` client
// talking to PGlite over the Postgres wire protocol, and the `pg` client on a PostgreSQL server. A hashing embedder makes similarities predictable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RagStore } from '../function/src/rag/store.js';
import type { RetrievalQuery } from '../function/src/retrieval/retriever.js';
import { openPg } from '../lib/rag/backends/pg.js';
import { openPglite } from '../lib/rag/backends/pglite.js';
import type { Db } from '../lib/rag/db.js';
import { loadMigrations, migrate } from '../lib/rag/migrate.js';
import { RecordError } from '../lib/rag/record.js';
import { queryText } from '../lib/rag/text.js';
import { RecordNotFoundError } from '../lib/rag/writes.js';
import { postgresBackend, type DbBackend as Backend } from './helpers/postgres.js';
import { hashEmbedder, pgliteServer, rec } from './helpers/rag.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

const fastapiQuery = (over: Partial<RetrievalQuery> = {}): RetrievalQuery => ({
  text: queryText({ framework: 'fastapi', language: 'python', dependencies: ['fastapi', 'uvicorn', 'pydantic'], prompt: 'FastAPI API' }),
  cloud: 'aws',
  framework: 'fastapi',
  language: 'python',
  topK: 5,
  ...over,
});

function pgliteBackend(): Backend {
  return { name: 'pglite (in process)', open: () => openPglite(), stop: async () => {} };
}

function pgBackend(): Backend {
  let server: Awaited<ReturnType<typeof pgliteServer>> | undefined;
  return {
    name: 'pg client over the wire',
    async open() {
      server ??= await pgliteServer();
      return openPg({ url: server.url });
    },
    stop: async () => server?.stop(),
  };
}

// The last: PostgreSQL 15 with pgvector 0.8.1, built by scripts/install-postgres.sh.
describe.each([pgliteBackend(), pgBackend(), postgresBackend('pg client on PostgreSQL 15 + pgvector')])('RAG store on $name', (backend) => {
  let db: Db;
  let store: RagStore;
  const embedder = hashEmbedder(64);

  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(async () => {
    await store?.close();
    await backend.stop();
  });

  it('migrates from empty, records each migration, and a re-run or concurrent runs apply nothing twice', async () => {
    const all = loadMigrations().map((m) => m.version);
    expect(all).toEqual([1, 2]);
    const [a, b] = await Promise.all([migrate(db), migrate(db)]);
    expect([...(a as number[]), ...(b as number[])].sort()).toEqual(all);
    expect(await migrate(db)).toEqual([]);
    const rows = (await db.query<{ version: number; name: string }>('SELECT version, name FROM scai_migrations ORDER BY version')).rows;
    expect(rows.map((r) => [Number(r.version), r.name])).toEqual([[1, 'deployment_embeddings'], [2, 'embedding_model']]);
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'x'.repeat(64) } : m));
    await expect(migrate(db, edited)).rejects.toThrow(/migration 1 \(deployment_embeddings\) was changed after it was applied/);
  });

  it('opens on the migrated database, records the embedding model and builds the HNSW index', async () => {
    store = await RagStore.open({ db, embedder, now: () => NOW });
    expect(store.migrations).toEqual([]);
    expect(store.model).toMatchObject({ matches: true, recorded: { model: 'test-hash-64', dimension: 64 } });
    const stats = await store.stats();
    expect(stats.indexes).toContain('deployment_embeddings_hnsw');
    expect(stats.records).toBe(0);
  });

  it('retrieves successful neighbours of the same cloud and stack, nearest first, and failures to avoid separately', async () => {
    await store.upsert([
      rec({ name: 'near', dependencies: ['fastapi', 'uvicorn', 'pydantic'], intent: 'FastAPI API', costMonthly: 10 }),
      rec({ name: 'far', dependencies: ['fastapi', 'celery', 'redis', 'boto3', 'numpy', 'pandas'], intent: 'reporting service with nightly batches', strategy: 'vm' }),
      rec({ name: 'other-cloud', cloud: 'gcp' }),
      rec({ name: 'other-stack', framework: 'express', language: 'javascript', dependencies: ['express'] }),
      rec({ name: 'same-language', framework: 'flask', dependencies: ['flask', 'uvicorn', 'pydantic'], intent: 'small API', strategy: 'vm' }),
      rec({ name: 'failed-twin', outcome: 'failed', strategy: 'kubernetes', dependencies: ['fastapi', 'uvicorn', 'pydantic'], intent: 'FastAPI API' }),
      rec({ name: 'degraded', outcome: 'degraded' }),
    ]);
    const r = await store.search(fastapiQuery());
    const names = r.neighbors.map((n) => n.name);
    expect(names[0]).toBe('near');
    expect(names).toEqual(expect.arrayContaining(['near', 'far', 'same-language']));
    expect(names).not.toContain('other-cloud');
    expect(names).not.toContain('other-stack');
    expect(names).not.toContain('failed-twin');
    expect(names).not.toContain('degraded');
    const near = r.neighbors[0]!;
    expect(near.similarity).toBeGreaterThan(0.8);
    expect(near.score).toBeGreaterThan(r.neighbors[1]!.score);
    expect(r.avoid.map((n) => n.name)).toEqual(['failed-twin']);
    expect(r.avoid[0]!.similarity).toBeGreaterThanOrEqual(0.8);
  });

  it('filters on budget (unknown cost passes) and honours topK', async () => {
    await store.upsert([rec({ name: 'pricey', costMonthly: 500 }), rec({ name: 'unpriced', costMonthly: null })]);
    const cheap = await store.search(fastapiQuery({ budget: 100 }));
    expect(cheap.neighbors.map((n) => n.name)).not.toContain('pricey');
    expect(cheap.neighbors.map((n) => n.name)).toContain('unpriced');
    const all = await store.search(fastapiQuery({ topK: 20 }));
    expect(all.neighbors.map((n) => n.name)).toContain('pricey');
    expect((await store.search(fastapiQuery({ topK: 2 }))).neighbors).toHaveLength(2);
  });

  it('reranks equally similar records by feedback, recency and cost', async () => {
    const twin = { framework: 'go-net-http', language: 'go', dependencies: ['prometheus'], intent: 'metrics relay' };
    await store.upsert([
      rec({ ...twin, name: 'old', deploymentUid: 'rr-old', createdAt: daysAgo(720), costMonthly: 10 }),
      rec({ ...twin, name: 'new', deploymentUid: 'rr-new', createdAt: daysAgo(1), costMonthly: 10 }),
      rec({ ...twin, name: 'new-dear', deploymentUid: 'rr-dear', createdAt: daysAgo(1), costMonthly: 40 }),
      rec({ ...twin, name: 'liked', deploymentUid: 'rr-liked', createdAt: daysAgo(720), costMonthly: 10, feedback: 5 }),
    ]);
    const q = fastapiQuery({ text: queryText({ framework: 'go-net-http', language: 'go', dependencies: ['prometheus'], prompt: 'metrics relay' }), framework: 'go-net-http', language: 'go' });
    const r = await store.search(q);
    const sims = new Set(r.neighbors.map((n) => n.similarity));
    expect(sims.size).toBe(1); // same text: only the other signals decide
    // liked: votes outweigh age; new over old: recency; old over new-dear: a quarter of the cost outweighs age.
    expect(r.neighbors.map((n) => n.name)).toEqual(['liked', 'new', 'old', 'new-dear']);
  });

  it('record API: outcome is idempotent per deployment UID + decision hash, feedback and cost update it', async () => {
    const key = { deploymentUid: 'uid-record', decisionHash: 'h1' };
    const outcome = rec({ ...key, name: 'recorded-app', dependencies: ['fastapi', 'uvicorn', 'pydantic'], intent: 'FastAPI API', costMonthly: 30 });
    expect(await store.recordOutcome(outcome)).toEqual({ created: true });
    expect(await store.recordOutcome(outcome)).toEqual({ created: false });
    await store.recordCost(key, 12.5);
    await store.recordFeedback(key, 2);
    await store.recordFeedback(key, 2); // a retry changes nothing
    const rows = (await db.query<{ n: string | number; cost: number; fb: number; source: string }>(
      'SELECT count(*) OVER () AS n, cost_monthly AS cost, user_feedback AS fb, source FROM deployment_embeddings WHERE deployment_uid = $1',
      [key.deploymentUid],
    )).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cost: 12.5, fb: 2, source: 'controller' });
    // A later outcome of the same decision keeps the votes and the measured cost.
    await store.recordOutcome({ ...outcome, outcome: 'degraded', costMonthly: null });
    const again = (await db.query<{ outcome: string; cost: number; fb: number }>('SELECT outcome, cost_monthly AS cost, user_feedback AS fb FROM deployment_embeddings WHERE deployment_uid = $1', [key.deploymentUid])).rows[0];
    expect(again).toEqual({ outcome: 'degraded', cost: 12.5, fb: 2 });
  });

  it('a downvoted record is no longer retrieved', async () => {
    const key = { deploymentUid: 'uid-vote', decisionHash: 'h' };
    await store.recordOutcome(rec({ ...key, name: 'voted', framework: 'rails', language: 'ruby', dependencies: ['rails'], intent: 'crm' }));
    const q = fastapiQuery({ text: 'framework rails; language ruby; dependencies rails; intent crm', framework: 'rails', language: 'ruby' });
    expect((await store.search(q)).neighbors.map((n) => n.name)).toEqual(['voted']);
    await store.recordFeedback(key, -1);
    expect((await store.search(q)).neighbors).toEqual([]);
  });

  it('rejects bad records and unknown keys with the field named', async () => {
    await expect(store.recordOutcome(rec({ strategy: 'ec2' as never }))).rejects.toThrow(RecordError);
    await expect(store.recordOutcome(rec({ strategy: 'ec2' as never }))).rejects.toThrow(/outcome\.strategy: must be one of vm, kubernetes, serverless/);
    await expect(store.recordOutcome(rec({ costMonthly: -3 }))).rejects.toThrow(/outcome\.costMonthly: must be a non-negative number/);
    await expect(store.recordFeedback({ deploymentUid: 'nope', decisionHash: 'nope' }, 1)).rejects.toThrow(RecordNotFoundError);
    await expect(store.recordFeedback({ deploymentUid: 'nope', decisionHash: 'nope' }, 0.5)).rejects.toThrow(/feedback\.value: must be an integer/);
    await expect(store.recordCost({ deploymentUid: '', decisionHash: 'x' }, 1)).rejects.toThrow(/cost\.deploymentUid/);
  });

  it('builds the optional IVFFlat index with lists ≈ √rows and still finds the nearest', async () => {
    const before = await store.search(fastapiQuery());
    const { lists, probes } = await store.buildIvfflat();
    const n = (await store.stats()).records;
    expect(lists).toBe(Math.round(Math.sqrt(n)));
    expect(probes).toBe(Math.ceil(Math.sqrt(lists)));
    expect((await store.stats()).indexes).toContain('deployment_embeddings_ivfflat');
    expect(store.model.recorded?.ivfflatLists).toBe(lists);
    const after = await store.search(fastapiQuery());
    expect(after.neighbors.map((x) => x.name)).toEqual(before.neighbors.map((x) => x.name));
  });
});
