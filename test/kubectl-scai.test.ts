// `kubectl scai` against a real API server (etcd + kube-apiserver from .tools/bin, the XRDs' CRDs):
// the commands run in this process, and as their own process where the process matters (exit codes,
// KUBECONFIG from the environment) through kubectl-main.ts, the entry bin/kubectl-scai.js runs built,
// here under tsx (npm test does not build); test/e2e/kubectl-plugin.test.ts runs the built bin through
// the real kubectl's plugin discovery. The kubeconfig's context names the namespace. The test plays Crossplane: it renders the
// claim with the function in process, from the claim as the API server returns it, and writes the
// status back whole (so the XRD schema prunes what it does not declare, as in a cluster), and it
// propagates the claim's annotations to the XR. Feedback reaches the RAG store (PostgreSQL +
// pgvector) through the real controller, running out of process as its ServiceAccount.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Severity, Status } from '@crossplane-org/function-sdk-typescript';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { claimToXr } from '../function/src/cli/claims.js';
import { kubectlScai } from '../function/src/cli/kubectl.js';
import { runFunction } from '../function/src/handler.js';
import { canonicalJson } from '../function/src/util/canonical.js';
import type { LooseObj as Obj } from '../lib/obj.js';
import { claim as claimDoc, countingSource, desiredResources, desiredStatus, request } from './helpers/fn.js';
import { startController, startRag, type ControllerProc, type RagServer } from './helpers/kube-controller.js';
import { decidedStatus, ROOT, startKube, waitFor, xrApi, type KubeEnv } from './helpers/kube.js';

const ENTRY = join(ROOT, 'function/src/cli/kubectl-main.ts');
const G = { group: 'scai.io', version: 'v1alpha1', plural: 'deployments' };
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

let kube: KubeEnv;
let rag: RagServer;
let ctrl: ControllerProc;
let kubeconfig: string;
let api: CustomObjectsApi;

beforeAll(async () => {
  kube = await startKube();
  rag = await startRag();
  api = kube.admin.makeApiClient(CustomObjectsApi);
  const core = kube.admin.makeApiClient(CoreV1Api);
  for (const name of ['team-a', 'team-b']) await core.createNamespace({ body: { metadata: { name } } });
  // startKube waits for the XR's CRD; the claim's may still be initialising its storage.
  await waitFor('the Deployment (claim) CRD to be served', async () => Boolean(await api.listNamespacedCustomObject({ ...G, namespace: 'team-a' })), 30_000, 200);
  // The user's kubeconfig: the admin's, its context's namespace team-a.
  const cfg = JSON.parse(readFileSync(kube.adminKubeconfig, 'utf8'));
  cfg.contexts[0].context.namespace = 'team-a';
  kubeconfig = join(kube.dir, 'user.kubeconfig');
  writeFileSync(kubeconfig, JSON.stringify(cfg));
  process.env.KUBECONFIG = kubeconfig; // this test file's own worker process
  ctrl = await startController(kube, { identity: 'ctrl-k', databaseUrl: rag.url, extraEnv: { SCAI_RESYNC: '3600' } });
  await waitFor('the controller to lead', async () => (await ctrl.metrics())['scai_controller_is_leader'] === 1, 30_000, 200);
}, 180_000);

afterAll(async () => {
  await ctrl?.stop();
  await rag?.stop();
  await kube?.stop();
}, 60_000);

interface Run { code: number | null; out: string; err: string }

/**
 * `kubectl scai <args>` in this process (the machine has two cores: a process per call costs seconds),
 * with KUBECONFIG the user's; `proc` runs it as its own process, for what the process itself does
 * (exit code, KUBECONFIG from the environment).
 */
async function ks(args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await kubectlScai(args, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

function proc(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: kube.dir, KUBECONFIG: kubeconfig, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

const getClaim = (name: string, namespace = 'team-a') => api.getNamespacedCustomObject({ ...G, namespace, name }) as Promise<Obj>;

async function createClaim(name: string, spec: Obj, namespace = 'team-a'): Promise<Obj> {
  const doc = claimDoc(spec, name);
  return api.createNamespacedCustomObject({ ...G, namespace, body: { ...doc, metadata: { name, namespace } } });
}

/** Writes the whole status (Crossplane's server-side apply drops the fields the function stops writing). */
async function putStatus(name: string, status: Obj, namespace = 'team-a'): Promise<void> {
  const c = await getClaim(name, namespace);
  await api.replaceNamespacedCustomObjectStatus({ ...G, namespace, name, body: { ...c, status } });
}

const observedOf = (resources: Record<string, Obj>): Record<string, Obj> =>
  Object.fromEntries(Object.entries(resources).map(([k, v]) => [k, { ...v, metadata: { ...v.metadata, name: `web-${k}` }, status: { conditions: [] } }]));

/** Crossplane's part: render the claim as the API server holds it, write the status back; the composed resources as applied (keys sorted, as Crossplane serialises them). */
async function reconcile(name: string, observed: Record<string, Obj> = {}, at = '2026-11-28T12:00:00Z') {
  const c = await getClaim(name);
  const { conditions: _c, ...status } = (c.status ?? {}) as Obj;
  const repos = countingSource();
  const xr = claimToXr({ apiVersion: c.apiVersion, kind: c.kind, metadata: { name, namespace: 'team-a' }, spec: c.spec });
  const { rsp } = await runFunction(request({ xr, status, observed }), { repos, now: () => at });
  const out = desiredStatus(rsp);
  const fatal = rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message);
  if (!fatal.length) {
    const conditions = rsp.conditions.map((x) => ({ type: x.type, status: x.status === Status.STATUS_CONDITION_TRUE ? 'True' : 'False', reason: x.reason, message: x.message ?? '', lastTransitionTime: at }));
    await putStatus(name, { ...out, conditions });
  }
  const resources = desiredResources(rsp);
  return { resources, bytes: canonicalJson(resources), loads: repos.loads, fatal, status: out };
}

describe('kubectl scai (real API server)', () => {
  it('is the kubectl-scai bin of the package: kubectl runs it as `kubectl scai` from PATH', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin['kubectl-scai']).toBe('bin/kubectl-scai.js');
    expect(readFileSync(join(ROOT, 'bin/kubectl-scai.js'), 'utf8')).toContain("'../dist/function/src/cli/kubectl-main.js'");
  });

  let rev1: Awaited<ReturnType<typeof reconcile>>;
  let rev2: Awaited<ReturnType<typeof reconcile>>;

  it('list: "No resources found" in the context namespace, exit 0 (as a process, KUBECONFIG from the environment)', async () => {
    expect(await proc(['list'])).toEqual({ code: 0, out: '', err: 'No resources found in team-a namespace.\n' });
  });

  it('list: phase, strategy, estimated and actual cost, revision, age; -A adds the namespace; -o json is a List', async () => {
    await createClaim('web', { strategy: 'vm' });
    await createClaim('other', { strategy: 'serverless' }, 'team-b');
    rev1 = await reconcile('web');
    expect(rev1.status.deployment.strategy).toBe('vm');
    const c = await getClaim('web');
    await api.patchNamespacedCustomObjectStatus({ ...G, namespace: 'team-a', name: 'web', body: { status: { cost: { actualThisMonth: 12.34 } } } }, MERGE);
    const est = `$${(c.status.cost.estimatedMonthly as number).toFixed(2)}`;
    const r = await ks(['list']);
    expect([r.code, r.err]).toEqual([0, '']);
    const [head, row, ...more] = r.out.trimEnd().split('\n');
    expect(head!.split(/\s{3,}/)).toEqual(['NAME', 'PHASE', 'STRATEGY', 'ESTIMATED', 'ACTUAL', 'REVISION', 'AGE']);
    expect(row!.split(/\s+/)).toEqual(['web', 'Provisioning', 'vm', est, '$12.34', '1', expect.stringMatching(/^\d+s$/)]);
    expect(more).toEqual([]);
    const all = await ks(['list', '-A']);
    expect(all.code).toBe(0);
    expect(all.out.split('\n').map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
      ['NAMESPACE', 'NAME', 'PHASE', 'STRATEGY'], ['team-a', 'web', 'Provisioning', 'vm'], ['team-b', 'other', 'Pending', '-'], [''],
    ]);
    const json = await ks(['list', '-n', 'team-b', '-o', 'json']);
    expect(JSON.parse(json.out)).toMatchObject({ kind: 'List', items: [{ metadata: { name: 'other', namespace: 'team-b' } }] });
  });

  it('explain: decision, reason with evidence, alternatives with why not, the cost breakdown as a table', async () => {
    const c = await getClaim('web');
    const r = await ks(['explain', 'web']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toMatch(/^Name: +web\nNamespace: +team-a\nPhase: +Provisioning\nStrategy: +vm \(confidence \d\.\d\d\)\nRevision: +1\n/);
    expect(r.out).toContain(`Reason:       ${c.status.deployment.reason}`);
    expect(r.out).toMatch(/Evidence:\n {2}\S/);
    expect(r.out).toContain('(requirements.txt');
    for (const a of c.status.deployment.alternativeStrategies) expect(r.out).toMatch(new RegExp(`\\n {2}${a.strategy} +\\$\\d+\\.\\d\\d +\\S`));
    expect(r.out).toMatch(/\n {2}ITEM +QUANTITY +UNIT +UNIT PRICE +MONTHLY\n/);
    for (const l of c.status.cost.breakdown) expect(r.out).toMatch(new RegExp(`\\n {2}${l.item} +${l.quantity} `));
    expect(r.out).toMatch(new RegExp(`\\n {2}estimated total +\\$${c.status.cost.estimatedMonthly.toFixed(2)}\\n {2}actual this month +\\$12\\.34\\n`));
    expect(r.out).toMatch(/Conditions:\n {2}TYPE +STATUS +REASON +MESSAGE\n {2}DecisionReady +True +Decided /);
    const y = parse((await ks(['explain', 'web', '-o', 'yaml'])).out);
    expect(y).toMatchObject({ name: 'web', strategy: 'vm', decision: { revision: 1 }, cost: { actualThisMonth: 12.34 } });
    expect(y.alternatives.length).toBe(c.status.deployment.alternativeStrategies.length);
  });

  it('errors name the object (exit 1); bad command lines exit 2', async () => {
    expect(await proc(['explain', 'nope'])).toEqual({ code: 1, out: '', err: 'Error from server (NotFound): deployments.scai.io "nope" not found\n' });
    expect((await proc(['rollback', 'web'])).code).toBe(2);
    expect(await ks(['history', 'web', '-n', 'team-b'])).toEqual({ code: 1, out: '', err: 'Error from server (NotFound): deployments.scai.io "web" not found\n' });
    expect((await ks(['list', '--context', 'prod'])).err).toBe('error: context was not found for specified context: prod\n');
    expect((await proc(['list'], { KUBECONFIG: join(kube.dir, 'missing') })).code).toBe(1);
    for (const args of [['rollback', 'web'], ['feedback', 'web'], ['explain'], ['frobnicate'], ['list', '-o', 'wide'], ['rollback', 'web', '--to-revision', 'x']]) {
      const r = await ks(args);
      expect([args.join(' '), r.code, r.out]).toEqual([args.join(' '), 2, '']);
      expect(r.err).toMatch(/^error: /);
    }
  });

  it('history: one row per revision, the current one marked', async () => {
    await api.patchNamespacedCustomObject({ ...G, namespace: 'team-a', name: 'web', body: { spec: { strategy: 'kubernetes' } } }, MERGE);
    rev2 = await reconcile('web', observedOf(rev1.resources), '2026-11-29T12:00:00Z');
    expect(rev2.status.deployment.strategy).toBe('kubernetes');
    const r = await ks(['history', 'web']);
    expect(r.code).toBe(0);
    const rows = r.out.trimEnd().split('\n').map((l) => l.split(/\s{3,}/));
    expect(rows[0]).toEqual(['REVISION', 'DECIDED', 'STRATEGY', 'MONTHLY', 'ENGINE', 'INPUTS', 'NOTE']);
    expect(rows.slice(1).map((x) => [x[0], x[1], x[2], x[6]])).toEqual([['1', '2026-11-28T12:00:00Z', 'vm', undefined], ['2', '2026-11-29T12:00:00Z', 'kubernetes', 'current']]);
    expect(JSON.parse((await ks(['history', 'web', '-o', 'json'])).out).map((e: Obj) => e.revision)).toEqual([1, 2]);
  });

  it('rollback --to-revision N patches spec.decisionRevision; the re-render composes revision N byte for byte; --clear returns', async () => {
    const bad = await ks(['rollback', 'web', '--to-revision', '5']);
    expect(bad).toEqual({ code: 1, out: '', err: 'error: deployments.scai.io "web" has no revision 5 in status.history (revisions: 1, 2; see kubectl scai history web)\n' });
    expect((await getClaim('web')).spec.decisionRevision).toBeUndefined();

    const r = await proc(['rollback', 'web', '--to-revision', '1']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toBe('deployment.scai.io/web patched: spec.decisionRevision=1; scai composes revision 1 again as a new revision (kubectl scai history web)\n');
    expect((await getClaim('web')).spec.decisionRevision).toBe(1);

    const back = await reconcile('web', observedOf(rev2.resources), '2026-11-30T12:00:00Z');
    expect([back.fatal, back.loads]).toEqual([[], 0]);
    expect(back.bytes).toBe(rev1.bytes);
    const again = await reconcile('web', observedOf(back.resources), '2026-12-01T12:00:00Z');
    expect(again.bytes).toBe(rev1.bytes);
    const h = await ks(['history', 'web']);
    expect(h.out).toMatch(/^spec.decisionRevision: 1 \(rolled back;/);
    expect(h.out.trimEnd().split('\n').at(-1)!.split(/\s{3,}/)).toEqual(['3', '2026-11-30T12:00:00Z', 'vm', expect.any(String), expect.any(String), expect.any(String), 'current, restored from 1']);
    expect((await ks(['explain', 'web'])).out).toMatch(/Revision: +3 \(restored from revision 1\); spec.decisionRevision: 1\n/);

    const clear = await ks(['rollback', 'web', '--clear']);
    expect([clear.code, clear.out]).toEqual([0, 'deployment.scai.io/web patched: spec.decisionRevision removed; scai returns to the current decision\n']);
    expect('decisionRevision' in (await getClaim('web')).spec).toBe(false);
    const current = await reconcile('web', observedOf(again.resources), '2026-12-02T12:00:00Z');
    expect([current.bytes, current.loads, current.status.decision.revision, current.status.decision.restoredFrom]).toEqual([rev2.bytes, 0, 4, 2]);
  });

  it('feedback +1|-1 [--comment] annotates the claim; through Crossplane and the controller it reaches the RAG store', async () => {
    const xrs = xrApi(kube.admin);
    const xr = await xrs.create('web-fb'); // its claimRef: team-a/web-fb
    await createClaim('web-fb', {});
    await xrs.patchStatus('web-fb', decidedStatus('hash-fb', { ready: true }));
    const row = async () => (await rag.rows()).find((x) => x.deployment_uid === xr.metadata.uid);
    await waitFor('the outcome record', row, 30_000);
    /** Crossplane propagates the claim's annotations to its XR. */
    const propagate = async () => {
      const a = ((await getClaim('web-fb')).metadata.annotations ?? {}) as Record<string, string>;
      await xrs.annotate('web-fb', { 'scai.io/feedback': a['scai.io/feedback'] ?? null, 'scai.io/feedback-comment': a['scai.io/feedback-comment'] ?? null });
    };

    const down = await ks(['feedback', 'web-fb', '-1', '--comment', 'too slow at peak']);
    expect(down).toEqual({ code: 0, out: 'deployment.scai.io/web-fb annotated: scai.io/feedback=-1 with a comment (the scai controller records it on the decision)\n', err: '' });
    expect((await getClaim('web-fb')).metadata.annotations).toMatchObject({ 'scai.io/feedback': '-1', 'scai.io/feedback-comment': 'too slow at peak' });
    await propagate();
    await waitFor('feedback -1 in the RAG store', async () => (await row())?.user_feedback === -1, 30_000);
    expect((await row())!.metadata.feedbackComment).toBe('too slow at peak');

    const up = await ks(['feedback', 'web-fb', '+1']);
    expect(up.code).toBe(0);
    expect((await getClaim('web-fb')).metadata.annotations['scai.io/feedback-comment']).toBeUndefined();
    await propagate();
    await waitFor('feedback +1 in the RAG store', async () => (await row())?.user_feedback === 1, 30_000);
    expect((await rag.rows()).filter((x) => x.deployment_uid === xr.metadata.uid)).toHaveLength(1);
    expect(await ks(['feedback', 'gone', '+1'])).toEqual({ code: 1, out: '', err: 'Error from server (NotFound): deployments.scai.io "gone" not found\n' });
  });

  it('analyze <dir> prints what scai understands; -o yaml', async () => {
    const r = await ks(['analyze', join(ROOT, 'examples/apps/flask-app')]);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toMatch(/^kind: +web\nlanguage: +python/);
    expect(parse((await ks(['analyze', join(ROOT, 'examples/apps/flask-app'), '-o', 'yaml'])).out)).toMatchObject({ framework: 'flask' });
  });
});
