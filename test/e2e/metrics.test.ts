// The dashboard and the alert rules proven on a real Prometheus (built by scripts/install-prometheus.sh
// into .tools/bin): it scrapes two real function-scai processes (dist/, what the image runs) and the
// real controller (against a real kube-apiserver, recording into a real PostgreSQL + pgvector) while
// the test drives renders over gRPC and plays Crossplane for the controller (it writes the function's
// own status and conditions onto the XR). Then every PromQL expression of package/monitoring/
// dashboard.json and alerts.yaml must return a non-empty result, and the rules must load and pass
// `promtool check rules`.
//
// How the alert expressions become non-empty: the test data makes every alert condition true, and the
// expressions are evaluated exactly as written (not a relaxed inner series):
//   ScaiDecisionFailures        a claim whose CloudProvider is missing (Fatal), rendered in both phases
//   ScaiRagStoreDown            function-scai "b" has SCAI_DATABASE_URL pointing at a closed port
//   ScaiRetrievalFailing        every retrieval of "b" fails
//   ScaiEmbeddingBacklogGrowing "a" runs with SCAI_RAG_EMBED_INTERVAL=0 and the controller records a
//                               second outcome (a row without a vector) after the first was scraped
//   ScaiActualCostOverEstimate  the cost source reports twice the estimate for the XR
//   ScaiBudgetThresholdCrossed  the claim's budget (the estimate + 1, alertThreshold 0.1) is NearLimit (
//                               judged by function-scai) and the actual cost past the budget
// Dashboard variables are replaced by fixed windows ($__rate_interval → 3m, $__range → 10m) that
// cover both phases of the test.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Status, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimToXr } from '../../function/src/cli/claims.js';
import { stopProcess } from '../helpers/crossplane.js';
import { claim, desiredStatus, FLASK_APP, request, type ReqOptions } from '../helpers/fn.js';
import { startGitServer, type GitServer } from '../helpers/git-server.js';
import { fnClient, type FnClient } from '../helpers/grpc-client.js';
import { freePort, ROOT, startKube, TOOLS_BIN, waitFor, xrApi, type KubeEnv } from '../helpers/kube.js';
import { parseMetrics, startController, startRag, type ControllerProc, type RagServer } from '../helpers/kube-controller.js';

import type { LooseObj as Obj } from '../../lib/obj.js';

const MONITORING = join(ROOT, 'package', 'monitoring');
const PROMETHEUS = join(TOOLS_BIN, 'prometheus');
const PROMTOOL = join(TOOLS_BIN, 'promtool');
const FUNCTION_MAIN = join(ROOT, 'dist', 'function', 'src', 'main.js');
const WINDOWS: Record<string, string> = { $__rate_interval: '3m', $__range: '10m' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The rules file inside the PrometheusRule (its spec is a Prometheus rules file). */
export function rulesFile(): { groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; expr: string }> }> } {
  const pr = parse(readFileSync(join(MONITORING, 'alerts.yaml'), 'utf8'));
  return pr.spec;
}

export function dashboardExprs(): Array<{ panel: string; expr: string }> {
  const d = JSON.parse(readFileSync(join(MONITORING, 'dashboard.json'), 'utf8'));
  return (d.panels as Obj[]).filter((p) => p.type !== 'row').flatMap((p) => (p.targets as Obj[]).map((t) => ({ panel: p.title as string, expr: t.expr as string })));
}

const withWindows = (expr: string) => expr.replace(/\$__\w+/g, (v) => WINDOWS[v] ?? v);

interface FnProc {
  proc: ChildProcess;
  grpcPort: number;
  metricsPort: number;
  client: FnClient;
  output(): string;
  metrics(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

async function startFunction(env: Record<string, string>): Promise<FnProc> {
  const [grpcPort, metricsPort] = [await freePort(), await freePort()];
  const out: string[] = [];
  const proc = spawn(process.execPath, [FUNCTION_MAIN, '--insecure', '--address', `127.0.0.1:${grpcPort}`, '--metrics-address', `127.0.0.1:${metricsPort}`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  const keep = (b: Buffer) => {
    out.push(b.toString());
    if (out.length > 400) out.splice(0, out.length - 400);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const metrics = async () => parseMetrics(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text());
  await waitFor(`function-scai /metrics\n${out.join('')}`, async () => (proc.exitCode !== null ? Promise.reject(new Error(out.join(''))) : (await metrics()) && true), 60_000, 200);
  return {
    proc,
    grpcPort,
    metricsPort,
    client: fnClient(`127.0.0.1:${grpcPort}`),
    output: () => out.join(''),
    metrics,
    stop: () => stopProcess(proc),
  };
}

interface PromProc {
  url: string;
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  api<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

async function startPrometheus(dir: string, targets: Record<string, string[]>, rules: string): Promise<PromProc> {
  const port = await freePort();
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: [rules],
    scrape_configs: Object.entries(targets).map(([job, t]) => ({ job_name: job, static_configs: [{ targets: t }] })),
  };
  const cfg = join(dir, 'prometheus.yml');
  writeFileSync(cfg, stringify(config));
  execFileSync(PROMTOOL, ['check', 'config', cfg], { stdio: 'pipe' });
  const log: string[] = [];
  const proc = spawn(PROMETHEUS, [`--config.file=${cfg}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderr!.on('data', (b: Buffer) => log.push(b.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`prometheus ready\n${log.join('')}`, async () => (proc.exitCode !== null ? Promise.reject(new Error(log.join(''))) : (await fetch(`${url}/-/ready`).catch(() => undefined))?.status === 200), 60_000, 200);
  const api = async <T>(path: string): Promise<T> => {
    const r = (await (await fetch(url + path)).json()) as { status: string; data: T; error?: string };
    if (r.status !== 'success') throw new Error(`${path}: ${r.error}`);
    return r.data;
  };
  return {
    url,
    api,
    query: async (expr) => (await api<{ resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await gone;
    },
  };
}

const CONDITION_STATUS: Record<number, string> = { [Status.STATUS_CONDITION_TRUE]: 'True', [Status.STATUS_CONDITION_FALSE]: 'False', [Status.STATUS_CONDITION_UNKNOWN]: 'Unknown' };

/** What Crossplane writes to the XR after this response, once its composed resources are Ready. */
function crossplaneStatus(rsp: RunFunctionResponse): Obj {
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const fromFunction = rsp.conditions.map((c) => ({ type: c.type, status: CONDITION_STATUS[c.status] ?? 'Unknown', reason: c.reason, ...(c.message ? { message: c.message } : {}), lastTransitionTime: at }));
  return {
    ...desiredStatus(rsp),
    conditions: [...fromFunction, { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: at }, { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: at }],
  };
}

const flaskTree = () => Object.fromEntries(readdirSync(FLASK_APP).map((f) => [f, readFileSync(join(FLASK_APP, f))]));

let dir: string;
let kube: KubeEnv;
let rag: RagServer;
let git: GitServer;
let ctrl: ControllerProc;
let fnA: FnProc;
let fnB: FnProc;
let prom: PromProc;
let costFile: string;
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

beforeAll(async () => {
  for (const [bin, how] of [[PROMETHEUS, 'bash scripts/install-prometheus.sh'], [PROMTOOL, 'bash scripts/install-prometheus.sh'], [FUNCTION_MAIN, 'npm run build']] as const) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run ${how}`);
  }
  dir = mkdtempSync(join(tmpdir(), 'scai-metrics-e2e-'));
  kube = await startKube();
  rag = await startRag();
  git = await startGitServer();
  git.repo('shop', [flaskTree()]);
  costFile = join(dir, 'costs.json');
  writeFileSync(costFile, '{}');
  ctrl = await startController(kube, {
    identity: 'ctrl-metrics',
    databaseUrl: rag.url,
    extraEnv: { SCAI_COST_SOURCE: `file:${costFile}`, SCAI_COST_INTERVAL: '0.5', SCAI_RESYNC: '3600' },
  });
  await waitFor('the controller to lead', async () => (await ctrl.metrics())['scai_controller_is_leader'] === 1, 30_000, 200);
  const closed = await freePort();
  [fnA, fnB] = await Promise.all([
    startFunction({ SCAI_DATABASE_URL: rag.url, SCAI_RAG_EMBED_INTERVAL: '0' }),
    startFunction({ SCAI_DATABASE_URL: `postgres://scai@127.0.0.1:${closed}/scai?connect_timeout=2`, SCAI_RAG_EMBED_INTERVAL: '0' }),
  ]);
  await waitFor(`function-scai a's RAG store to open\n${fnA.output()}`, async () => (await fnA.metrics())['scai_rag_store_up'] === 1, 120_000, 500);
  const rules = join(dir, 'rules.yaml');
  writeFileSync(rules, stringify(rulesFile()));
  prom = await startPrometheus(dir, { 'function-scai': [`127.0.0.1:${fnA.metricsPort}`, `127.0.0.1:${fnB.metricsPort}`], 'scai-controller': [`127.0.0.1:${ctrl.port}`] }, rules);
}, 300_000);

afterAll(async () => {
  fnA?.client.close();
  fnB?.client.close();
  await Promise.allSettled([prom?.stop(), fnA?.stop(), fnB?.stop(), ctrl?.stop()]);
  await Promise.allSettled([rag?.stop(), kube?.stop(), git?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

const INPUT = { apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: { repositories: { allowedHosts: ['127.0.0.1'] } } };

describe('package/ with monitoring/', () => {
  it("builds with the documented `crossplane xpkg build --ignore 'monitoring/*'` (a Function package carries only CRDs)", () => {
    const out = join(dir, 'function-scai.xpkg');
    const examples = mkdtempSync(join(dir, 'no-examples-'));
    execFileSync(join(TOOLS_BIN, 'crossplane'), ['xpkg', 'build', '-f', join(ROOT, 'package'), '--ignore', 'monitoring/*', '-e', examples, '-o', out], { stdio: 'pipe' });
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(join(ROOT, 'package', 'crossplane.yaml'), 'utf8')).toContain("--ignore 'monitoring/*'");
  });
});

describe('dashboard and alerts on a real Prometheus', () => {
  it('promtool check rules passes on the PrometheusRule spec', () => {
    const file = join(dir, 'check-rules.yaml');
    writeFileSync(file, stringify(rulesFile()));
    const out = execFileSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8' });
    const n = rulesFile().groups.reduce((s, g) => s + g.rules.length, 0);
    expect(out).toContain(`SUCCESS: ${n} rules found`);
  });

  it('scrapes function-scai and the controller while renders and reconciles run; every dashboard and alert expression returns data', async () => {
    const xrs = xrApi(kube.admin);
    const repo = { url: `${git.url}/shop.git`, ref: 'main' };
    const render = (fn: FnProc, xr: Obj, extra: Partial<ReqOptions> = {}) => fn.client.run(request({ xr, input: INPUT, ...extra }), 60_000);

    // Phase 1. A first decision, to learn its estimate; then the claim with a budget that puts it past
    // the alert threshold; pinned re-renders; a Fatal; a render without a store (b).
    const unbudgeted = claim({ repository: repo }, 'probe');
    delete unbudgeted.spec.budget;
    const probe = await render(fnA, claimToXr(unbudgeted));
    const estimate = (desiredStatus(probe).cost as { estimatedMonthly: number }).estimatedMonthly;
    expect(estimate).toBeGreaterThan(0);
    const budget = { maxMonthlyCost: Math.max(10, Math.ceil(estimate) + 1), alertThreshold: 0.1, enforcementMode: 'soft' };
    const shopXr = claimToXr(claim({ repository: repo, budget }, 'shop'));
    const shop = await render(fnA, shopXr);
    expect(shop.conditions.find((c) => c.type === 'BudgetOK')?.reason).toBe('NearLimit');
    const pinnedReq = { status: desiredStatus(shop), observed: Object.fromEntries(Object.entries(shop.desired?.resources ?? {}).map(([k, v]) => [k, v.resource as Obj])) };
    for (let i = 0; i < 5; i++) await render(fnA, shopXr, pinnedReq);
    await render(fnA, claimToXr(claim({ repository: repo }, 'lost')), { provider: null });
    const noStore = await render(fnB, claimToXr(claim({ repository: repo }, 'nostore')));
    expect(noStore.results.map((r) => r.reason)).toContain('RetrievalUnavailable');

    // The controller: the XR as Crossplane writes it (the function's status and conditions, Ready).
    const created = await xrs.create('shop');
    const uid = created.metadata.uid as string;
    await xrs.api.patchClusterCustomObject({ group: 'scai.io', version: 'v1alpha1', plural: 'xdeployments', name: 'shop', body: { spec: { budget } }, fieldManager: 'crossplane' }, MERGE);
    await xrs.patchStatus('shop', crossplaneStatus(shop));
    await waitFor('the outcome row (without a vector)', async () => (await rag.rows()).some((r) => r.deployment_uid === uid && !r.has_vector), 30_000, 200);
    await xrs.annotate('shop', { 'scai.io/feedback': '+1' });
    writeFileSync(costFile, '{not json'); // one failed cost sync: scai_controller_errors_total{op="cost-source"}
    await waitFor('a failed cost sync', async () => ((await ctrl.metrics())['scai_controller_errors_total{op="cost-source"}'] ?? 0) > 0, 20_000, 200);
    writeFileSync(costFile, JSON.stringify({ [uid]: budget.maxMonthlyCost * 2 }));
    await waitFor('actualThisMonth', async () => (await xrs.get('shop')).status?.cost?.actualThisMonth === budget.maxMonthlyCost * 2, 20_000, 200);
    await waitFor('the feedback record', async () => (await rag.rows()).some((r) => r.deployment_uid === uid && r.user_feedback === 1), 20_000, 200);
    await waitFor('Prometheus to scrape the backlog of 1', async () => (await prom.query('max(scai_embedding_backlog) >= 1')).length > 0, 30_000, 500);
    await sleep(3_000);

    // Phase 2: the same kinds of event again, so counters increase between scrapes (rate, increase).
    await render(fnA, claimToXr(unbudgeted)); // decided again (no pin): its strategy's counters grow; an analysis cache hit
    const shop2 = await render(fnA, claimToXr(claim({ repository: repo, prompt: 'Flask API with spiky traffic' }, 'shop2')));
    for (let i = 0; i < 5; i++) await render(fnA, shopXr, pinnedReq);
    await render(fnA, claimToXr(claim({ repository: repo }, 'lost')), { provider: null });
    await render(fnB, claimToXr(claim({ repository: repo }, 'nostore')));
    const second = await xrs.create('shop2');
    await xrs.patchStatus('shop2', crossplaneStatus(shop2));
    await waitFor('the second outcome row', async () => (await rag.rows()).some((r) => r.deployment_uid === second.metadata.uid), 30_000, 200);
    await waitFor('Prometheus to scrape the backlog of 2', async () => (await prom.query('max(scai_embedding_backlog) >= 2')).length > 0, 30_000, 500);
    await sleep(3_000);

    const targets = await prom.api<{ activeTargets: Array<{ labels: Record<string, string>; health: string; lastError: string }> }>('/api/v1/targets');
    expect(targets.activeTargets.map((t) => `${t.labels.job} ${t.health} ${t.lastError}`).sort()).toEqual(['function-scai up ', 'function-scai up ', 'scai-controller up ']);

    const exprs = [...dashboardExprs().map((d) => ({ what: `panel "${d.panel}"`, expr: withWindows(d.expr) })), ...rulesFile().groups.flatMap((g) => g.rules.map((r) => ({ what: `rule ${r.alert ?? r.record}`, expr: r.expr })))];
    const empty: string[] = [];
    const noNumber: string[] = [];
    for (const e of exprs) {
      const result = await prom.query(e.expr);
      if (result.length === 0) empty.push(`${e.what}: ${e.expr}`);
      else if (!result.some((s) => Number.isFinite(Number(s.value[1])))) noNumber.push(`${e.what}: ${e.expr} = ${JSON.stringify(result)}`);
    }
    process.stdout.write(`metrics e2e: ${exprs.length} PromQL expressions checked (${dashboardExprs().length} dashboard targets, ${exprs.length - dashboardExprs().length} alert rules)\n`);
    expect(empty).toEqual([]);
    expect(noNumber).toEqual([]);

    // The rules loaded and evaluate cleanly in Prometheus; with this data every alert is pending or firing.
    const loaded = await prom.api<{ groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string; state?: string }> }> }>('/api/v1/rules');
    const states = loaded.groups.flatMap((g) => g.rules.map((r) => `${r.name} ${r.health}${r.lastError ? ` ${r.lastError}` : ''} ${r.state}`)).sort();
    const names = rulesFile().groups.flatMap((g) => g.rules.map((r) => r.alert!)).sort();
    expect(states).toEqual(names.map((n) => expect.stringMatching(new RegExp(`^${n} ok (pending|firing)$`))));

    // Labels stay low-cardinality: no claim name, repository URL or XR name reaches a series.
    const series = await prom.api<Array<Record<string, string>>>(`/api/v1/series?match[]=${encodeURIComponent('{__name__=~"scai_.+"}')}`);
    const values = new Set(series.flatMap((s) => Object.values(s)));
    for (const leak of ['shop', 'shop2', 'probe', 'lost', 'nostore', repo.url, uid]) expect(values.has(leak), leak).toBe(false);
  });
});
