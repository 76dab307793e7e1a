// The embedded store's data directory: the CLI seeds, imports and reports; data survives a restart;
// a second opener is refused (PGlite itself would silently lose rows); a change of embedding model is
// detected and `scai rag reindex` repairs it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../function/src/cli/commands/rag.js';
import { cli as scai } from '../function/src/cli/scai.js';
import { USE_LITE_MODEL } from '../function/src/rag/embedders/use-lite.js';
import { ModelMismatchError } from '../function/src/rag/model.js';
import { openStore } from '../function/src/rag/open.js';
import { loadSeed } from '../function/src/rag/seed.js';
import { RagStore } from '../function/src/rag/store.js';
import { openPglite } from '../lib/rag/backends/pglite.js';
import { LOCK_FILE, lockDirectory } from '../lib/rag/lockfile.js';
import { ROOT } from './helpers/fn.js';
import { hashEmbedder, tempDir } from './helpers/rag.js';

const exec = promisify(execFile);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const query = { text: 'framework fastapi; language python; dependencies fastapi uvicorn pydantic; intent small FastAPI API', cloud: 'aws' as const, framework: 'fastapi', language: 'python', topK: 5 };

describe('scai rag on an embedded data directory', () => {
  const tmp = tempDir();
  const dir = join(tmp.dir, 'rag');
  let seeded = 0;

  beforeAll(() => {
    seeded = loadSeed().length;
  });
  afterAll(() => tmp.remove());

  it('seed loads the reference corpus, idempotently', async () => {
    const first = await cli('seed', '--rag-dir', dir);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toContain(`seeded ${seeded} reference deployments (${seeded} new, 0 updated)`);
    const again = await cli('seed', '--rag-dir', dir);
    expect(again.out).toContain(`(0 new, ${seeded} updated)`);
    await (await lockDirectory(dir)).release(); // released on close: the kernel lock can be taken again
  });

  it('import maps v1 rows, skips unfinished or unknown ones with the field named, and keeps no credentials', async () => {
    const r = await cli('import', join(ROOT, 'test', 'fixtures', 'rag', 'v1-export.json'), '--rag-dir', dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('imported 3 of 5 v1 deployments (3 new, 0 updated)');
    expect(r.out).toContain('skipped deployments[3].status: "deploying" is not a finished deployment');
    expect(r.out).toContain('skipped deployments[4].strategy: unknown value "mainframe"');
  });

  it('stats reports records, model, indexes and size', async () => {
    const r = await cli('stats', '--json', '--rag-dir', dir);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s).toMatchObject({ backend: 'pglite', location: dir, records: seeded + 3, bySource: { seed: seeded, import: 3 }, migrations: [1, 2], withoutEmbedding: 0 });
    expect(s.model).toMatchObject({ matches: true, recorded: { model: USE_LITE_MODEL, dimension: 512 } });
    expect(s.indexes).toContain('deployment_embeddings_hnsw');
    expect(s.databaseBytes).toBeGreaterThan(0);
    const text = await cli('stats', '--rag-dir', dir);
    expect(text.out).toMatch(/records: {4}\d+ \(degraded \d+, failed \d+, success \d+\)/);
  });

  it('persists across a restart, with imported rows mapped and cleaned', async () => {
    const store = await openStore({ ragDir: dir });
    try {
      const rows = (await store.db.query<Record<string, unknown>>(
        "SELECT deployment_uid, decision_hash, strategy, cloud, outcome, cost_monthly, framework, metadata FROM deployment_embeddings WHERE source = 'import' ORDER BY deployment_uid",
      )).rows;
      expect(rows.map((r) => [r.deployment_uid, r.decision_hash, r.strategy, r.cloud, r.outcome, r.cost_monthly, r.framework])).toEqual([
        ['v1:1', '9f1c2ab', 'serverless', 'aws', 'success', 7.5, 'fastapi'],
        ['v1:2', '77aa01', 'vm', 'aws', 'failed', null, 'django'],
        ['v1:3', 'v1', 'kubernetes', 'gcp', 'success', 120, 'gin'],
      ]);
      expect(JSON.stringify(rows)).not.toContain('ghp_secret');
      const r = await store.search(query);
      expect(r.neighbors.length).toBeGreaterThan(0);
      expect(r.neighbors.every((n) => n.strategy && n.outcome === 'success')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses a second opener of the same directory, in this process and from another one', async () => {
    const db = await openPglite({ dir });
    try {
      await expect(openPglite({ dir })).rejects.toThrow(/already open in this process/);
      const script = `import { lockDirectory } from ${JSON.stringify(join(ROOT, 'lib', 'rag', 'lockfile.ts'))}; await lockDirectory(${JSON.stringify(dir)});`;
      const err = await exec(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT }).catch((e) => e);
      expect(String(err.stderr)).toContain(`is in use by pid ${process.pid} on `);
    } finally {
      await db.close();
    }
    // The lock file stays (nobody unlinks a lock); the kernel lock went with the close.
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    await (await openPglite({ dir })).close();
  });

  it('detects a change of embedding model, refuses to mix vectors, and reindex re-embeds', async () => {
    const other = hashEmbedder(96, 'test-hash-96');
    let store = await RagStore.open({ db: await openPglite({ dir }), embedder: other });
    try {
      expect(store.model).toMatchObject({ matches: false, recorded: { model: USE_LITE_MODEL, dimension: 512 }, current: { model: 'test-hash-96', dimension: 96 } });
      await expect(store.search(query)).rejects.toThrow(ModelMismatchError);
      await expect(store.search(query)).rejects.toThrow(/run `scai rag reindex`/);
      const r = await store.reindex();
      expect(r.reembedded).toBe(seeded + 3);
    } finally {
      await store.close();
    }
    store = await RagStore.open({ db: await openPglite({ dir }), embedder: other });
    try {
      expect(store.model).toMatchObject({ matches: true, recorded: { model: 'test-hash-96', dimension: 96 } });
      expect((await store.search(query)).neighbors.length).toBeGreaterThan(0);
      expect((await store.stats()).indexes).toContain('deployment_embeddings_hnsw');
    } finally {
      await store.close();
    }
    // And back with the CLI, whose default model is USE-lite again.
    const r = await cli('reindex', '--ivfflat', '--rag-dir', dir);
    const lists = Math.round(Math.sqrt(seeded + 3));
    expect(r).toMatchObject({ code: 0, out: `re-embedded ${seeded + 3} records with ${USE_LITE_MODEL}\nbuilt IVFFlat with lists=${lists} (query probes=${Math.ceil(Math.sqrt(lists))})\n` });
  });

  it('scai decide --rag-dir retrieves neighbours from the store and cites them', async () => {
    let out = '';
    let err = '';
    const claimFile = join(ROOT, 'examples', 'claims', 'flask-app.yaml');
    const code = await scai(['decide', claimFile, '--repo-dir', ROOT, '--rag-dir', dir, '--json'], { out: (s) => (out += s), err: (s) => (err += s) });
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.neighbors.length).toBeGreaterThan(0);
    expect(report.neighbors.every((n: { outcome: string }) => n.outcome === 'success')).toBe(true);
    await (await lockDirectory(dir)).release();
    // Without --rag-dir, SCAI_RAG_DIR (what `scai rag seed` fills) is the store.
    process.env.SCAI_RAG_DIR = dir;
    try {
      let envOut = '';
      expect(await scai(['decide', claimFile, '--repo-dir', ROOT, '--json'], { out: (s) => (envOut += s), err: () => undefined })).toBe(0);
      expect(JSON.parse(envOut).neighbors.length).toBeGreaterThan(0);
    } finally {
      delete process.env.SCAI_RAG_DIR;
    }
  });

  it('reports a bad subcommand or arguments with usage and exit code 2', async () => {
    expect((await cli('bogus')).code).toBe(2);
    expect((await cli('import')).err).toContain('expected one file');
    expect((await cli('import', '/nonexistent.json', '--rag-dir', dir)).err).toContain('cannot read /nonexistent.json');
  });
});
