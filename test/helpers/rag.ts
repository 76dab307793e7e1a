// Test doubles and fixtures for the RAG store: a deterministic embedder (so hand-made data has known
// neighbours) and PGlite served over the Postgres wire protocol (so the real `pg` back end runs).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Embedder } from '../../function/src/rag/embedder.js';
import type { DeploymentRecord } from '../../lib/rag/record.js';

/**
 * Bag of words counted into `dimension` hashed buckets, unit length: the cosine similarity is the
 * overlap of the two texts' words (plus rare bucket collisions), predictable, and nothing loads. `model` lets a test simulate a model change.
 */
export function hashEmbedder(dimension = 64, model = `test-hash-${dimension}`): Embedder & { calls: number } {
  const e = {
    model,
    dimension,
    calls: 0,
    async embed(texts: string[]) {
      e.calls++;
      return texts.map((t) => {
        const v = new Array<number>(dimension).fill(0);
        for (const w of t.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)) {
          const h = createHash('sha256').update(w).digest();
          v[h.readUInt32BE(0) % dimension]! += 1;
        }
        const n = Math.hypot(...v) || 1;
        return v.map((x) => x / n);
      });
    },
    async warm() {},
  };
  return e;
}

export function tempDir(prefix = 'scai-rag-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An in-memory PGlite with pgvector behind a socket on a free port: a stand-in PostgreSQL server. */
export async function pgliteServer(): Promise<{ url: string; pglite: PGlite; stop(): Promise<void> }> {
  const pglite = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db: pglite, port: 0, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  return {
    url: `postgres://postgres:secret@${host}:${port}/postgres?sslmode=disable`,
    pglite,
    stop: async () => {
      await server.stop();
      await pglite.close();
    },
  };
}

let seq = 0;
/** A record with sensible defaults; override what the test is about. */
export function rec(over: Partial<DeploymentRecord> = {}): DeploymentRecord {
  seq++;
  return {
    deploymentUid: `uid-${seq}`,
    decisionHash: `hash-${seq}`,
    name: `app-${seq}`,
    namespace: 'team-a',
    framework: 'fastapi',
    language: 'python',
    dependencies: ['fastapi', 'uvicorn', 'pydantic'],
    intent: 'FastAPI API',
    strategy: 'serverless',
    cloud: 'aws',
    region: 'us-east-1',
    outcome: 'success',
    costMonthly: 20,
    ...over,
  };
}
