// function-scai's metrics (function/src/metrics/) as renders drive them, its /metrics endpoint, and
// the controller's per-team totals (operator/src/fleet.ts). The end-to-end proof on a real Prometheus
// is test/e2e/metrics.test.ts.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { claimToXr } from '../function/src/cli/claims.js';
import { AnalysisCache } from '../function/src/cache/analyses.js';
import { runFunction } from '../function/src/handler.js';
import { functionRegistry, watchStore } from '../function/src/metrics/registry.js';
import { parseListenAddress, startMetricsServer } from '../function/src/metrics/server.js';
import { teamTotals, teamOf } from '../operator/src/fleet.js';
import { Metrics } from '../operator/src/metrics.js';
import type { XR } from '../operator/src/xr.js';
import { parseMetrics } from './helpers/kube-controller.js';
import { claim, countingSource, desiredResources, desiredStatus, NOW, request, ROOT } from './helpers/fn.js';

const scrape = async () => parseMetrics(await functionRegistry.metrics());
const delta = (before: Record<string, number>, after: Record<string, number>, key: string) => (after[key] ?? 0) - (before[key] ?? 0);

describe('render metrics', () => {
  it('count a new decision, a pinned render and a fatal one, with stage timings and no claim data in labels', async () => {
    const before = await scrape();
    const source = countingSource();
    const deps = { repos: source, now: () => NOW };
    const xr = claimToXr(claim({}, 'metrics-web-7f3a'));
    const first = await runFunction(request({ xr }), deps);
    const status = desiredStatus(first.rsp);
    const strategy = (status.deployment as { strategy: string }).strategy;
    const engine = (status.decision as { engine: string }).engine;
    await runFunction(request({ xr, status, observed: desiredResources(first.rsp) }), deps); // pinned
    await runFunction(request({ xr, provider: null }), deps); // CloudProvider missing: Fatal
    const text = await functionRegistry.metrics();
    const after = parseMetrics(text);

    expect(delta(before, after, `scai_decisions_total{strategy="${strategy}",engine="${engine}",cloud="aws"}`)).toBe(1);
    expect(delta(before, after, `scai_decision_confidence_count{strategy="${strategy}"}`)).toBe(1);
    expect(delta(before, after, 'scai_pinned_renders_total')).toBe(1);
    expect(delta(before, after, 'scai_render_duration_seconds_count{stage="total",outcome="decided"}')).toBe(1);
    expect(delta(before, after, 'scai_render_duration_seconds_count{stage="total",outcome="pinned"}')).toBe(1);
    expect(delta(before, after, 'scai_render_duration_seconds_count{stage="total",outcome="fatal"}')).toBe(1);
    // The pinned render ended at the pin stage; the new decision went through every stage.
    expect(delta(before, after, 'scai_render_duration_seconds_count{stage="pin",outcome="done"}')).toBe(1);
    expect(delta(before, after, 'scai_render_duration_seconds_count{stage="provider",outcome="ok"}')).toBe(2); // decided + pinned
    for (const stage of ['analyse', 'retrieve', 'decide', 'enforce', 'compose']) {
      expect(delta(before, after, `scai_render_duration_seconds_count{stage="${stage}",outcome="ok"}`), stage).toBe(1);
    }
    expect(delta(before, after, 'scai_render_duration_seconds_count{stage="provider",outcome="error"}')).toBe(1);
    expect(delta(before, after, 'scai_render_results_total{severity="fatal",stage="cloudProvider",reason="StageFailed"}')).toBe(1);
    expect(source.loads).toBe(1);
    // Low cardinality: nothing of the claim reaches a label.
    expect(text).not.toContain('metrics-web-7f3a');
    expect(text).not.toContain('git.example.com');
    expect(text).not.toContain('team-a');
  });

  it('attribute a retrieval failure to the retrieve stage and time the retrieval', async () => {
    const before = await scrape();
    const failing = { name: 'unit-down', retrieve: async () => Promise.reject(new Error('store down')) };
    const { rsp } = await runFunction(request({ xr: claimToXr(claim({}, 'w2')) }), { repos: countingSource(), now: () => NOW, retriever: failing });
    expect(rsp.results.some((r) => r.reason === 'RetrievalUnavailable')).toBe(true);
    const after = await scrape();
    expect(delta(before, after, 'scai_render_results_total{severity="warning",stage="retrieve",reason="RetrievalUnavailable"}')).toBe(1);
    expect(delta(before, after, 'scai_retrieval_failures_total{retriever="unit-down",kind="error"}')).toBe(1);
    expect(delta(before, after, 'scai_retrieval_duration_seconds_count{retriever="unit-down",outcome="error"}')).toBe(1);
  });

  it('a warning kept with the pin names the stage that failed', async () => {
    const xr = claimToXr(claim({}, 'w3'));
    const first = await runFunction(request({ xr }), { repos: countingSource(), now: () => NOW });
    const changed = claimToXr(claim({ prompt: 'now with spiky traffic' }, 'w3'));
    const before = await scrape();
    const failing = { load: async () => Promise.reject(new Error('connection refused')) };
    await runFunction(request({ xr: changed, status: desiredStatus(first.rsp), observed: desiredResources(first.rsp) }), { repos: failing, now: () => NOW });
    const after = await scrape();
    expect(delta(before, after, 'scai_render_results_total{severity="warning",stage="analyze",reason="KeptPinnedDecision"}')).toBe(1);
    expect(delta(before, after, 'scai_render_duration_seconds_count{stage="analyse",outcome="error"}')).toBe(1);
    expect(delta(before, after, 'scai_pinned_renders_total')).toBe(1);
  });
});

describe('analysis cache', () => {
  it('counts hits and misses', async () => {
    const before = await scrape();
    const cache = new AnalysisCache({ maxEntries: 2 });
    await cache.get('k');
    await cache.set('k', { kind: 'web' } as never);
    await cache.get('k');
    await cache.get('k');
    const after = await scrape();
    expect(delta(before, after, 'scai_analysis_cache_lookups_total{result="miss"}')).toBe(1);
    expect(delta(before, after, 'scai_analysis_cache_lookups_total{result="hit"}')).toBe(2);
  });
});

describe('RAG store gauges', () => {
  it('appear once a store is watched and read it at scrape time', async () => {
    expect(await functionRegistry.metrics()).not.toContain('scai_rag_store_up');
    let open = false;
    watchStore({ open: () => open, withoutEmbedding: async () => (open ? 7 : undefined) });
    expect((await scrape())['scai_rag_store_up']).toBe(0);
    open = true;
    const m = await scrape();
    expect(m['scai_rag_store_up']).toBe(1);
    expect(m['scai_embedding_backlog']).toBe(7);
  });
});

describe('metrics endpoint', () => {
  it('serves /metrics and /healthz on its own port, 404 elsewhere', async () => {
    const s = await startMetricsServer('127.0.0.1:0');
    try {
      const r = await fetch(`http://127.0.0.1:${s.port}/metrics`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/plain');
      const body = await r.text();
      expect(body).toContain('# TYPE scai_render_duration_seconds histogram');
      expect(body).toContain('process_resident_memory_bytes');
      expect((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${s.port}/nope`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('function-scai exits 1 naming the metrics address when it cannot be bound', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const err = await promisify(execFile)(tsx, [join(ROOT, 'function', 'src', 'main.ts'), '--insecure', '--address', '127.0.0.1:0', '--metrics-address', `127.0.0.1:${port}`], { env: { ...process.env, SCAI_RAG: 'off' } }).catch((e) => e);
    blocker.close();
    expect(err.code).toBe(1);
    expect(String(err.stdout) + String(err.stderr)).toContain(`cannot listen on 127.0.0.1:${port} for metrics`);
  });

  it('parses listen addresses and names the flag on a bad one', () => {
    expect(parseListenAddress(':8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseListenAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListenAddress('[::1]:9090')).toEqual({ host: '::1', port: 9090 });
    expect(() => parseListenAddress('8080')).toThrow(/--metrics-address must be host:port/);
    expect(() => parseListenAddress('localhost:http')).toThrow(/--metrics-address/);
  });
});

const xr = (name: string, o: { team?: string; estimate?: number; actual?: number; budget?: number; budgetReason?: string; vote?: string; deleting?: boolean; decided?: boolean } = {}): XR => ({
  metadata: {
    name,
    uid: `uid-${name}`,
    ...(o.deleting ? { deletionTimestamp: '2026-11-30T00:00:00Z' } : {}),
    ...(o.vote ? { annotations: { 'scai.io/feedback': o.vote } } : {}),
  },
  spec: { ...(o.team ? { claimRef: { name, namespace: o.team } } : {}), ...(o.budget !== undefined ? { budget: { maxMonthlyCost: o.budget } } : {}) },
  status: {
    ...(o.decided === false ? {} : { decision: { inputsHash: `h-${name}` } }),
    cost: { ...(o.estimate !== undefined ? { estimatedMonthly: o.estimate } : {}), ...(o.actual !== undefined ? { actualThisMonth: o.actual } : {}) },
    ...(o.budgetReason ? { conditions: [{ type: 'BudgetOK', status: 'True', reason: o.budgetReason }] } : {}),
  },
});

describe('controller team totals', () => {
  it('sum decided, live deployments per claim namespace', () => {
    const t = teamTotals([
      xr('a', { team: 'team-a', estimate: 40, actual: 60, budget: 50, budgetReason: 'NearLimit', vote: '+1' }),
      xr('b', { team: 'team-a', estimate: 10, budget: 100, vote: '-1' }),
      xr('c', { team: 'team-a', estimate: 5, vote: 'great' }),
      xr('d', { team: 'team-b', estimate: 7, budgetReason: 'OverBudget' }),
      xr('e', { estimate: 1 }),
      xr('gone', { team: 'team-a', estimate: 999, deleting: true }),
      xr('undecided', { team: 'team-a', estimate: 999, decided: false }),
    ]);
    expect([...t.keys()].sort()).toEqual(['none', 'team-a', 'team-b']);
    expect(t.get('team-a')).toEqual({
      deployments: 3,
      estimated: { measured: 40, unmeasured: 15 },
      actual: 60,
      budget: 150,
      headroom: 50 - 60 + (100 - 10),
      budgetAlerts: { NearLimit: 1, OverBudget: 0 },
      feedback: { up: 1, down: 1 },
    });
    expect(t.get('team-b')!.budgetAlerts.OverBudget).toBe(1);
    expect(teamOf(xr('x', { team: 'ns1' }))).toBe('ns1');
  });

  it('become scai_team_* gauges at scrape time, from the watched cache only', async () => {
    const m = new Metrics();
    expect(parseMetrics(await m.registry.metrics())['scai_team_deployments{team="team-a"}']).toBeUndefined();
    let xrs = [xr('a', { team: 'team-a', estimate: 40, actual: 60 })];
    m.watchFleet(() => xrs);
    let got = parseMetrics(await m.registry.metrics());
    expect(got['scai_team_deployments{team="team-a"}']).toBe(1);
    expect(got['scai_team_estimated_monthly_cost_usd{team="team-a",measured="true"}']).toBe(40);
    expect(got['scai_team_actual_cost_usd{team="team-a"}']).toBe(60);
    xrs = [xr('b', { team: 'team-b', estimate: 1 })];
    got = parseMetrics(await m.registry.metrics());
    expect(got['scai_team_deployments{team="team-a"}']).toBeUndefined(); // a team that left is gone
    expect(got['scai_team_deployments{team="team-b"}']).toBe(1);
  });
});
