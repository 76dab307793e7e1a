// Pure parts of the RAG store: reranking, the embedded text, record checks, the seed corpus, v1
// import mapping, the directory lock, the neighbours rule and the retrieval failure metric.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../function/src/decision/rules.js';
import { defaultEmbedder, MINILM_FILES, MINILM_ID } from '../function/src/rag/embedder.js';
import { USE_LITE_MODEL } from '../function/src/rag/embedders/use-lite.js';
import { fromV1, v1Rows } from '../function/src/rag/import-v1.js';
import { ivfflatLists, ivfflatProbes } from '../function/src/rag/model.js';
import { parseWeights } from '../function/src/rag/open.js';
import { costEfficiency, recency, rerank, type Candidate } from '../function/src/rag/rerank.js';
import { loadSeed } from '../function/src/rag/seed.js';
import { toNeighbor } from '../function/src/rag/store-retriever.js';
import { retrievalFailures, retrieveWithin } from '../function/src/retrieval/retriever.js';
import type { Neighbor } from '../function/src/types.js';
import { LOCK_FILE, lockDirectory } from '../lib/rag/lockfile.js';
import { checkRecord } from '../lib/rag/record.js';
import { MAX_WORDS, recordText } from '../lib/rag/text.js';
import { toVectorLiteral } from '../lib/rag/vector.js';
import { ROOT } from './helpers/fn.js';
import { rec, tempDir } from './helpers/rag.js';

const NOW = new Date('2026-11-28T00:00:00Z');
const cand = (over: Partial<Candidate>): Candidate => ({
  id: 1, name: 'a', namespace: 'team-a', strategy: 'vm', outcome: 'success', similarity: 0.8, feedback: 0, costMonthly: 10, createdAt: NOW.toISOString(), ...over,
});

describe('rerank', () => {
  it('orders by the weighted signals and lets weights be changed', () => {
    const a = cand({ id: 1, name: 'similar', similarity: 0.9, costMonthly: 50 });
    const b = cand({ id: 2, name: 'cheap', similarity: 0.6, costMonthly: 5 });
    expect(rerank([b, a], { now: NOW }).map((c) => c.name)).toEqual(['similar', 'cheap']);
    expect(rerank([a, b], { now: NOW, weights: { similarity: 0.1, costEfficiency: 0.9 } }).map((c) => c.name)).toEqual(['cheap', 'similar']);
  });

  it('takes weights from SCAI_RAG_WEIGHTS, naming a bad one', () => {
    expect(parseWeights('similarity=0.7, costEfficiency=0')).toEqual({ similarity: 0.7, costEfficiency: 0 });
    expect(() => parseWeights('sim=1')).toThrow('SCAI_RAG_WEIGHTS: unknown weight "sim"');
    expect(() => parseWeights('feedback=-1')).toThrow('SCAI_RAG_WEIGHTS: feedback must be a non-negative number, got "-1"');
  });

  it('scales each signal to [0, 1]: half-life recency, capped feedback, cost against the budget', () => {
    expect(recency(new Date(NOW.getTime() - 180 * 86_400_000).toISOString(), NOW, 180)).toBeCloseTo(0.5, 6);
    expect(costEfficiency(25, 100, 999)).toBe(0.75);
    expect(costEfficiency(25, undefined, 50)).toBe(0.5);
    expect(costEfficiency(null, 100, 50)).toBe(0.5);
    expect(costEfficiency(200, 100, 50)).toBe(0);
    const [s] = rerank([cand({ feedback: 12 })], { now: NOW });
    expect(s!.signals.feedback).toBe(1);
  });
});

describe('embedded text and records', () => {
  it('embeds framework, language, top dependencies, intent, strategy and outcome only, capped in words', () => {
    const t = recordText(rec({ dependencies: Array.from({ length: 40 }, (_, i) => `dep${i}`), intent: 'word '.repeat(1000) }));
    expect(t.startsWith('framework fastapi; language python; dependencies dep0 dep1')).toBe(true);
    expect(t).not.toContain('dep15');
    expect(t.split(/\s+/).length).toBeLessThanOrEqual(MAX_WORDS);
    expect(recordText(rec({ intent: 'short' }))).toMatch(/intent short; strategy serverless; outcome success$/);
  });

  it('names the bad field', () => {
    expect(() => checkRecord(rec({ cloud: 'azure' as never }), 'seed[2]')).toThrow('seed[2].cloud: must be one of aws, gcp, got "azure"');
    expect(() => checkRecord(rec({ outcome: 'ok' as never }))).toThrow('record.outcome: must be one of success, failed, degraded');
    expect(() => checkRecord(rec({ createdAt: 'yesterday' }))).toThrow('record.createdAt: must be an ISO time');
    expect(() => toVectorLiteral([1, 2], 3)).toThrow('embedding has 2 dimensions, the store expects 3');
    expect(() => toVectorLiteral([1, NaN], 2)).toThrow('non-finite');
  });

  it('IVFFlat sizing follows lists ≈ √rows, probes ≈ √lists', () => {
    expect(ivfflatLists(10_000)).toBe(100);
    expect(ivfflatProbes(100)).toBe(10);
    expect(ivfflatLists(0)).toBe(1);
  });
});

describe('seed corpus', () => {
  const seed = loadSeed();
  it('covers the common stacks on both clouds, with outcomes that are not all successes', () => {
    const frameworks = new Set(seed.map((r) => r.framework));
    for (const f of ['fastapi', 'flask', 'django', 'express', 'nextjs', 'gin', 'rails']) expect(frameworks).toContain(f);
    expect(new Set(seed.map((r) => r.cloud))).toEqual(new Set(['aws', 'gcp']));
    expect(seed.filter((r) => r.outcome === 'failed').length).toBeGreaterThan(0);
    expect(new Set(seed.map((r) => r.deploymentUid)).size).toBe(seed.length);
  });
  it('carries a source and a rationale for every record', () => {
    for (const r of seed) {
      expect(String(r.metadata?.reference).length, r.deploymentUid).toBeGreaterThan(20);
      expect(String(r.metadata?.rationale).length, r.deploymentUid).toBeGreaterThan(20);
      expect(r.costMonthly, r.deploymentUid).toBeGreaterThan(0);
    }
  });
  it('rejects a record without its source, naming file and index', () => {
    const t = tempDir();
    writeFileSync(join(t.dir, 'bad.json'), JSON.stringify({ records: [{ id: 'x', rationale: 'because', name: 'x' }] }));
    expect(() => loadSeed(t.dir)).toThrow('bad.json.records[0].source: must be a non-empty string');
    t.remove();
  });
});

describe('v1 import mapping', () => {
  it('accepts an array or {deployments}, and refuses anything else', () => {
    expect(v1Rows([1])).toEqual([1]);
    expect(v1Rows({ deployments: [2] })).toEqual([2]);
    expect(() => v1Rows({ rows: [] })).toThrow('expected a JSON array');
  });
  it('maps strategy aliases, terminal statuses and GCP regions', () => {
    const base = { id: 7, app_name: 'x', strategy: 'lambda', status: 'deployed', region: 'europe-west1', analysis_json: '{"framework":"Flask","language":"Python"}' };
    expect(fromV1(base, 0).record).toMatchObject({ strategy: 'serverless', outcome: 'success', cloud: 'gcp', framework: 'flask', language: 'python', deploymentUid: 'v1:7', decisionHash: 'v1' });
    expect(fromV1({ ...base, status: 'destroyed', deployed_at: null }, 1).skipped).toBe('deployments[1].status: "destroyed" is not a finished deployment');
    expect(fromV1({ ...base, app_name: '' }, 2).skipped).toBe('deployments[2].app_name: missing');
  });
});

describe('embedder choice', () => {
  it('uses MiniLM only when SCAI_MODEL_DIR holds all its files, else the bundled USE-lite; neither loads on choice', async () => {
    const t = tempDir();
    for (const f of MINILM_FILES.slice(0, -1)) {
      mkdirSync(join(t.dir, MINILM_ID, 'onnx'), { recursive: true });
      writeFileSync(join(t.dir, MINILM_ID, f), '{}');
    }
    expect(await defaultEmbedder({ SCAI_MODEL_DIR: t.dir })).toMatchObject({ model: USE_LITE_MODEL, dimension: 512 });
    writeFileSync(join(t.dir, MINILM_ID, MINILM_FILES.at(-1)!), '');
    expect(await defaultEmbedder({ SCAI_MODEL_DIR: t.dir })).toMatchObject({ model: MINILM_ID, dimension: 384 });
    expect(await defaultEmbedder({})).toMatchObject({ model: USE_LITE_MODEL });
    t.remove();
  });
});

describe('directory lock', () => {
  it('takes over a lock file left by a dead process, whatever PID it names (a container restart reuses PIDs)', async () => {
    const t = tempDir();
    writeFileSync(join(t.dir, LOCK_FILE), `pid ${process.pid} on ${hostname()} since 2026-01-01T00:00:00Z\n`);
    const lock = await lockDirectory(t.dir);
    await expect(lockDirectory(t.dir)).rejects.toThrow(/already open in this process/);
    await lock.release();
    await (await lockDirectory(t.dir)).release();
    t.remove();
  });

  it('exactly one of several processes racing for a directory wins, every time; a SIGKILLed holder releases it', async () => {
    const t = tempDir();
    // A winner holds the lock until every contender has answered (its stdin closes then), so a slow
    // start on a loaded machine can never find the lock already released: two winners mean two holders.
    const script =
      `import { lockDirectory } from ${JSON.stringify(join(ROOT, 'lib', 'rag', 'lockfile.ts'))};` +
      `try { await lockDirectory(${JSON.stringify(t.dir)}); console.log('won'); process.stdin.resume(); await new Promise((r) => process.stdin.on('end', r)); } catch (e) { console.log(e.name); }`;
    const race = (n: number) => new Promise<string[]>((done) => {
      const outs = Array.from({ length: n }, () => '');
      const procs = outs.map((_, i) => {
        const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
        p.stdout.on('data', (d: Buffer) => {
          outs[i] += d.toString();
          if (outs.every((o) => o.includes('\n'))) for (const q of procs) q.stdin.end();
        });
        return p;
      });
      let exited = 0;
      for (const p of procs) p.on('exit', () => ++exited === n && done(outs.map((o) => o.trim())));
    });
    for (let trial = 0; trial < 3; trial++) {
      const outcomes = await race(4);
      expect(outcomes.filter((o) => o === 'won'), `trial ${trial}: ${outcomes.join(', ')}`).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'DirectoryLockedError')).toHaveLength(3);
    }
    // A process that takes and releases the lock runs to its end (releasing must keep it alive until
    // the lock is gone: `scai rag seed` once exited 13, an unfinished top-level await).
    const clean = await new Promise<{ code: number | null; out: string }>((done) => {
      const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { lockDirectory } from ${JSON.stringify(join(ROOT, 'lib', 'rag', 'lockfile.ts'))}; await (await lockDirectory(${JSON.stringify(t.dir)})).release(); console.log('released');`], { cwd: ROOT });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.on('exit', (code) => done({ code, out: out.trim() }));
    });
    expect(clean).toEqual({ code: 0, out: 'released' });
    // A holder killed with SIGKILL leaves its lock file; the next opener still gets the lock.
    const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
    await new Promise<void>((r) => holder.stdout.once('data', () => r()));
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    await (await lockDirectory(t.dir)).release();
    t.remove();
  });
});

describe('neighbours in the decision', () => {
  const rule = RULES.find((r) => r.id === 'neighbors')!;
  const n = (over: Partial<Neighbor>): Neighbor => ({ name: 'x', similarity: 0.9, strategy: 'serverless', outcome: 'success', ...over });
  const facts = (neighbors: Neighbor[]) => ({ neighbors }) as unknown as Parameters<typeof rule.apply>[0];

  it('votes by outcome, similarity and feedback, and cites the winning group with its cost', () => {
    const hit = rule.apply(facts([
      n({ name: 'a', costMonthly: 31.2 }), n({ name: 'b', costMonthly: 40 }), n({ name: 'c', similarity: 0.8 }),
      n({ name: 'd', strategy: 'vm' }), n({ name: 'e', strategy: 'kubernetes', outcome: 'failed' }),
    ]))!;
    expect(hit.points).toEqual({ serverless: 5.2, vm: 1.8, kubernetes: -1.8 });
    expect(hit.reason).toBe('3 similar deployment(s) succeeded on serverless at up to $40/month (closest a, similarity 0.90); 1 more succeeded on other strategies; 1 similar failed on kubernetes');
  });

  it('keeps only the fields the XRD declares when a store result becomes a neighbour', () => {
    const out = toNeighbor({ ...cand({ name: 'svc', namespace: 'team-b', similarity: 0.91234, costMonthly: 12.345, feedback: 2 }), score: 0.7, signals: { similarity: 0, feedback: 0, recency: 0, costEfficiency: 0 } });
    expect(out).toEqual({ name: 'team-b/svc', similarity: 0.91, strategy: 'vm', outcome: 'success', costMonthly: 12.35, feedback: 2 });
  });
});

describe('retrieval failure metric', () => {
  it('counts timeouts and errors by retriever', async () => {
    const before = async (kind: string) => (await retrievalFailures.get()).values.find((v) => v.labels.retriever === 'unit' && v.labels.kind === kind)?.value ?? 0;
    const t0 = await before('timeout');
    const e0 = await before('error');
    const q = { text: '', cloud: 'aws' as const, framework: null, language: null, topK: 1 };
    await retrieveWithin({ name: 'unit', retrieve: () => new Promise(() => undefined) }, q, 10);
    await retrieveWithin({ name: 'unit', retrieve: async () => { throw new Error('boom'); } }, q, 100);
    expect(await before('timeout')).toBe(t0 + 1);
    expect(await before('error')).toBe(e0 + 1);
  });
});
