// A real Kubernetes API server for controller tests: etcd + kube-apiserver from .tools/bin (built by
// scripts/install-kube.sh), etcd data in a temp dir, static-token authentication, RBAC authorization.
// The project's XRD-generated CRDs, the controller's namespace and its RBAC (operator/deploy/rbac.yaml)
// are installed. Two kubeconfigs: an admin (system:masters) and the controller's, which is the admin
// token impersonating the controller's ServiceAccount, so everything the controller does is
// authorised by its ClusterRole/Role alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { parse, parseAllDocuments } from 'yaml';
import { xrdToCrds } from './xrd-crd.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const TOOLS_BIN = join(ROOT, '.tools/bin');
export const CONTROLLER_SA = 'system:serviceaccount:scai-system:scai-controller';

export function kubeToolsPresent(): string | undefined {
  for (const t of ['etcd', 'kube-apiserver']) {
    if (!existsSync(join(TOOLS_BIN, t))) return `${join(TOOLS_BIN, t)} is missing: run bash scripts/install-kube.sh`;
  }
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

function kubeconfigYaml(server: string, token: string, as?: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { token, ...(as ? { as } : {}) } }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'u' } }],
    'current-context': 'test',
  });
}

/** GET with the test's self-signed API server certificate accepted; the status code, 0 when unreachable. */
export function httpsStatus(url: string, token: string): Promise<number> {
  return new Promise((res) => {
    const req = httpsGet(url, { headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.on('error', () => res(0));
    req.setTimeout(5_000, () => req.destroy());
  });
}

export interface KubeEnv {
  dir: string;
  server: string;
  adminKubeconfig: string;
  controllerKubeconfig: string;
  admin: KubeConfig;
  /** Logs of etcd and kube-apiserver, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

function startProc(bin: string, args: string[], log: string[]): ChildProcess {
  const p = spawn(join(TOOLS_BIN, bin), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (b: Buffer) => {
    log.push(b.toString());
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  p.stdout!.on('data', keep);
  p.stderr!.on('data', keep);
  return p;
}

async function kill(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(t);
}

export interface ControllerManager {
  /** Its last output lines, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * kube-controller-manager (built by scripts/install-kube.sh) against the test API server with only the
 * garbage collector and the namespace controller: what deletes composed objects (through their owner
 * references) once Crossplane has let their owner go. The admin token, no leader election, no
 * per-controller ServiceAccount credentials, no serving port.
 */
export async function startControllerManager(kube: KubeEnv): Promise<ControllerManager> {
  const bin = join(TOOLS_BIN, 'kube-controller-manager');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run bash scripts/install-kube.sh`);
  const log: string[] = [];
  const p = startProc('kube-controller-manager', [
    `--kubeconfig=${kube.adminKubeconfig}`,
    '--controllers=garbagecollector,namespace',
    '--use-service-account-credentials=false',
    '--leader-elect=false',
    '--secure-port=0',
    '--v=1',
  ], log);
  const logs = () => log.join('').slice(-6000);
  // Ready when the garbage collector has synced its informers (logged once; watched apart from the
  // bounded log, which a burst of discovery lines can roll over).
  let synced = false;
  const watch = (b: Buffer) => void (synced ||= /Proceeding to collect garbage/.test(b.toString()));
  p.stdout!.on('data', watch);
  p.stderr!.on('data', watch);
  await waitFor(`kube-controller-manager's garbage collector to sync`, () => {
    if (p.exitCode !== null) throw new Error(`kube-controller-manager exited ${p.exitCode}`);
    return synced;
  }, 120_000, 250).catch((e) => kill(p).then(() => Promise.reject(new Error(`${(e as Error).message}\n${logs()}`))));
  return { logs, stop: () => kill(p) };
}

export interface KubeOptions {
  /** Install the XDeployment CRD made from apis/xdeployments.yaml (default). false when a real
   * Crossplane is to generate the CRDs from the XRDs itself (test/cluster). */
  xrdCrds?: boolean;
}

export async function startKube(o: KubeOptions = {}): Promise<KubeEnv> {
  const missing = kubeToolsPresent();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'scai-kube-'));
  const etcdLog: string[] = [];
  const apiLog: string[] = [];
  const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
  const etcd = startProc('etcd', [
    '--name=test', `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=test=http://127.0.0.1:${etcdPeer}`,
    '--unsafe-no-fsync', '--log-level=error', '--quota-backend-bytes=1073741824',
  ], etcdLog);

  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  const token = `admin-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(dir, 'tokens.csv'), `${token},admin,admin-uid,"system:masters"\n`);
  const api = startProc('kube-apiserver', [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
    `--cert-dir=${join(dir, 'certs')}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc',
    `--service-account-key-file=${join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--enable-priority-and-fairness=false',
    '--disable-admission-plugins=ServiceAccount',
    '--endpoint-reconciler-type=none',
    '--v=0',
  ], apiLog);

  const server = `https://127.0.0.1:${apiPort}`;
  const adminKubeconfig = join(dir, 'admin.kubeconfig');
  const controllerKubeconfig = join(dir, 'controller.kubeconfig');
  writeFileSync(adminKubeconfig, kubeconfigYaml(server, token));
  writeFileSync(controllerKubeconfig, kubeconfigYaml(server, token, CONTROLLER_SA));
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);

  const logs = () => `--- etcd\n${etcdLog.join('').slice(-3000)}\n--- kube-apiserver\n${apiLog.join('').slice(-6000)}`;
  const stop = async () => {
    await kill(api);
    await kill(etcd);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const objects = admin.makeApiClient(KubernetesObjectApi);
    await waitFor('kube-apiserver /readyz', async () => {
      if (api.exitCode !== null) throw new Error(`kube-apiserver exited ${api.exitCode}`);
      return (await httpsStatus(`${server}/readyz`, token)) === 200;
    }, 120_000, 250);
    await installBasics(admin, objects, o.xrdCrds ?? true);
  } catch (e) {
    const l = logs();
    await stop();
    throw new Error(`${(e as Error).message}\n${l}`, { cause: e });
  }
  return { dir, server, adminKubeconfig, controllerKubeconfig, admin, logs, stop };
}

/** CRDs from the XRDs (unless xrdCrds is false), the controller's namespace and RBAC, and a `default` namespace for events. */
async function installBasics(admin: KubeConfig, objects: KubernetesObjectApi, xrdCrds: boolean): Promise<void> {
  const custom = admin.makeApiClient(CustomObjectsApi);
  // Raw JSON through the custom-objects client: client-node's typed models drop keys they do not map,
  // e.g. `x-kubernetes-preserve-unknown-fields`, which would prune status.deployment.config.
  const create = async (o: any) => {
    const [group, version] = (o.apiVersion as string).includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
    if (!group) return objects.create(o as never);
    const plural = `${(o.kind as string).toLowerCase()}s`.replace(/ys$/, 'ies');
    const ns = o.metadata.namespace;
    return ns
      ? custom.createNamespacedCustomObject({ group, version, plural, namespace: ns, body: o })
      : custom.createClusterCustomObject({ group, version, plural, body: o });
  };
  if (xrdCrds) {
    const xrd = parse(readFileSync(join(ROOT, 'apis/xdeployments.yaml'), 'utf8'));
    for (const crd of xrdToCrds(xrd)) await create(crd);
  }
  for (const ns of ['scai-system', 'default']) {
    await objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as never).catch((e) => {
      if ((e as { code?: number }).code !== 409) throw e;
    });
  }
  for (const doc of parseAllDocuments(readFileSync(join(ROOT, 'operator/deploy/rbac.yaml'), 'utf8'))) await create(doc.toJS());
  if (!xrdCrds) return;
  await waitFor('the XDeployment CRD to be served', async () => {
    await custom.listClusterCustomObject({ group: 'scai.io', version: 'v1alpha1', plural: 'xdeployments' });
    return true;
  }, 30_000, 200);
}

// ----------------------------------------------------------------- XRs, as Crossplane would write them

const G = { group: 'scai.io', version: 'v1alpha1', plural: 'xdeployments' };
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function xrApi(kc: KubeConfig) {
  const api = kc.makeApiClient(CustomObjectsApi);
  return {
    api,
    create: (name: string, extra: { annotations?: Record<string, string> } = {}) =>
      api.createClusterCustomObject({
        ...G,
        body: {
          apiVersion: 'scai.io/v1alpha1',
          kind: 'XDeployment',
          metadata: { name, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
          spec: {
            repository: { url: 'https://github.com/acme/shop.git', ref: 'main' },
            prompt: 'Flask API under $300/month',
            cloudProvider: 'aws-team-a',
            claimRef: { apiVersion: 'scai.io/v1alpha1', kind: 'Deployment', name, namespace: 'team-a' },
          },
        },
      }),
    get: (name: string) => api.getClusterCustomObject({ ...G, name }),
    list: () => api.listClusterCustomObject({ ...G }),
    delete: (name: string) => api.deleteClusterCustomObject({ ...G, name }),
    /** A merge patch of the status subresource, field manager "crossplane" (what the XR reconciler does). */
    patchStatus: (name: string, status: Record<string, unknown>) =>
      api.patchClusterCustomObjectStatus({ ...G, name, body: { status }, fieldManager: 'crossplane' }, MERGE),
    annotate: (name: string, annotations: Record<string, string | null>) =>
      api.patchClusterCustomObject({ ...G, name, body: { metadata: { annotations } }, fieldManager: 'kubectl' }, MERGE),
  };
}

/** The status function-scai + Crossplane produce for a decided deployment; `ready` sets Ready=True. */
export function decidedStatus(hash: string, o: { ready?: boolean; failed?: string; at?: Date } = {}): Record<string, unknown> {
  const at = (o.at ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const conditions = o.failed
    ? [{ type: 'Synced', status: 'False', reason: 'ReconcileError', message: o.failed, lastTransitionTime: at }, { type: 'Ready', status: 'False', reason: 'Creating', lastTransitionTime: at }]
    : [{ type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: at }, o.ready ? { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: at } : { type: 'Ready', status: 'False', reason: 'Creating', lastTransitionTime: at }];
  return {
    phase: o.failed ? 'Failed' : o.ready ? 'Ready' : 'Provisioning',
    cost: { estimatedMonthly: 42.5, currency: 'USD' },
    deployment: { strategy: 'vm', reason: 'flask, few deps', config: { instanceType: 't3.small', replicas: 2 } },
    decision: { inputsHash: hash, decidedAt: at, engine: 'test', target: { cloud: 'aws', region: 'us-east-1' } },
    analysis: { language: 'python', framework: 'flask', dependencies: ['flask@3.0.0', 'gunicorn'] },
    conditions,
  };
}
