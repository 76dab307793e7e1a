// Issue 13 item 5: one repository must not stall the server. Analyses run on the analysis pool's
// threads, so pinned renders on the same server are answered while a huge analysis runs; an
// analysis past its wall time is stopped with a result naming the stage and the limit; a full queue
// is refused at once. Behaviour only: timings go to the bench (npm run bench).
import { afterEach, describe, expect, it } from 'vitest';
import { claimToXr } from '../../function/src/cli/claims.js';
import { analyzeRepository } from '../../function/src/analysis/analyze.js';
import { AnalysisPool, poolOptionsFromEnv } from '../../function/src/analysis-pool/pool.js';
import { claim, countingSource, request } from '../helpers/fn.js';
import { decided, isFatal, pinnedRequest, serve, type Served } from './helpers.js';
import { hugeSnapshot, snapshotSource } from './huge-repo.js';
import type { RepoSource } from '../../function/src/repo/source.js';

/** The flask example for claims named web-*, the huge repository for the claim named huge. */
function mixedSource(huge: RepoSource): RepoSource {
  const flask = countingSource();
  return { load: (repo, ctx) => (repo.url.includes('huge') ? huge.load(repo, ctx) : flask.load(repo)) };
}

let served: Served | undefined;
let pool: AnalysisPool | undefined;
afterEach(async () => {
  await served?.close();
  await pool?.close();
  served = undefined;
  pool = undefined;
});

const hugeClaim = () => claimToXr(claim({ repository: { url: 'https://git.example.com/acme/huge.git', ref: 'main' } }, 'huge'));

describe('analysis off the render path', () => {
  it('gives the same analysis on a pool thread as in this thread', async () => {
    pool = new AnalysisPool({ workers: 1, maxQueued: 1, timeoutMs: 60_000 });
    const snap = hugeSnapshot(5);
    expect(await pool.analyze(snap, {})).toEqual(analyzeRepository(snap, {}));
  });

  it('answers pinned renders while a huge analysis runs on the same server', async () => {
    pool = new AnalysisPool({ workers: 1, maxQueued: 4, timeoutMs: 120_000 });
    served = await serve({ repos: mixedSource(snapshotSource(hugeSnapshot(600))), analyze: pool.analyze });
    const pinned = await Promise.all([1, 2, 3, 4].map((i) => decided(served!.client, {}, `web-${i}`)));
    const order: string[] = [];
    const huge = served.client.run(request({ xr: hugeClaim() }), 120_000).then((rsp) => {
      order.push('huge');
      return rsp;
    });
    // The huge analysis is on its thread before the pinned renders are sent.
    while (pool.load === 0) await new Promise((r) => setTimeout(r, 5));
    for (let round = 0; round < 5; round++) {
      const rsps = await Promise.all(pinned.map((p) => served!.client.run(pinnedRequest(p))));
      for (const rsp of rsps) expect(rsp.conditions.find((c) => c.type === 'DecisionReady')?.reason).toBe('Pinned');
      order.push(`pinned-${round}`);
    }
    const rsp = await huge;
    expect(isFatal(rsp)).toBe(false);
    expect(order).toEqual(['pinned-0', 'pinned-1', 'pinned-2', 'pinned-3', 'pinned-4', 'huge']);
  });

  it('stops an analysis past its wall time with a Fatal naming the stage and the limit; the next one runs', async () => {
    pool = new AnalysisPool({ workers: 1, maxQueued: 4, timeoutMs: 1_000 });
    served = await serve({ repos: mixedSource(snapshotSource(hugeSnapshot(3_000))), analyze: pool.analyze });
    const rsp = await served.client.run(request({ xr: hugeClaim() }), 60_000);
    expect(isFatal(rsp)).toBe(true);
    expect(rsp.results[0]?.message).toMatch(/^analyze: analysis stopped after 1 s \(SCAI_ANALYSIS_TIMEOUT_SECONDS\).*spec\.repository\.path/);
    expect(pool.stats.timedOut).toBe(1);
    const next = await decided(served.client, {}, 'web-after');
    expect(Object.keys(next.resources)).toHaveLength(1);
  });

  it('refuses an analysis at once when every thread is busy and the queue is full', async () => {
    pool = new AnalysisPool({ workers: 1, maxQueued: 0, timeoutMs: 60_000 });
    const running = pool.analyze(hugeSnapshot(300));
    await expect(pool.analyze(hugeSnapshot(1))).rejects.toThrow(/busy: 1 analyses running or waiting \(SCAI_ANALYSIS_WORKERS 1, SCAI_ANALYSIS_QUEUE 0\)/);
    await running;
    expect(pool.stats.refused).toBe(1);
  });

  it('reads its bounds from the environment and names a bad value', () => {
    expect(poolOptionsFromEnv({ SCAI_ANALYSIS_WORKERS: '2', SCAI_ANALYSIS_QUEUE: '0', SCAI_ANALYSIS_TIMEOUT_SECONDS: '5' })).toEqual({ workers: 2, maxQueued: 0, timeoutMs: 5_000 });
    expect(() => poolOptionsFromEnv({ SCAI_ANALYSIS_TIMEOUT_SECONDS: 'soon' })).toThrow(/SCAI_ANALYSIS_TIMEOUT_SECONDS=soon/);
  });
});
