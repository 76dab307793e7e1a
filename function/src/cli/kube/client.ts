// The API server side of `kubectl scai`: kubeconfig (--kubeconfig, else $KUBECONFIG / ~/.kube/config),
// context and namespace as kubectl picks them, the Deployment claims, and API errors worded as
// kubectl words them (`Error from server (NotFound): deployments.scai.io "web" not found`).
import { ApiException, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { SCAI_GROUP, SCAI_VERSION } from '../../../../lib/domain.js';
import type { KubeObject } from '../../../../lib/obj.js';

/** The claim kind's REST coordinates, and the names kubectl shows for the type and one object. */
export const CLAIMS = { group: SCAI_GROUP, version: SCAI_VERSION, plural: 'deployments' } as const;
export const CLAIM_RESOURCE = `${CLAIMS.plural}.${SCAI_GROUP}`;
export const claimRef = (name: string): string => `deployment.${SCAI_GROUP}/${name}`;

export class KubeError extends Error {}

export interface Target {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
}

export interface Claims {
  namespace: string;
  get(name: string): Promise<KubeObject>;
  list(allNamespaces: boolean): Promise<KubeObject[]>;
  /** A JSON merge patch (null deletes a field), as `kubectl patch --type merge`. */
  patch(name: string, body: object): Promise<KubeObject>;
}

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const FIELD_MANAGER = 'kubectl-scai';

export function connect(t: Target): Claims {
  const kc = new KubeConfig();
  try {
    if (t.kubeconfig) kc.loadFromFile(t.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new KubeError(`cannot load kubeconfig${t.kubeconfig ? ` ${t.kubeconfig}` : ''}: ${(e as Error).message}`);
  }
  if (t.context) {
    if (!kc.getContextObject(t.context)) throw new KubeError(`context was not found for specified context: ${t.context}`);
    kc.setCurrentContext(t.context);
  }
  const namespace = t.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const api = kc.makeApiClient(CustomObjectsApi);
  return {
    namespace,
    get: async (name) => (await api.getNamespacedCustomObject({ ...CLAIMS, namespace, name })) as KubeObject,
    list: async (all) => {
      const list = (all ? await api.listClusterCustomObject({ ...CLAIMS }) : await api.listNamespacedCustomObject({ ...CLAIMS, namespace })) as { items?: KubeObject[] };
      return list.items ?? [];
    },
    patch: async (name, body) => (await api.patchNamespacedCustomObject({ ...CLAIMS, namespace, name, body, fieldManager: FIELD_MANAGER }, MERGE)) as KubeObject,
  };
}

/** What kubectl would print for a failed call. */
export function describeError(e: unknown): string {
  if (e instanceof KubeError) return `error: ${e.message}`;
  if (e instanceof ApiException) {
    let body: { reason?: string; message?: string } | undefined;
    try {
      body = typeof e.body === 'string' ? JSON.parse(e.body) : (e.body as typeof body);
    } catch {
      body = undefined;
    }
    return body?.message ? `Error from server (${body.reason ?? e.code}): ${body.message}` : `Error from server (${e.code}): ${e.message.split('\n')[0]}`;
  }
  const err = e as { message?: string; code?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  if (code && /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|CERT_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return `Unable to connect to the server: ${err.message ?? code}`;
  return `error: ${err.message ?? String(e)}`;
}
