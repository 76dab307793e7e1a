// The controller's pure parts: work queue guarantees, backoff, how an XR is read, cost sources.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../operator/src/controller.js';
import { documentCostSource } from '../operator/src/cost/file.js';
import { gcpBillingStub } from '../operator/src/cost/gcp.js';
import { mapBounded } from '../operator/src/cost-sync.js';
import { backoffDelay, WorkQueue } from '../operator/src/queue.js';
import { feedback, health, toRecord, type XR } from '../operator/src/xr.js';
import { decidedStatus } from './helpers/kube.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const xr = (status: Record<string, unknown>, annotations: Record<string, string> = {}): XR => ({
  metadata: { name: 'web', uid: 'u1', creationTimestamp: '2026-11-01T00:00:00Z', annotations },
  spec: { prompt: 'Flask API', claimRef: { name: 'web', namespace: 'team-a' } },
  status,
});

describe('work queue', () => {
  it('backs off exponentially with jitter, capped', () => {
    const o = { baseMs: 100, maxMs: 1_000, jitter: 0.5 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, o, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, o, () => 0)).toBe(200); // half of 400 is randomised away at worst
  });

  it('never runs one key twice at once, coalesces adds, and re-runs a key added while it ran', async () => {
    const running = new Set<string>();
    const runs: string[] = [];
    let overlap = false;
    const q = new WorkQueue(async (k) => {
      if (running.has(k)) overlap = true;
      running.add(k);
      runs.push(k);
      await sleep(30);
      running.delete(k);
    }, 4);
    q.start();
    q.add('a');
    q.add('a'); // coalesced with the queued one
    q.add('b');
    await sleep(5);
    q.add('a'); // while a runs: marked dirty, runs once more afterwards
    q.add('a');
    await sleep(150);
    await q.shutdown();
    expect(overlap).toBe(false);
    expect(runs.filter((k) => k === 'a')).toHaveLength(2);
    expect(runs.filter((k) => k === 'b')).toHaveLength(1);
  });

  it('retries a failing key with backoff, not in a hot loop', async () => {
    const at: number[] = [];
    const q = new WorkQueue(async () => {
      at.push(Date.now());
      if (at.length < 4) throw new Error('store down');
    }, 1, { baseMs: 40, maxMs: 1_000, jitter: 0 });
    q.start();
    q.add('k');
    await sleep(500);
    await q.shutdown();
    expect(at).toHaveLength(4);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[2]).toBeGreaterThanOrEqual(150); // 40, 80, 160
  });

  it('shutdown waits for the run in flight', async () => {
    let finished = false;
    const q = new WorkQueue(async () => {
      await sleep(100);
      finished = true;
    });
    q.start();
    q.add('k');
    await sleep(10);
    await q.shutdown();
    expect(finished).toBe(true);
  });
});

describe('reading an XDeployment', () => {
  const now = Date.parse('2026-11-02T00:00:00Z');
  it('tells ready, failing (with since and reason) and pending apart', () => {
    expect(health(xr(decidedStatus('h', { ready: true, at: new Date(now - 5_000) })), now)).toEqual({ kind: 'ready', since: now - 5_000 });
    const f = health(xr(decidedStatus('h', { failed: 'no quota', at: new Date(now - 7_000) })), now);
    expect(f).toMatchObject({ kind: 'failing', since: now - 7_000 });
    expect(f.kind === 'failing' && f.reason).toContain('no quota');
    expect(health(xr(decidedStatus('h')), now)).toEqual({ kind: 'pending', since: Date.parse('2026-11-01T00:00:00Z') });
  });

  it('reads feedback annotations', () => {
    expect(feedback(xr({}, { 'scai.io/feedback': '+1' }))).toEqual({ value: 1 });
    expect(feedback(xr({}, { 'scai.io/feedback': '-1', 'scai.io/feedback-comment': 'slow' }))).toEqual({ value: -1, comment: 'slow' });
    expect(feedback(xr({}, { 'scai.io/feedback': '2' }))).toEqual({ invalid: '2' });
    expect(feedback(xr({}))).toBeUndefined();
  });

  it('builds the store record from the status, and refuses when the decision is incomplete', () => {
    const r = toRecord(xr(decidedStatus('h1', { ready: true, at: new Date('2026-11-01T00:10:00Z') })), 'success');
    expect(r).toMatchObject({
      deploymentUid: 'u1', decisionHash: 'h1', name: 'web', namespace: 'team-a', framework: 'flask', language: 'python',
      dependencies: ['flask', 'gunicorn'], strategy: 'vm', cloud: 'aws', region: 'us-east-1', outcome: 'success', costMonthly: 42.5,
      performanceMetrics: { timeToReadySeconds: 600 },
    });
    expect(() => toRecord(xr({ decision: { inputsHash: 'h' } }), 'success')).toThrow(/strategy/);
  });

  it("ignores changes the reconciler does not read (the controller's own cost write)", () => {
    const s = decidedStatus('h', { ready: true });
    const a = xr(s);
    const b = xr({ ...s, cost: { estimatedMonthly: 42.5, actualThisMonth: 9 } });
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect(fingerprint(a)).not.toBe(fingerprint(xr(s, { 'scai.io/feedback': '1' })));
  });
});

describe('cost sources', () => {
  it('file source: reads uid → amount, filters to the asked uids, and fails loudly on bad input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scai-cost-'));
    const f = join(dir, 'c.json');
    writeFileSync(f, JSON.stringify({ a: 1.5, b: 2 }));
    expect(await documentCostSource(f).monthToDate(['a', 'c'], new Date())).toEqual(new Map([['a', 1.5]]));
    writeFileSync(f, JSON.stringify({ a: -1 }));
    await expect(documentCostSource(f).monthToDate(['a'], new Date())).rejects.toThrow(/non-negative/);
    await expect(gcpBillingStub().monthToDate(['a'], new Date())).rejects.toThrow(/not implemented/);
  });

  it('bounded concurrency', async () => {
    let now = 0;
    let max = 0;
    await mapBounded(Array.from({ length: 20 }, (_, i) => i), 3, async () => {
      max = Math.max(max, ++now);
      await sleep(5);
      now--;
    });
    expect(max).toBe(3);
  });
});
