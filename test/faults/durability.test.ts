// Durability (issue 13): a writer killed with SIGKILL at a random moment of seed, import, record or
// reindex, on both back ends (embedded PGlite and a real PostgreSQL): the store opens again and every
// row the writer saw committed is there. SCAI_KILL_TRIALS (default 2 per back end and operation) and
// SCAI_KILL_SEED replay a run; the seed is printed.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../function/src/rag/open.js';
import { ROOT } from '../helpers/fn.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { hashEmbedder, tempDir } from '../helpers/rag.js';

const TRIALS = Number(process.env.SCAI_KILL_TRIALS ?? 2);
const SEED = Number(process.env.SCAI_KILL_SEED ?? Date.now() % 2 ** 31);
const OPS = ['seed', 'import', 'record', 'reindex'] as const;
export const killed = { kills: 0, committed: 0, lost: 0 };

/** mulberry32: a small seeded generator, so that a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(SEED);

/** Runs a writer, kills it `afterMs` after its store opened; the uids it saw committed. */
async function killedWriter(where: string, op: string, afterMs: number): Promise<string[]> {
  const p = spawn(process.execPath, [join(import.meta.dirname, 'durability-worker.mjs'), join(ROOT, 'dist'), where, op], { cwd: ROOT });
  let err = '';
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const committed: string[] = [];
  const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
  let opened = false;
  for await (const line of createInterface({ input: p.stdout })) {
    if (line === 'open' && !opened) {
      opened = true;
      setTimeout(() => p.kill('SIGKILL'), afterMs);
    } else if (line.startsWith('committed ')) committed.push(line.slice('committed '.length));
  }
  const code = await exited;
  if (p.signalCode !== 'SIGKILL') throw new Error(`${op} writer ended by itself (exit ${code}): ${err}`);
  killed.kills++;
  return committed;
}

async function check(where: string, op: string) {
  for (let trial = 0; trial < TRIALS; trial++) {
    const committed = await killedWriter(where, op, Math.floor(rand() * 1500));
    // The store opens again after the crash (the PGlite directory's lock went with the process).
    const store = await openStore({ ...(where.includes('://') ? { databaseUrl: where } : { ragDir: where }), embedder: hashEmbedder() });
    try {
      const found = new Set(
        (await store.db.query<{ deployment_uid: string }>('SELECT deployment_uid FROM deployment_embeddings WHERE deployment_uid = ANY($1)', [committed])).rows.map((r) => r.deployment_uid),
      );
      const lost = committed.filter((u) => !found.has(u));
      killed.committed += committed.length;
      killed.lost += lost.length;
      expect(lost, `${op} trial ${trial} (seed ${SEED}): committed rows lost`).toEqual([]);
    } finally {
      await store.close();
    }
  }
}

beforeAll(() => console.log(`kill seed: ${SEED} (replay: SCAI_KILL_SEED=${SEED})`));
afterAll(() => console.log(`durability: ${killed.kills} writers killed with SIGKILL, ${killed.committed} committed rows checked, ${killed.lost} lost`));

describe('kill -9 on embedded PGlite', () => {
  const t = tempDir('scai-kill-');
  afterAll(() => t.remove());
  it.each(OPS)('%s', (op) => check(join(t.dir, op), op));
});

describe('kill -9 on PostgreSQL', () => {
  let pg: PostgresServer;
  // startPostgres fails (never skips) when PostgreSQL is not installed.
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());
  it.each(OPS)('%s', (op) => check(pg.url, op));
});

afterAll(() => {
  // Some writes must have committed before the kills, or the test proved nothing.
  expect(killed.committed).toBeGreaterThan(0);
});
