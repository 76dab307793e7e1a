// The companion controller against a real API server (etcd + kube-apiserver from .tools/bin, RBAC
// on), running out of process as its ServiceAccount, recording into a real RAG store (PGlite behind
// the Postgres wire protocol). The test plays Crossplane: it creates XRs and writes their status.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidedStatus, startKube, waitFor, xrApi, type KubeEnv } from './helpers/kube.js';
import { startController, startRag, type ControllerProc, type RagServer } from './helpers/kube-controller.js';

let kube: KubeEnv;
let rag: RagServer;
let ctrl: ControllerProc;
let xrs: ReturnType<typeof xrApi>;
let costFile: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  kube = await startKube();
  rag = await startRag();
  xrs = xrApi(kube.admin);
  costFile = join(kube.dir, 'costs.json');
  writeFileSync(costFile, '{}');
  ctrl = await startController(kube, {
    identity: 'ctrl-1',
    databaseUrl: rag.url,
    extraEnv: { SCAI_FAILURE_GRACE: '3', SCAI_COST_SOURCE: `file:${costFile}`, SCAI_COST_INTERVAL: '0.5', SCAI_RESYNC: '3600' },
  });
  await waitFor('the controller to lead and be ready', async () => (await ctrl.metrics())['scai_controller_is_leader'] === 1 && (await ctrl.get('/readyz')) === 200, 30_000, 200);
}, 180_000);

afterAll(async () => {
  const code = await ctrl?.stop();
  expect(code).toBe(0); // graceful shutdown
  await rag?.stop();
  await kube?.stop();
}, 60_000);

const rowsOf = async (uid: string) => (await rag.rows()).filter((r) => r.deployment_uid === uid);
const events = async (name: string) => {
  const api = kube.admin.makeApiClient(CustomObjectsApi);
  const list = await api.listNamespacedCustomObject({ group: 'events.k8s.io', version: 'v1', plural: 'events', namespace: 'default' });
  return (list.items as any[]).filter((e) => e.regarding?.name === name).map((e) => `${e.type}/${e.reason}`);
};
const metric = async (name: string) => (await ctrl.metrics())[name] ?? 0;

describe('companion controller (real API server, out-of-process controller)', () => {
  it('adds its finalizer to the XR', async () => {
    const xr = await xrs.create('web-a');
    const got = await waitFor('finalizer', async () => {
      const o = await xrs.get('web-a');
      return o.metadata.finalizers?.includes('scai.io/rag-recording') ? o : undefined;
    });
    expect(got.metadata.uid).toBe(xr.metadata.uid);
    // Server-side apply: the controller's field manager owns the finalizer and nothing of the spec.
    const mine = got.metadata.managedFields.filter((f: any) => f.manager === 'scai-controller');
    expect(JSON.stringify(mine)).toContain('scai.io/rag-recording');
    expect(JSON.stringify(mine)).not.toContain('f:spec');
  });

  it('records the outcome once when the XR becomes Ready, and replays do not record again', async () => {
    const xr = await xrs.create('web-b');
    const uid = xr.metadata.uid;
    await xrs.patchStatus('web-b', decidedStatus('hash-b'));
    await sleep(1_500);
    expect(await rowsOf(uid)).toEqual([]); // decided but not Ready: nothing to learn yet
    const before = await metric('scai_controller_records_written_total{kind="outcome"}');

    await xrs.patchStatus('web-b', decidedStatus('hash-b', { ready: true }));
    const [row] = await waitFor('the success record', async () => ((await rowsOf(uid)).length ? rowsOf(uid) : undefined), 20_000);
    expect(row).toMatchObject({ decision_hash: 'hash-b', outcome: 'success', cost_monthly: 42.5 });
    expect(row!.has_vector).toBe(false); // the controller holds no model; function-scai embeds it later
    expect(row!.metadata.sizing).toEqual({ instanceType: 't3.small', replicas: 2 });
    expect(typeof row!.performance_metrics.timeToReadySeconds).toBe('number');
    await waitFor('the bookkeeping annotation', async () => (await xrs.get('web-b')).metadata.annotations?.['scai.io/recorded-outcome'] === 'hash-b=success');

    // Reconciles of the same state must not write again: a condition update (which does reconcile)
    // and writes the controller ignores (endpoints, an unrelated annotation).
    const reconciles = await metric('scai_controller_reconciles_total');
    await xrs.patchStatus('web-b', decidedStatus('hash-b', { ready: true, at: new Date(Date.now() + 1_000) }));
    await xrs.patchStatus('web-b', { endpoints: [{ name: 'http', url: 'https://web-b.example.com' }] });
    await xrs.annotate('web-b', { 'example.com/owner': 'team-a' });
    await waitFor('the reconcile of the condition update', async () => (await metric('scai_controller_reconciles_total')) > reconciles);
    await sleep(1_500);
    expect(await rowsOf(uid)).toHaveLength(1);
    expect(await metric('scai_controller_records_written_total{kind="outcome"}')).toBe(before + 1);
    expect(await events('web-b')).toContain('Normal/OutcomeRecorded');
  });

  it('records a failure only after the grace period, with the reason', async () => {
    const xr = await xrs.create('web-c');
    await xrs.patchStatus('web-c', decidedStatus('hash-c', { failed: 'cannot create VPC: quota exceeded' }));
    await sleep(1_000);
    expect(await rowsOf(xr.metadata.uid)).toEqual([]); // within the 3 s grace period
    const [row] = await waitFor('the failure record', async () => ((await rowsOf(xr.metadata.uid)).length ? rowsOf(xr.metadata.uid) : undefined), 20_000);
    expect(row).toMatchObject({ decision_hash: 'hash-c', outcome: 'failed' });
    expect(row!.metadata.failureReason).toContain('cannot create VPC');
  });

  it('records the feedback annotation (and its comment) on the recorded decision', async () => {
    const uid = (await xrs.get('web-b')).metadata.uid;
    await xrs.annotate('web-b', { 'scai.io/feedback': '-1', 'scai.io/feedback-comment': 'too slow at peak' });
    await waitFor('feedback -1', async () => (await rowsOf(uid))[0]?.user_feedback === -1, 20_000);
    expect((await rowsOf(uid))[0]!.metadata.feedbackComment).toBe('too slow at peak');
    await xrs.annotate('web-b', { 'scai.io/feedback': '+1', 'scai.io/feedback-comment': null });
    await waitFor('feedback +1', async () => (await rowsOf(uid))[0]?.user_feedback === 1, 20_000);
    expect(await rowsOf(uid)).toHaveLength(1);
    await xrs.annotate('web-b', { 'scai.io/feedback': 'great' });
    await waitFor('an InvalidFeedback warning', async () => (await events('web-b')).includes('Warning/InvalidFeedback'), 20_000);
    expect((await rowsOf(uid))[0]!.user_feedback).toBe(1);
  });

  it('syncs actualThisMonth with its own field manager, and its status writes do not re-trigger reconciles', async () => {
    const uid = (await xrs.get('web-b')).metadata.uid;
    writeFileSync(costFile, JSON.stringify({ [uid]: 12.34 }));
    const o = await waitFor('actualThisMonth', async () => {
      const x = await xrs.get('web-b');
      return x.status?.cost?.actualThisMonth === 12.34 ? x : undefined;
    }, 20_000);
    expect(o.status.cost.estimatedMonthly).toBe(42.5); // Crossplane's fields untouched
    const costManager = o.metadata.managedFields.find((f: any) => f.manager === 'scai-controller-cost');
    expect(costManager).toMatchObject({ operation: 'Apply', subresource: 'status' });
    expect(Object.keys(costManager.fieldsV1['f:status'])).toEqual(['f:cost']);
    expect(Object.keys(costManager.fieldsV1['f:status']['f:cost'])).toEqual(['f:actualThisMonth']);

    // Three more cost writes: the XR changes three times, the controller does no work for it.
    const r0 = await metric('scai_controller_reconciles_total');
    for (const v of [13, 14, 15]) {
      writeFileSync(costFile, JSON.stringify({ [uid]: v }));
      await waitFor(`actualThisMonth ${v}`, async () => (await xrs.get('web-b')).status?.cost?.actualThisMonth === v, 20_000);
    }
    await sleep(1_000);
    expect(await metric('scai_controller_reconciles_total')).toBe(r0);

    writeFileSync(costFile, '{not json');
    await waitFor('a CostSyncFailed warning', async () => (await events('web-b')).includes('Warning/CostSyncFailed'), 20_000);
    expect((await xrs.get('web-b')).status.cost.actualThisMonth).toBe(15); // last value kept
    writeFileSync(costFile, JSON.stringify({ [uid]: 15 }));
  });

  it('on delete, writes the final record (lifetime, last actual cost) and then lets the XR go', async () => {
    const uid = (await xrs.get('web-b')).metadata.uid;
    await xrs.delete('web-b');
    await waitFor('web-b to be gone', async () => xrs.get('web-b').then(() => false, (e) => e.code === 404), 20_000);
    const [row] = await rowsOf(uid);
    expect(row!.performance_metrics).toMatchObject({ lastActualThisMonth: 15 });
    expect(typeof row!.performance_metrics.lifetimeSeconds).toBe('number');
    expect(row!.cost_monthly).toBe(15);
    expect(row).toMatchObject({ outcome: 'success', user_feedback: 1 }); // the final record keeps votes
  });

  it('keeps the finalizer while the RAG store is down, retries, and completes with nothing lost', async () => {
    const xr = await xrs.create('web-d');
    const uid = xr.metadata.uid;
    await xrs.patchStatus('web-d', decidedStatus('hash-d', { ready: true }));
    await waitFor('the success record', async () => (await rowsOf(uid)).length === 1, 20_000);

    const errorsBefore = await metric('scai_controller_errors_total{op="record-final"}');
    await rag.down();
    await xrs.delete('web-d');
    await sleep(5_000);
    const held = await xrs.get('web-d');
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    expect(held.metadata.finalizers).toContain('scai.io/rag-recording');
    expect(await metric('scai_controller_errors_total{op="record-final"}')).toBeGreaterThanOrEqual(errorsBefore + 2); // retried
    expect(await events('web-d')).toContain('Warning/RecordFailed');

    await rag.up();
    await waitFor('web-d to be gone', async () => xrs.get('web-d').then(() => false, (e) => e.code === 404), 30_000);
    const rows = await rowsOf(uid);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ decision_hash: 'hash-d', outcome: 'success' });
    expect(typeof rows[0]!.performance_metrics.lifetimeSeconds).toBe('number');
  });
});
