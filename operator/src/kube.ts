// Every call the controller makes to the API server, in one place, so the ClusterRole in
// operator/deploy/rbac.yaml can be checked against this file. All requests go through client-node's
// CustomObjectsApi with plain JSON bodies: Leases and events.k8s.io Events carry MicroTime fields that
// the typed models serialise with millisecond precision, which the API server refuses.
import { ApiException, createConfiguration, CustomObjectsApi, KubeConfig, PatchStrategy, ServerConfiguration, setHeaderOptions } from '@kubernetes/client-node';
import { keepAliveAuth, type KeepAliveAuth } from './kube-agent.js';
import { SCAI_API_VERSION, SCAI_GROUP, SCAI_VERSION } from '../../lib/domain.js';
import { KIND, PLURAL, type XR } from './xr.js';

export function loadKubeConfig(kubeconfig?: string): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else kc.loadFromDefault(); // KUBECONFIG, ~/.kube/config, or the in-cluster ServiceAccount
  return kc;
}

export const statusCode = (e: unknown): number | undefined => (e instanceof ApiException ? e.code : undefined);

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
export const microTime = (d = new Date()) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

const APPLY = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

/** Field managers: metadata (finalizer + bookkeeping) and status cost are owned separately. */
export const MANAGER = 'scai-controller';
export const COST_MANAGER = 'scai-controller-cost';

export class Kube {
  readonly api: CustomObjectsApi;
  readonly auth: KeepAliveAuth;
  constructor(readonly kc: KubeConfig) {
    // What kc.makeApiClient does, with connections kept alive (see kube-agent.ts).
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.auth = keepAliveAuth(kc);
    this.api = new CustomObjectsApi(createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: this.auth } }));
  }

  /** Closes idle keep-alive connections (shutdown). */
  close(): void {
    this.auth.destroy();
  }

  listXRs(): Promise<{ items: XR[]; metadata: { resourceVersion?: string }; apiVersion?: string; kind?: string }> {
    return this.api.listClusterCustomObject({ group: SCAI_GROUP, version: SCAI_VERSION, plural: PLURAL });
  }

  /**
   * Server-side apply of the metadata the controller owns (its finalizer and bookkeeping
   * annotations). Fields it owned and leaves out are removed, nobody else's are touched, and an
   * unchanged apply is a no-op that does not bump resourceVersion (so it triggers no watch event).
   */
  applyMetadata(name: string, meta: { finalizers?: string[]; annotations: Record<string, string> }): Promise<XR> {
    const body = { apiVersion: SCAI_API_VERSION, kind: KIND, metadata: { name, ...meta } };
    return this.api.patchClusterCustomObject({ group: SCAI_GROUP, version: SCAI_VERSION, plural: PLURAL, name, body, fieldManager: MANAGER, force: true }, APPLY);
  }

  /** Server-side apply of status.cost.actualThisMonth alone, on the status subresource. */
  applyActualCost(name: string, actualThisMonth: number): Promise<XR> {
    const body = { apiVersion: SCAI_API_VERSION, kind: KIND, metadata: { name }, status: { cost: { actualThisMonth } } };
    return this.api.patchClusterCustomObjectStatus({ group: SCAI_GROUP, version: SCAI_VERSION, plural: PLURAL, name, body, fieldManager: COST_MANAGER, force: true }, APPLY);
  }

  getLease(namespace: string, name: string): Promise<Lease> {
    return this.api.getNamespacedCustomObject({ group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespace, name });
  }
  createLease(namespace: string, body: Lease): Promise<Lease> {
    return this.api.createNamespacedCustomObject({ group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespace, body, fieldManager: MANAGER });
  }
  /** Replace with the resourceVersion read: a concurrent writer makes this fail with 409. */
  replaceLease(namespace: string, name: string, body: Lease): Promise<Lease> {
    return this.api.replaceNamespacedCustomObject({ group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespace, name, body, fieldManager: MANAGER });
  }

  createEvent(namespace: string, body: Record<string, unknown>): Promise<unknown> {
    return this.api.createNamespacedCustomObject({ group: 'events.k8s.io', version: 'v1', plural: 'events', namespace, body, fieldManager: MANAGER });
  }
}

export interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}
