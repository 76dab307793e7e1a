// RAG embeddings through a REAL Ollama server (scripts/install-ollama.sh: ollama v0.17.4 and
// all-MiniLM-L6-v2 imported from the PyPI safetensors) with the store on PGlite and on a real
// PostgreSQL 15 + pgvector. If ollama, the model or PostgreSQL is missing, beforeAll throws: these
// tests fail, they never skip.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEmbedder, type Embedder } from '../function/src/rag/embedder.js';
import { ollamaEmbedder } from '../function/src/rag/embedders/ollama.js';
import { ModelMismatchError } from '../function/src/rag/model.js';
import { loadSeed } from '../function/src/rag/seed.js';
import { RagStore } from '../function/src/rag/store.js';
import type { RetrievalQuery } from '../function/src/retrieval/retriever.js';
import { openPglite } from '../lib/rag/backends/pglite.js';
import type { Db } from '../lib/rag/db.js';
import { queryText } from '../lib/rag/text.js';
import { freePort } from './helpers/kube.js';
import { installedEmbedModel, startOllama, type OllamaServer } from './helpers/ollama.js';
import { postgresBackend, type DbBackend } from './helpers/postgres.js';
import { hashEmbedder, rec } from './helpers/rag.js';

/** One embed call: well under a second idle, tens of seconds when eight jobs share two cores. */
const SLOW = 120_000;

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

const fastapiQuery = (): RetrievalQuery => ({
  text: queryText({ framework: 'fastapi', language: 'python', dependencies: ['fastapi', 'uvicorn', 'pydantic'], prompt: 'FastAPI API' }),
  cloud: 'aws',
  framework: 'fastapi',
  language: 'python',
  topK: 5,
});

let ollama: OllamaServer;
let model: string;
let embedder: Embedder;

beforeAll(async () => {
  model = installedEmbedModel();
  ollama = await startOllama();
  embedder = await defaultEmbedder({ SCAI_EMBED_OLLAMA_HOST: ollama.host, SCAI_EMBED_OLLAMA_MODEL: model, SCAI_EMBED_TIMEOUT_MS: String(SLOW) });
}, SLOW);
afterAll(async () => {
  await ollama?.stop();
});

describe('Ollama embedder', () => {
  it('is chosen by SCAI_EMBED_OLLAMA_HOST, records the model under ollama/ and reads its dimension without loading it', async () => {
    expect(embedder).toMatchObject({ model: `ollama/${model}`, dimension: 384 });
    // /api/show only: the weights load on the first embed.
    await expect.poll(() => ollama.requests('/api/show')).toBeGreaterThanOrEqual(1);
    expect(ollama.requests('/api/embed')).toBe(0);
  });

  it('embeds a batch in one /api/embed call: unit vectors of the recorded dimension, similar texts nearer', async () => {
    const before = ollama.requests('/api/embed');
    const [api, api2, batch] = await embedder.embed(['fastapi python web API with uvicorn', 'a python REST API built on FastAPI', 'nightly batch job that compresses video files']);
    // The server logs a request after answering it: poll its access log for the count.
    await expect.poll(() => ollama.requests('/api/embed') - before).toBe(1);
    for (const v of [api, api2, batch]) {
      expect(v).toHaveLength(384);
      expect(Math.hypot(...v!)).toBeCloseTo(1, 4);
    }
    expect(cosine(api!, api2!)).toBeGreaterThan(cosine(api!, batch!) + 0.2);
    expect(await embedder.embed([])).toEqual([]);
  }, SLOW);

  it('splits large inputs into batches and keeps their order', async () => {
    const small = await ollamaEmbedder({ host: ollama.host, model, timeoutMs: SLOW, batch: 2 });
    const texts = ['kubernetes deployment', 'aws lambda function', 'virtual machine with nginx', 'kubernetes deployment', 'static site'];
    const before = ollama.requests('/api/embed');
    const out = await small.embed(texts);
    await expect.poll(() => ollama.requests('/api/embed') - before).toBe(3);
    expect(out).toHaveLength(5);
    expect(cosine(out[0]!, out[3]!)).toBeCloseTo(1, 4);
    expect(cosine(out[0]!, out[1]!)).toBeLessThan(0.99);
  }, SLOW);

  it('fails with a message naming the model when the server lacks it, and the host when nothing listens', async () => {
    await expect(ollamaEmbedder({ host: ollama.host, model: 'no-such-embedder:1', timeoutMs: SLOW })).rejects.toThrow(/no-such-embedder:1/);
    const port = await freePort();
    await expect(ollamaEmbedder({ host: `http://127.0.0.1:${port}`, model, timeoutMs: 5_000 })).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}`));
    await expect(defaultEmbedder({ SCAI_EMBED_OLLAMA_HOST: ollama.host, SCAI_EMBED_TIMEOUT_MS: 'soon' })).rejects.toThrow(/SCAI_EMBED_TIMEOUT_MS/);
  }, SLOW);

  it('refuses vectors of another length than the model reported, and a model with no embedding length (a server that is not Ollama)', async () => {
    // Unit check of the embedder's own validation: a local HTTP endpoint with Ollama's API shape.
    let info: Record<string, unknown> = { 'general.architecture': 'bert', 'bert.embedding_length': 384 };
    const fake = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/api/show' ? { model_info: info } : { model: 'm', embeddings: [[0.1, 0.2, 0.3]] }));
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const host = `http://127.0.0.1:${(fake.address() as { port: number }).port}`;
    try {
      const e = await ollamaEmbedder({ host, model: 'm', timeoutMs: 5_000 });
      await expect(e.embed(['x'])).rejects.toThrow(/returned 1 vectors of 3 dimensions for 1 texts, expected 384/);
      info = { 'general.architecture': 'bert' };
      await expect(ollamaEmbedder({ host, model: 'm', timeoutMs: 5_000 })).rejects.toThrow(/model "m" reports no embedding length/);
    } finally {
      fake.close();
    }
  });
});

function pgliteBackend(): DbBackend {
  return { name: 'PGlite (in process)', open: () => openPglite(), stop: async () => {} };
}

describe.each([pgliteBackend(), postgresBackend('PostgreSQL 15 + pgvector')])('RAG store on $name with Ollama embeddings', (backend) => {
  let db: Db;
  let store: RagStore;

  beforeAll(async () => {
    db = await backend.open();
    store = await RagStore.open({ db, embedder });
  }, SLOW);
  afterAll(async () => {
    await store?.close().catch(() => undefined);
    await backend.stop();
  });

  it('records the Ollama model and its dimension, seeds and retrieves the nearest first', async () => {
    expect(store.model.recorded).toMatchObject({ model: `ollama/${model}`, dimension: 384 });
    const seed = loadSeed();
    await store.upsert(seed, 'seed');
    await store.upsert([
      rec({ name: 'near', dependencies: ['fastapi', 'uvicorn', 'pydantic'], intent: 'FastAPI API' }),
      rec({ name: 'far', framework: 'fastapi', dependencies: ['celery', 'redis', 'boto3', 'numpy', 'pandas'], intent: 'reporting service with nightly batches', strategy: 'vm' }),
    ]);
    const stats = await store.stats();
    expect(stats.records).toBe(seed.length + 2);
    expect(stats.withoutEmbedding).toBe(0);
    const r = await store.search(fastapiQuery());
    expect(r.neighbors[0]?.name).toBe('near');
    expect(r.neighbors[0]!.similarity).toBeGreaterThan(0.8);
    expect(r.neighbors.map((n) => n.name)).toContain('far');
    expect(r.neighbors.find((n) => n.name === 'far')!.similarity).toBeLessThan(r.neighbors[0]!.similarity);
  }, SLOW);

  it('refuses retrieval through another embedder, naming both models, until reindex', async () => {
    const other = await RagStore.open({ db, embedder: hashEmbedder(64, 'test-hash-64') });
    expect(other.model.matches).toBe(false);
    const refused = other.search(fastapiQuery());
    await expect(refused).rejects.toBeInstanceOf(ModelMismatchError);
    await expect(refused).rejects.toThrow(`made with ollama/${model} (384-d) but the configured embedding model is test-hash-64 (64-d): run \`scai rag reindex\``);
    // And the other way round: vectors from another model refuse the Ollama embedder.
    await other.reindex();
    const back = await RagStore.open({ db, embedder });
    await expect(back.search(fastapiQuery())).rejects.toThrow(`made with test-hash-64 (64-d) but the configured embedding model is ollama/${model} (384-d)`);
    const { reembedded } = await back.reindex();
    expect(reembedded).toBeGreaterThan(0);
    expect((await back.search(fastapiQuery())).neighbors[0]?.name).toBe('near');
  }, SLOW);
});
