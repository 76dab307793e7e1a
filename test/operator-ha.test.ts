// Two controller replicas against one real API server: exactly one leads (Lease), a hand-over on
// graceful shutdown re-records nothing; and RBAC: the controller's ServiceAccount (impersonated) can do
// exactly what operator/deploy/rbac.yaml grants, and a ServiceAccount without it cannot run at all.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROLLER_SA, decidedStatus, startKube, waitFor, xrApi, type KubeEnv } from './helpers/kube.js';
import { startController, startRag, type ControllerProc, type RagServer } from './helpers/kube-controller.js';

let kube: KubeEnv;
let rag: RagServer;
const started: ControllerProc[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  kube = await startKube();
  rag = await startRag();
}, 180_000);

afterAll(async () => {
  for (const c of started) await c.stop();
  await rag?.stop();
  await kube?.stop();
}, 60_000);

const leaderOf = async () => (await kube.admin.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespace: 'scai-system', name: 'scai-controller' })).spec.holderIdentity;
const isLeader = async (c: ControllerProc) => (await c.metrics())['scai_controller_is_leader'] === 1;

function asUser(user: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kube.controllerKubeconfig);
  const u = kc.getCurrentUser() as { impersonateUser?: string };
  u.impersonateUser = user;
  return kc;
}

describe('controller replicas and RBAC (real API server)', () => {
  it('two replicas: one leader; it records each outcome once; on shutdown the standby takes over without re-recording', async () => {
    const a = await startController(kube, { identity: 'replica-a', databaseUrl: rag.url });
    started.push(a);
    await waitFor('replica-a to lead', () => isLeader(a), 30_000, 200);
    const b = await startController(kube, { identity: 'replica-b', databaseUrl: rag.url });
    started.push(b);
    await sleep(3_000); // several retry periods: b must stay a standby
    expect([await isLeader(a), await isLeader(b)]).toEqual([true, false]);
    expect(await leaderOf()).toBe('replica-a');
    expect(await b.get('/readyz')).toBe(200); // a healthy standby is ready

    const xrs = xrApi(kube.admin);
    const xr = await xrs.create('ha-1');
    await xrs.patchStatus('ha-1', decidedStatus('hash-ha', { ready: true }));
    await waitFor('the record', async () => (await rag.rows()).some((r) => r.deployment_uid === xr.metadata.uid), 20_000);
    await waitFor('the bookkeeping annotation', async () => Boolean((await xrs.get('ha-1')).metadata.annotations?.['scai.io/recorded-outcome']));
    const written = async (c: ControllerProc) => (await c.metrics())['scai_controller_records_written_total{kind="outcome"}'] ?? 0;
    expect([await written(a), await written(b)]).toEqual([1, 0]);

    // Graceful shutdown releases the lease: b leads well before the 4 s lease would expire.
    const t0 = Date.now();
    expect(await a.stop()).toBe(0);
    await waitFor('replica-b to lead', () => isLeader(b), 15_000, 100);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await leaderOf()).toBe('replica-b');
    await waitFor('replica-b to sync', async () => (await b.get('/readyz')) === 200);
    await sleep(1_500);
    expect(await written(b)).toBe(0); // the annotation says it is recorded
    expect((await rag.rows()).filter((r) => r.deployment_uid === xr.metadata.uid)).toHaveLength(1);
  });

  it('the ServiceAccount is allowed exactly what the controller uses and refused the rest', async () => {
    const sa = asUser(CONTROLLER_SA);
    const custom = sa.makeApiClient(CustomObjectsApi);
    const g = { group: 'scai.io', version: 'v1alpha1', plural: 'xdeployments' };
    const code = (p: Promise<unknown>) => p.then(() => 200, (e: { code?: number }) => e.code ?? -1);

    expect(await code(custom.listClusterCustomObject(g))).toBe(200);
    // Refused: creating or deleting XRs, reading the spec outside list/watch, claims, secrets, other leases.
    expect(await code(custom.createClusterCustomObject({ ...g, body: { apiVersion: 'scai.io/v1alpha1', kind: 'XDeployment', metadata: { name: 'x' }, spec: {} } }))).toBe(403);
    expect(await code(custom.deleteClusterCustomObject({ ...g, name: 'ha-1' }))).toBe(403);
    expect(await code(custom.listNamespacedCustomObject({ group: 'scai.io', version: 'v1alpha1', plural: 'deployments', namespace: 'team-a' }))).toBe(403);
    expect(await code(sa.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: 'scai-system' }))).toBe(403);
    expect(await code(custom.getNamespacedCustomObject({ group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespace: 'kube-system', name: 'scai-controller' }))).toBe(403);
    expect(await code(custom.getNamespacedCustomObject({ group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespace: 'scai-system', name: 'someone-else' }))).toBe(403);
    expect(await code(custom.createNamespacedCustomObject({ group: 'events.k8s.io', version: 'v1', plural: 'events', namespace: 'default', body: { metadata: { generateName: 'x.' } } }))).not.toBe(403);
  });

  it('a ServiceAccount without the ClusterRole cannot lead or reconcile', async () => {
    const dir = kube.dir;
    const kc = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(kube.controllerKubeconfig, 'utf8')));
    kc.users[0].user.as = 'system:serviceaccount:scai-system:nobody';
    const path = join(dir, 'nobody.kubeconfig');
    writeFileSync(path, JSON.stringify(kc));
    const c = await startController(kube, { identity: 'nobody', databaseUrl: rag.url, kubeconfig: path, extraEnv: { SCAI_LEASE_NAME: 'scai-controller-nobody' } });
    started.push(c);
    await sleep(3_000);
    expect(await isLeader(c)).toBe(false);
    expect(c.output()).toMatch(/forbidden/i);
    expect(await c.stop()).toBe(0);
  });
});
