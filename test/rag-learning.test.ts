// The learning loop through the real pipeline: recorded outcomes change the next decision, a
// downvoted record stops counting, and the store failing never fails a render. Real embedder
// (the bundled Universal Sentence Encoder lite) on an in-memory PGlite. Outcomes are written as the
// controller writes them (RecordingStore, no vectors) and embedded as the function's backfill does.
import { join } from 'node:path';
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimToXr } from '../function/src/cli/claims.js';
import { runFunction } from '../function/src/handler.js';
import { useLiteEmbedder } from '../function/src/rag/embedders/use-lite.js';
import { BackgroundRagRetriever, storeRetriever } from '../function/src/rag/store-retriever.js';
import { RagStore } from '../function/src/rag/store.js';
import { DEFAULT_WARMUP_TIMEOUT_MS, warmUpTimeoutMs } from '../function/src/rag/warm-up.js';
import type { Retriever } from '../function/src/retrieval/retriever.js';
import { openPglite } from '../lib/rag/backends/pglite.js';
import { RecordingStore } from '../lib/rag/recording-store.js';
import { claim, countingSource, desiredStatus, NOW, request, ROOT } from './helpers/fn.js';
import { hashEmbedder, rec } from './helpers/rag.js';

// FastAPI with mangum: serverless is feasible, so history can argue for it.
const FASTAPI = join(ROOT, 'test', 'fixtures', 'apps', 'fastapi-mangum');
const PROMPT = 'FastAPI inventory API with steady high traffic';

/** Counts retrievals so the test can tell a pinned render never asks. */
function counting(r: Retriever): Retriever & { calls: number } {
  const c = { name: r.name, calls: 0, retrieve: (q: Parameters<Retriever['retrieve']>[0], s: AbortSignal) => (c.calls++, r.retrieve(q, s)) };
  return c;
}

async function decide(retriever: Retriever, name: string, status?: Record<string, unknown>) {
  const xr = claimToXr(claim({ prompt: PROMPT }, name));
  // A generous timeout: this test is about what the neighbours do, not about latency on a busy CI box.
  const input = { spec: { retrieval: { timeoutMs: 5_000 } } };
  const { rsp, result } = await runFunction(request({ xr, input, ...(status ? { status } : {}) }), { repos: countingSource(FASTAPI), retriever, now: () => NOW });
  return { rsp, report: result.report!, status: desiredStatus(rsp) };
}

describe('decisions learn from recorded outcomes', () => {
  let store: RagStore;
  let recorder: RecordingStore;
  let retriever: Retriever & { calls: number };
  const embedAll = async () => {
    while ((await store.embedPending()).seen > 0);
  };
  const served = Array.from({ length: 4 }, (_, i) => ({ deploymentUid: `fastapi-${i}`, decisionHash: 'd1' }));

  beforeAll(async () => {
    const db = await openPglite();
    recorder = await RecordingStore.open(db);
    store = await RagStore.open({ db, embedder: useLiteEmbedder() });
    retriever = counting(storeRetriever(store));
  });
  afterAll(async () => {
    await store?.close();
  });

  it('without history, steady high traffic on FastAPI goes to kubernetes', async () => {
    const { report } = await decide(retriever, 'inventory');
    expect(report.strategy).toBe('kubernetes');
    expect(report.neighbors).toEqual([]);
  });

  it('after 4 successful serverless FastAPI deployments, the next FastAPI decision is serverless and says why', async () => {
    for (const [i, key] of served.entries()) {
      await recorder.recordOutcome(rec({
        ...key,
        name: `inventory-${i}`,
        framework: 'fastapi',
        language: 'python',
        dependencies: ['fastapi', 'mangum', 'sqlalchemy', 'asyncpg', 'redis'],
        intent: 'FastAPI inventory API with steady high traffic',
        strategy: 'serverless',
        outcome: 'success',
        costMonthly: 35 + i,
      }));
    }
    expect((await decide(retriever, 'inventory-unembedded')).report.neighbors).toEqual([]); // not embedded yet
    await embedAll();
    const { report, status } = await decide(retriever, 'inventory-next');
    expect(report.strategy).toBe('serverless');
    expect(report.reason).toMatch(/4 similar deployment\(s\) succeeded on serverless at up to \$38\/month \(closest team-a\/inventory-\d, similarity 0\.\d\d\)/);
    expect(report.neighbors).toHaveLength(4);
    expect(report.neighbors[0]).toMatchObject({ strategy: 'serverless', outcome: 'success', feedback: 0 });
    expect(report.neighbors[0]!.similarity).toBeGreaterThan(0.8);
    // The claim's status lists them, in the shape the XRD declares.
    expect((status.decision as { neighbors: unknown[] }).neighbors).toEqual(report.neighbors);
  });

  it('a pinned render does not retrieve', async () => {
    const first = await decide(retriever, 'pinned-app');
    const before = retriever.calls;
    const again = await decide(retriever, 'pinned-app', first.status);
    expect(again.report.pinned).toBe(true);
    expect(retriever.calls).toBe(before);
  });

  it('downvoted records stop being used and the decision returns to the rules', async () => {
    for (const key of served) await recorder.recordFeedback(key, -1);
    const { report } = await decide(retriever, 'inventory-after-votes');
    expect(report.neighbors).toEqual([]);
    expect(report.strategy).toBe('kubernetes');
  });

  it('a similar failure is reported as a warning and counts against its strategy', async () => {
    await recorder.recordOutcome(rec({
      deploymentUid: 'failed-k8s', decisionHash: 'd1', name: 'inventory-k8s', framework: 'fastapi', language: 'python',
      dependencies: ['fastapi', 'mangum', 'sqlalchemy', 'asyncpg', 'redis'], intent: 'FastAPI inventory API with steady high traffic',
      strategy: 'kubernetes', outcome: 'failed',
    }));
    await embedAll();
    const { rsp, report } = await decide(retriever, 'inventory-after-failure');
    expect(rsp.results.find((r) => r.reason === 'SimilarFailures')?.message).toContain('team-a/inventory-k8s on kubernetes');
    expect(report.strategy).not.toBe('kubernetes');
  });
});

describe('a store that cannot open never fails a render', () => {
  it('decides without neighbours, warns RetrievalUnavailable, and retries only after a pause', async () => {
    let opens = 0;
    const rag = new BackgroundRagRetriever(async () => {
      opens++;
      throw new Error('cannot connect to the RAG database postgres://scai:***@db:5432/scai: ECONNREFUSED');
    }, { retryMs: 60_000 });
    const xr = claimToXr(claim());
    for (let i = 0; i < 2; i++) {
      const { rsp } = await runFunction(request({ xr }), { repos: countingSource(), retriever: rag, now: () => NOW });
      expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
      expect(rsp.results.find((r) => r.reason === 'RetrievalUnavailable')?.message).toContain('ECONNREFUSED');
      expect(desiredStatus(rsp).deployment).toBeDefined();
    }
    expect(opens).toBe(1);
    await rag.close();
  });

  it('while the store is still opening, says so instead of a bare timeout', async () => {
    let finish: (e: Error) => void = () => undefined;
    const rag = new BackgroundRagRetriever(() => new Promise((_, reject) => (finish = reject)), { openWaitMs: 50 }).start();
    const { rsp } = await runFunction(request({ xr: claimToXr(claim()) }), { repos: countingSource(), retriever: rag, now: () => NOW });
    expect(rsp.results.find((r) => r.reason === 'RetrievalUnavailable')?.message).toMatch(/RAG store is still opening \(for \d+\.\d s\)/);
    finish(new Error('gave up'));
    await rag.close();
  });
});

describe('warm-up before serving (BackgroundRagRetriever.ready)', () => {
  it('opens the store, loads the model and runs one real retrieval; the first render then embeds once and finds its neighbours', async () => {
    const embedder = hashEmbedder();
    const warmed: string[] = [];
    const counted = { ...embedder, warm: async () => void warmed.push('model'), embed: (t: string[]) => embedder.embed(t) };
    const rag = new BackgroundRagRetriever(async () => {
      const store = await RagStore.open({ db: await openPglite(), embedder: counted });
      await store.upsert([rec({ framework: 'flask', language: 'python', dependencies: ['flask'], intent: 'Flask API', strategy: 'vm' })]);
      return store;
    }, { warm: true });
    const ready = await rag.ready(30_000);
    expect(ready).toEqual({ durationMs: expect.any(Number) });
    expect(warmed).toEqual(['model']);
    const calls = embedder.calls; // the seed record and the warm-up query
    expect(calls).toBe(2);
    const { rsp } = await runFunction(request({ xr: claimToXr(claim()) }), { repos: countingSource(), retriever: rag, now: () => NOW });
    expect(rsp.results.filter((r) => r.reason === 'RetrievalUnavailable')).toEqual([]);
    expect(desiredStatus(rsp).decision.neighbors.length).toBe(1);
    expect(embedder.calls).toBe(calls + 1);
    await rag.close();
  });

  it('reports a store that cannot open, without throwing', async () => {
    const rag = new BackgroundRagRetriever(async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')), { warm: true });
    expect(await rag.ready(30_000)).toEqual({ durationMs: expect.any(Number), problem: 'connect ECONNREFUSED 127.0.0.1:5432' });
    await rag.close();
  });

  it('reports a failed warm-up (the model does not load), and the store stays open', async () => {
    const rag = new BackgroundRagRetriever(async () => RagStore.open({ db: await openPglite(), embedder: { ...hashEmbedder(), warm: () => Promise.reject(new Error('no model files')) } }), { warm: true });
    expect((await rag.ready(30_000)).problem).toBe('warming up (embedding model, first retrieval): no model files');
    expect(rag.isOpen()).toBe(true);
    await rag.close();
  });

  it('gives up waiting after the timeout; warming goes on and the store is used once open', async () => {
    let open: (s: RagStore) => void = () => undefined;
    const rag = new BackgroundRagRetriever(() => new Promise<RagStore>((resolve) => (open = resolve)), { warm: true });
    expect(await rag.ready(50)).toEqual({ durationMs: expect.any(Number), problem: 'not ready within 50 ms (it goes on in the background)' });
    open(await RagStore.open({ db: await openPglite(), embedder: hashEmbedder() }));
    expect(await rag.ready(30_000)).toEqual({ durationMs: expect.any(Number) });
    expect(rag.isOpen()).toBe(true);
    await rag.close();
  });
});

describe('SCAI_RAG_WARMUP_TIMEOUT_MS', () => {
  it('defaults to 30 s, takes milliseconds (0: do not wait), refuses anything else by name', () => {
    expect(warmUpTimeoutMs({})).toBe(DEFAULT_WARMUP_TIMEOUT_MS);
    expect(DEFAULT_WARMUP_TIMEOUT_MS).toBe(30_000);
    expect(warmUpTimeoutMs({ SCAI_RAG_WARMUP_TIMEOUT_MS: '0' })).toBe(0);
    expect(warmUpTimeoutMs({ SCAI_RAG_WARMUP_TIMEOUT_MS: '5000' })).toBe(5000);
    for (const bad of ['-1', '1.5', '5s']) expect(() => warmUpTimeoutMs({ SCAI_RAG_WARMUP_TIMEOUT_MS: bad })).toThrow(/SCAI_RAG_WARMUP_TIMEOUT_MS must be a whole number of milliseconds ≥ 0, got "/);
  });
});
