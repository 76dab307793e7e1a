// Small API helpers for the cluster suite: apply manifests the way `kubectl apply --server-side` does
// (raw JSON through the custom-objects client, so no field is dropped by client-node's typed models),
// get/list/patch any kind by apiVersion + kind.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

import type { LooseObj as Obj } from '../../lib/obj.js';

export const docsOf = (file: string): Obj[] =>
  parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS())
    .filter((d): d is Obj => !!d && typeof d === 'object');

export const yamlFilesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));

// Plurals the CRDs declare (learnPlurals), by `<group>/<Kind>`; a guess from the kind otherwise.
const PLURALS = new Map<string, string>();
export function learnPlurals(crds: Obj[]): void {
  for (const c of crds) if (c.kind === 'CustomResourceDefinition') PLURALS.set(`${c.spec.group}/${c.spec.names.kind}`, c.spec.names.plural);
}

export const pluralOf = (kind: string, group = ''): string => {
  const known = PLURALS.get(`${group}/${kind}`);
  if (known) return known;
  const k = kind.toLowerCase();
  return k.endsWith('y') ? `${k.slice(0, -1)}ies` : k.endsWith('s') ? `${k}es` : `${k}s`;
};

export interface Ref {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

const APPLY = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function api(kc: KubeConfig) {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const gv = (apiVersion: string) => {
    const [group, version] = apiVersion.split('/');
    return { group: group!, version: version! };
  };
  const at = (r: Ref) => ({ ...gv(r.apiVersion), plural: pluralOf(r.kind, gv(r.apiVersion).group), name: r.name });
  const self = {
    custom,
    core,
    async ensureNamespace(name: string) {
      await core.createNamespace({ body: { metadata: { name } } }).catch((e) => {
        if ((e as { code?: number }).code !== 409) throw e;
      });
    },
    /** Server-side apply, field manager `kubectl` (what `kubectl apply --server-side` sends). */
    async apply(o: Obj, fieldManager = 'kubectl'): Promise<Obj> {
      const r = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace };
      if (r.apiVersion === 'v1' && r.kind === 'Namespace') return (await self.ensureNamespace(r.name), o);
      const a = at(r);
      return r.namespace
        ? custom.patchNamespacedCustomObject({ ...a, namespace: r.namespace, body: o, fieldManager, force: true }, APPLY)
        : custom.patchClusterCustomObject({ ...a, body: o, fieldManager, force: true }, APPLY);
    },
    async get(r: Ref): Promise<Obj | undefined> {
      const a = at(r);
      try {
        return await (r.namespace ? custom.getNamespacedCustomObject({ ...a, namespace: r.namespace }) : custom.getClusterCustomObject(a));
      } catch (e) {
        if ((e as { code?: number }).code === 404) return undefined;
        throw e;
      }
    },
    async list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<Obj[]> {
      const a = { ...gv(apiVersion), plural: pluralOf(kind, gv(apiVersion).group), ...(labelSelector ? { labelSelector } : {}) };
      const l = namespace ? await custom.listNamespacedCustomObject({ ...a, namespace }) : await custom.listClusterCustomObject(a);
      return l.items as Obj[];
    },
    async patchStatus(r: Ref, status: Obj, fieldManager = 'test-provider'): Promise<Obj> {
      const a = at(r);
      return r.namespace
        ? custom.patchNamespacedCustomObjectStatus({ ...a, namespace: r.namespace, body: { status }, fieldManager }, MERGE)
        : custom.patchClusterCustomObjectStatus({ ...a, body: { status }, fieldManager }, MERGE);
    },
    async patch(r: Ref, body: Obj): Promise<Obj> {
      const a = at(r);
      return r.namespace ? custom.patchNamespacedCustomObject({ ...a, namespace: r.namespace, body }, MERGE) : custom.patchClusterCustomObject({ ...a, body }, MERGE);
    },
    async delete(r: Ref): Promise<void> {
      const a = at(r);
      await (r.namespace ? custom.deleteNamespacedCustomObject({ ...a, namespace: r.namespace }) : custom.deleteClusterCustomObject(a));
    },
  };
  return self;
}

export type Api = ReturnType<typeof api>;

export const condition = (o: Obj | undefined, type: string): Obj | undefined => (o?.status?.conditions ?? []).find((c: Obj) => c.type === type);
export const isTrue = (o: Obj | undefined, type: string): boolean => condition(o, type)?.status === 'True';
export const refOf = (o: Obj): Ref => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) });
