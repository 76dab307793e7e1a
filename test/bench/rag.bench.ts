// npm run bench:rag — the RAG store at scale on embedded PGlite: insert rate, index build time,
// filtered top-5 latency (p50/p95) for a sequential scan, IVFFlat and HNSW, recall@5 against the
// exact answer, database size and peak RSS. Vectors are 384-d and clustered (uniform random vectors
// make recall meaningless); the filter (cloud + framework) keeps ≈ 8 % of the rows, like a team's
// "same cloud, same stack" pre-filter. Sizes: BENCH_RAG_SIZES=10000,100000 (the default).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../../function/src/rag/embedder.js';
import { createHnsw, HNSW_INDEX, IVFFLAT_INDEX } from '../../function/src/rag/model.js';
import { successfulNeighbours, type SearchFilter } from '../../function/src/rag/search.js';
import { RagStore } from '../../function/src/rag/store.js';
import { openPglite } from '../../lib/rag/backends/pglite.js';
import type { DeploymentRecord } from '../../lib/rag/record.js';
import { toVectorLiteral } from '../../lib/rag/vector.js';
import type { EmbeddedRecord } from '../../lib/rag/writes.js';
import { tempDir } from '../helpers/rag.js';

const SIZES = (process.env.BENCH_RAG_SIZES ?? '10000,100000').split(',').map(Number).filter((n) => n > 0);
const QUERIES = Number(process.env.BENCH_RAG_QUERIES ?? 200);
const DIM = 384;
const CLUSTERS = 64;
const FRAMEWORKS = [['fastapi', 'python'], ['flask', 'python'], ['django', 'python'], ['express', 'javascript'], ['gin', 'go'], ['rails', 'ruby']] as const;
const CLOUDS = ['aws', 'gcp'] as const;
const STRATEGIES = ['vm', 'kubernetes', 'serverless'] as const;

/** Deterministic PRNG so every run measures the same data. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(42);
const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const centers = Array.from({ length: CLUSTERS }, () => unit(Array.from({ length: DIM }, gauss)));
/** A point near a random cluster centre: noise of this size gives cosine ≈ 0.7–0.8 to its centre. */
const clustered = () => {
  const c = centers[Math.floor(rand() * CLUSTERS)]!;
  return unit(c.map((x) => x + gauss() * 0.045));
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;

const benchEmbedder: Embedder = { model: 'bench-clustered-384', dimension: DIM, embed: async () => { throw new Error('the bench inserts precomputed vectors'); }, warm: async () => {} };

function record(i: number): EmbeddedRecord {
  const [framework, language] = pick(FRAMEWORKS);
  const r: DeploymentRecord = {
    deploymentUid: `bench-${i}`, decisionHash: 'b', name: `app-${i}`, namespace: 'bench', framework, language,
    strategy: pick(STRATEGIES), cloud: pick(CLOUDS), region: 'us-east-1', outcome: 'success', costMonthly: Math.round(rand() * 30000) / 100, source: 'import',
  };
  return { record: r, content: `framework ${framework}; language ${language}`, embedding: clustered() };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
/** Linux only (the bench's home); elsewhere it prints 0. */
const peakRssMiB = () => {
  try {
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
};
const dirBytes = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;

async function timeQueries(store: RagStore, queries: Array<{ vec: string; filter: SearchFilter }>): Promise<{ p50: number; p95: number; results: number[][] }> {
  for (const q of queries.slice(0, 10)) await successfulNeighbours(store.db, q.vec, q.filter, 5); // warm-up
  const ms: number[] = [];
  const results: number[][] = [];
  for (const q of queries) {
    const t = performance.now();
    const r = await successfulNeighbours(store.db, q.vec, q.filter, 5);
    ms.push(performance.now() - t);
    results.push(r.map((c) => c.id));
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95), results };
}

const recallAt5 = (got: number[][], exact: number[][]) =>
  got.reduce((s, g, i) => s + g.filter((id) => exact[i]!.includes(id)).length / Math.max(1, Math.min(5, exact[i]!.length)), 0) / got.length;

async function plan(store: RagStore, q: { vec: string; filter: SearchFilter }): Promise<string> {
  const r = await store.db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT id FROM deployment_embeddings WHERE cloud = $2 AND (($3::text IS NULL AND $4::text IS NULL) OR framework = $3 OR language = $4)
       AND outcome = 'success' AND user_feedback >= 0 AND ($5::float8 IS NULL OR cost_monthly IS NULL OR cost_monthly <= $5) AND embedding IS NOT NULL
     ORDER BY embedding <=> $1::vector LIMIT 5`,
    [q.vec, q.filter.cloud, q.filter.framework, q.filter.language, null],
  );
  const lines = r.rows.map((x) => x['QUERY PLAN']);
  const scan = lines.find((l) => /Scan/.test(l)) ?? lines[0] ?? '';
  return scan.replace(/\s+\(cost=.*$/, '').replace(/^[\s->]+/, '').trim();
}

async function benchSize(n: number): Promise<void> {
  const tmp = tempDir('scai-rag-bench-');
  const dir = join(tmp.dir, 'rag');
  try {
    const store = await RagStore.open({ db: await openPglite({ dir }), embedder: benchEmbedder });
    // Bulk load without a vector index, then build it once: far faster than maintaining it per row.
    await store.db.exec(`DROP INDEX IF EXISTS ${HNSW_INDEX}`);
    const BATCH = 500;
    let insertMs = 0; // database time only: generating the vectors is not the store's cost
    for (let i = 0; i < n; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, n - i) }, (_, j) => record(i + j));
      const t0 = performance.now();
      await store.upsertEmbedded(batch);
      insertMs += performance.now() - t0;
      if ((i + BATCH) % 20_000 === 0) process.stderr.write(`  … ${i + BATCH} rows inserted\n`);
    }
    const insertS = insertMs / 1000;
    await store.db.exec('ANALYZE deployment_embeddings');

    // The filter matches the pipeline's: same cloud, and the same framework or language.
    const queries = Array.from({ length: QUERIES }, () => {
      const [framework] = pick(FRAMEWORKS);
      return { vec: toVectorLiteral(clustered(), DIM), filter: { cloud: pick(CLOUDS), framework, language: '-' } as SearchFilter };
    });
    const kept = Number((await store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM deployment_embeddings WHERE cloud = 'aws' AND framework = 'fastapi'")).rows[0]?.n) / n;

    const seq = await timeQueries(store, queries);
    const seqPlan = await plan(store, queries[0]!);

    // pgvector builds far faster when the graph fits in maintenance_work_mem (PGlite's default: 64 MB).
    await store.db.exec(`SET maintenance_work_mem = '${process.env.BENCH_RAG_BUILD_MEM ?? '512MB'}'`);
    process.stderr.write('  … building IVFFlat\n');
    let t = performance.now();
    const { lists, probes } = await store.buildIvfflat();
    const ivfBuildS = (performance.now() - t) / 1000;
    const ivf = await timeQueries(store, queries);
    const ivfPlan = await plan(store, queries[0]!);
    await store.db.exec(`DROP INDEX ${IVFFLAT_INDEX}`);

    process.stderr.write('  … building HNSW\n');
    t = performance.now();
    await createHnsw(store.db);
    const hnswBuildS = (performance.now() - t) / 1000;
    const hnsw = await timeQueries(store, queries);
    const hnswPlan = await plan(store, queries[0]!);

    const dbBytes = Number((await store.db.query<{ b: string }>('SELECT pg_database_size(current_database())::text AS b')).rows[0]?.b);
    await store.close();
    const diskBytes = dirBytes(dir);

    const row = (name: string, r: { p50: number; p95: number; results: number[][] }, extra: string, p: string) =>
      console.log(`  ${name.padEnd(28)} p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  recall@5 ${recallAt5(r.results, seq.results).toFixed(3)}  ${extra}  [${p}]`);
    console.log(`\n${n.toLocaleString('en-US')} records × ${DIM}-d, ${CLUSTERS} clusters; filter keeps ≈ ${(kept * 100).toFixed(1)} %; ${QUERIES} top-5 queries`);
    console.log(`  insert (500-row batches)     ${insertS.toFixed(1)} s  = ${Math.round(n / insertS)} rows/s; indexes built with maintenance_work_mem ${process.env.BENCH_RAG_BUILD_MEM ?? '512MB'}`);
    row('no vector index (exact)', seq, '', seqPlan);
    row(`IVFFlat lists=${lists} probes=${probes}`, ivf, `build ${ivfBuildS.toFixed(1)} s`, ivfPlan);
    row('HNSW m=16 efc=64 ef=100', hnsw, `build ${hnswBuildS.toFixed(1)} s`, hnswPlan);
    console.log(`  database ${mib(dbBytes)} (pg_database_size), data dir on disk ${mib(diskBytes)}; peak RSS so far ${peakRssMiB()} MiB`);
  } finally {
    tmp.remove();
  }
}

console.log(`RAG store bench (PGlite + pgvector, in process), sizes ${SIZES.join(', ')}`);
for (const n of SIZES) await benchSize(n);
