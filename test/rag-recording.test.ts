// Recording without a model: the controller's RecordingStore writes rows without vectors, and the
// function (RagStore.embedPending, run by the background backfill) embeds them. On embedded PGlite
// and on a PostgreSQL server with pgvector, where two embedding processes race for real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedIntervalMs, startEmbedBackfill } from '../function/src/rag/backfill.js';
import { BackgroundRagRetriever } from '../function/src/rag/store-retriever.js';
import { RagStore } from '../function/src/rag/store.js';
import type { RetrievalQuery } from '../function/src/retrieval/retriever.js';
import { openPglite } from '../lib/rag/backends/pglite.js';
import type { Db } from '../lib/rag/db.js';
import { RecordError } from '../lib/rag/record.js';
import { RecordingStore } from '../lib/rag/recording-store.js';
import { queryText, recordText } from '../lib/rag/text.js';
import { fromVectorLiteral } from '../lib/rag/vector.js';
import { RecordNotFoundError } from '../lib/rag/writes.js';
import { waitFor } from './helpers/kube.js';
import { postgresBackend, type DbBackend as Backend } from './helpers/postgres.js';
import { hashEmbedder, rec } from './helpers/rag.js';

const query = (framework: string, deps: string[], prompt: string): RetrievalQuery => ({
  text: queryText({ framework, language: 'python', dependencies: deps, prompt }),
  cloud: 'aws',
  framework,
  language: 'python',
  topK: 5,
});

const nullVectors = async (db: Db) => Number((await db.query<{ n: string | number }>('SELECT count(*) AS n FROM deployment_embeddings WHERE embedding IS NULL')).rows[0]!.n);

function pglite(): Backend {
  let db: Db | undefined;
  // One in-memory database: every open returns it (a PGlite data dir has a single owner anyway).
  return { name: 'PGlite', open: async () => (db ??= await openPglite()), stop: async () => db?.close().catch(() => undefined) };
}

describe.each([pglite(), postgresBackend()])('recording without a model on $name', (backend) => {
  let recorder: RecordingStore;
  let store: RagStore;
  let db: Db;
  const embedder = hashEmbedder(64);

  beforeAll(async () => {
    recorder = await RecordingStore.open(await backend.open());
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('records into a fresh store without adopting a model; the function then adopts its model and embeds the rows', async () => {
    db = recorder.db;
    expect(await recorder.recordOutcome(rec({ deploymentUid: 'r-1', decisionHash: 'h', name: 'recorded-first', framework: 'django', dependencies: ['django', 'celery'], intent: 'CMS' }))).toEqual({ created: true });
    expect((await db.query('SELECT * FROM rag_model')).rows).toEqual([]);
    expect(await nullVectors(db)).toBe(1);

    store = await RagStore.open({ db: await backend.open(), embedder });
    expect(store.model.matches).toBe(true);
    const q = query('django', ['django', 'celery'], 'CMS');
    expect((await store.search(q)).neighbors).toEqual([]); // no vector yet: not retrievable
    expect(await store.embedPending()).toEqual({ seen: 1, embedded: 1 });
    expect(await store.embedPending()).toEqual({ seen: 0, embedded: 0 });
    expect((await store.search(q)).neighbors.map((n) => n.name)).toEqual(['recorded-first']);
  });

  it('re-recording the same deployment keeps its vector and votes; new text drops the vector until it is embedded again', async () => {
    const base = rec({ deploymentUid: 'r-2', decisionHash: 'h', name: 'rerecorded', framework: 'flask', dependencies: ['flask'], intent: 'small API' });
    await recorder.recordOutcome(base);
    await store.embedPending();
    await recorder.recordFeedback({ deploymentUid: 'r-2', decisionHash: 'h' }, 3);
    await recorder.recordOutcome({ ...base, performanceMetrics: { lifetimeSeconds: 60 } }); // the final record: same text
    expect(await nullVectors(db)).toBe(0);
    await recorder.recordOutcome({ ...base, intent: 'small API with a queue' });
    expect(await nullVectors(db)).toBe(1);
    const row = (await db.query<{ fb: number; perf: Record<string, unknown> }>("SELECT user_feedback AS fb, performance_metrics AS perf FROM deployment_embeddings WHERE deployment_uid = 'r-2'")).rows[0];
    expect(row).toEqual({ fb: 3, perf: { lifetimeSeconds: 60 } });
    expect(await store.embedPending()).toEqual({ seen: 1, embedded: 1 });
    const stored = (await db.query<{ v: string }>("SELECT embedding::text AS v FROM deployment_embeddings WHERE deployment_uid = 'r-2'")).rows[0]!.v;
    const [want] = await embedder.embed([recordText({ ...base, intent: 'small API with a queue' })]);
    fromVectorLiteral(stored).forEach((x, i) => expect(x).toBeCloseTo(want![i]!, 5)); // the vector of the new text
    const hit = await store.search(query('flask', ['flask'], 'small API with a queue'));
    expect(hit.neighbors[0]).toMatchObject({ name: 'rerecorded', feedback: 3 });
  });

  it('feedback and cost need a recorded outcome; bad records are refused with the field named', async () => {
    await recorder.recordCost({ deploymentUid: 'r-2', decisionHash: 'h' }, 41.5);
    expect((await db.query<{ c: number }>("SELECT cost_monthly AS c FROM deployment_embeddings WHERE deployment_uid = 'r-2'")).rows[0]!.c).toBe(41.5);
    await expect(recorder.recordFeedback({ deploymentUid: 'nope', decisionHash: 'h' }, 1)).rejects.toThrow(RecordNotFoundError);
    await expect(recorder.recordOutcome(rec({ cloud: 'azure' as never }))).rejects.toThrow(RecordError);
    await expect(recorder.recordOutcome(rec({ cloud: 'azure' as never }))).rejects.toThrow(/outcome\.cloud: must be one of aws, gcp/);
    await expect(recorder.recordCost({ deploymentUid: 'r-2', decisionHash: 'h' }, -1)).rejects.toThrow(/cost\.costMonthly/);
  });

  it('two processes embedding at once embed every row, and each exactly once', async () => {
    const n = 300;
    for (let i = 0; i < n; i++) await recorder.recordOutcome(rec({ deploymentUid: `race-${i}`, decisionHash: 'h', intent: `service ${i}` }));
    const other = await RagStore.open({ db: await backend.open(), embedder });
    const drain = async (s: RagStore) => {
      let total = 0;
      for (;;) {
        const { seen, embedded } = await s.embedPending(16);
        if (seen === 0) return total;
        total += embedded;
      }
    };
    const [a, b] = await Promise.all([drain(store), drain(other)]);
    expect(a + b).toBe(n);
    expect(await nullVectors(db)).toBe(0);
  });

  it('records a deployment whose prompt or metadata carry NUL bytes (PostgreSQL refuses them): stored without them', async () => {
    const r = rec({ deploymentUid: 'nul-1', decisionHash: 'h', name: 'nul\u0000app', framework: 'flask', intent: 'Flask API\u0000 with a NUL', metadata: { 'k\u0000': 'v\u0000' } });
    expect(await recorder.recordOutcome(r)).toEqual({ created: true });
    expect(await recorder.recordOutcome({ ...r, outcome: 'failed' })).toEqual({ created: false });
  });

  it('the function server embeds recorded rows in the background, and they become neighbours', async () => {
    const retriever = new BackgroundRagRetriever(async () => RagStore.open({ db: await backend.open(), embedder }), { backfillMs: 50 }).start();
    try {
      await recorder.recordOutcome(rec({ deploymentUid: 'bg-1', decisionHash: 'h', name: 'learned', framework: 'fastapi', dependencies: ['fastapi', 'sqlalchemy'], intent: 'orders API' }));
      const q = query('fastapi', ['fastapi', 'sqlalchemy'], 'orders API');
      const found = await waitFor('the recorded deployment retrieved', async () => {
        const r = await retriever.retrieve(q, new AbortController().signal);
        return r.neighbors.some((nb) => nb.name === 'team-a/learned') ? r : undefined;
      }, 10_000, 50);
      expect(found.neighbors[0]!.name).toBe('team-a/learned');
    } finally {
      await retriever.close(); // stops the backfill, then closes the store (the last test of the group)
    }
  });
});

describe('embedding backfill', () => {
  const fakeStore = (pending: number, o: { failFirst?: number } = {}) => {
    let failures = o.failFirst ?? 0;
    let active = 0;
    const s = {
      calls: [] as number[],
      maxActive: 0,
      left: pending,
      async embedPending(limit: number) {
        active++;
        s.maxActive = Math.max(s.maxActive, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        s.calls.push(limit);
        if (failures > 0) {
          failures--;
          throw new Error('connection refused');
        }
        const n = Math.min(limit, s.left);
        s.left -= n;
        return { seen: n, embedded: n };
      },
    };
    return s;
  };

  it('embeds at most maxPerTick rows per tick in batches, never two ticks at once', async () => {
    const s = fakeStore(100);
    const b = startEmbedBackfill(s, { intervalMs: 60_000, batch: 16, maxPerTick: 40 });
    const [x, y] = await Promise.all([b.tick(), b.tick()]); // the second joins the first
    expect([x, y]).toEqual([40, 40]);
    expect(s.calls).toEqual([16, 16, 8]);
    expect(s.maxActive).toBe(1);
    expect(await b.tick()).toBe(40);
    expect(await b.tick()).toBe(20);
    expect(await b.tick()).toBe(0);
    await b.stop();
  });

  it('reports a failing pass and tries again on the next tick, on its own timer', async () => {
    const s = fakeStore(5, { failFirst: 1 });
    const errors: string[] = [];
    const embedded: number[] = [];
    const b = startEmbedBackfill(s, { intervalMs: 20, onError: (m) => errors.push(m), onEmbedded: (n) => embedded.push(n) });
    await waitFor('a later tick embeds the rows', () => s.left === 0, 5_000, 10);
    await b.stop();
    expect(errors).toEqual(['embedding recorded deployments: connection refused']);
    expect(embedded).toEqual([5]);
    const calls = s.calls.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(s.calls.length).toBe(calls); // stopped: no more ticks
  });

  it('SCAI_RAG_EMBED_INTERVAL: seconds, 0 turns it off, anything else is refused by name', () => {
    expect(embedIntervalMs({})).toBe(30_000);
    expect(embedIntervalMs({ SCAI_RAG_EMBED_INTERVAL: '5' })).toBe(5_000);
    expect(embedIntervalMs({ SCAI_RAG_EMBED_INTERVAL: '0' })).toBe(0);
    expect(() => embedIntervalMs({ SCAI_RAG_EMBED_INTERVAL: 'soon' })).toThrow(/SCAI_RAG_EMBED_INTERVAL must be a number of seconds ≥ 0, got "soon"/);
    expect(() => embedIntervalMs({ SCAI_RAG_EMBED_INTERVAL: '-1' })).toThrow(/SCAI_RAG_EMBED_INTERVAL/);
  });

});
